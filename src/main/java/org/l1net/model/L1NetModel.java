package org.l1net.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l1net.nn.BlockKernel;
import org.l1net.nn.SparseNetwork;
import org.l1net.nn.Topology;
import org.l1net.prune.Pruner;
import org.l1net.prune.Pruning;

/**
 * A trained classifier: topology, parameters, the names of its inputs and classes, and where it
 * came from (configuration, seed, data, versions). Immutable.
 *
 * @param config     the resolved training options, by command-line name
 * @param provenance seed, data paths, versions, creation time
 */
public record L1NetModel(Topology topology, double[] parameters, List<String> featureNames, String labelName,
                         Map<String, Object> config, Map<String, Object> provenance) implements Serializable {

    public L1NetModel {
        if (parameters.length != topology.parameterCount()) {
            throw new IllegalArgumentException("The " + topology.describe() + " network has "
                    + topology.parameterCount() + " parameters, got " + parameters.length);
        }
        if (featureNames.size() != topology.inputSize()) {
            throw new IllegalArgumentException("The network takes " + topology.inputSize() + " inputs, but "
                    + featureNames.size() + " feature names were given");
        }
        parameters = parameters.clone();
        featureNames = List.copyOf(featureNames);
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
