package org.l1net.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.l1net.data.Standardizer;
import org.l1net.nn.BlockKernel;
import org.l1net.nn.SparseNetwork;
import org.l1net.nn.Topology;
import org.l1net.prune.Pruner;
import org.l1net.prune.Pruning;

/**
 * A trained classifier: topology, parameters, the names of its inputs and classes, and where it
 * came from (configuration, seed, data, versions). Immutable.
 *
 * @param config       the resolved training options, by command-line name
 * @param provenance   seed, data paths, versions, creation time
 * @param classNames   the original class names, class c the c-th, when the labels were names; else null
 *                     (the labels were class indices)
 * @param standardizer the standardization the inputs get before the network sees them, or null
 */
public record L1NetModel(Topology topology, double[] parameters, List<String> featureNames, String labelName,
                         Map<String, Object> config, Map<String, Object> provenance, List<String> classNames,
                         Standardizer standardizer) implements Serializable {

    /** A model whose classes are indices and whose inputs are used as they are. */
    public L1NetModel(Topology topology, double[] parameters, List<String> featureNames, String labelName,
                      Map<String, Object> config, Map<String, Object> provenance) {
        this(topology, parameters, featureNames, labelName, config, provenance, null, null);
    }

    public L1NetModel {
        if (parameters.length != topology.parameterCount()) {
            throw new IllegalArgumentException("The " + topology.describe() + " network has "
                    + topology.parameterCount() + " parameters, got " + parameters.length);
        }
        if (featureNames.size() != topology.inputSize()) {
            throw new IllegalArgumentException("The network takes " + topology.inputSize() + " inputs, but "
                    + featureNames.size() + " feature names were given");
        }
        if (classNames != null && classNames.size() != topology.classCount()) {
            throw new IllegalArgumentException("The network has " + topology.classCount() + " classes, but "
                    + classNames.size() + " class names were given");
        }
        if (standardizer != null && standardizer.features() != topology.inputSize()) {
            throw new IllegalArgumentException("The network takes " + topology.inputSize() + " inputs, but the "
                    + "standardization has " + standardizer.features());
        }
        parameters = parameters.clone();
        featureNames = List.copyOf(featureNames);
        classNames = classNames == null ? null : List.copyOf(classNames);
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    /** Shared view for the scoring loop; do not modify. */
    double[] parametersView() {
        return parameters;
    }

    public int classCount() {
        return topology.classCount();
    }

    /** The name of class c: its original name, or the index itself when the labels were indices. */
    public String className(int c) {
        return classNames == null ? Integer.toString(c) : classNames.get(c);
    }

    /**
     * Appends "prediction" (the class index, a double) and "probability" (array of K doubles) to every row,
     * scoring the "features" column (a vector or an array) or, without one, the model's feature columns by
     * name: Spark ML's conventions without spark-mllib. {@link #transformer()} chooses other column names.
     */
    public Dataset<Row> transform(Dataset<Row> data) {
        return transformer().transform(data);
    }

    /** A transformer with Spark ML's default column names, to set others on. */
    public ModelTransformer transformer() {
        return new ModelTransformer(this);
    }

    /**
     * The network with its dropped inputs and dead units removed and its weights kept sparse: what
     * predict scores with. It reads full rows of {@link #featureNames()} and selects the columns it uses.
     */
    public Pruning pruning() {
        return Pruner.prune(topology, parameters);
    }

    /** A scorer for one thread on the pruned network; reuse it across blocks. */
    public Scorer scorer() {
        SparseNetwork.Scorer pruned = pruning().network().scorer();
        return pruned::probabilities;
    }

    /** A scorer for one thread on the dense network as trained (the block kernel): the reference for the pruned one. */
    public Scorer denseScorer() {
        BlockKernel kernel = new BlockKernel(topology);
        return (x, rows) -> kernel.probabilities(parameters, x, rows);
    }

    /** Class probabilities for blocks of rows, reusing one set of buffers. Not thread-safe. */
    @FunctionalInterface
    public interface Scorer {
        /** Probabilities [rows x K] of the rows in x [rows x features]; the buffer is reused by the next call. */
        double[] probabilities(float[] x, int rows);
    }
}
