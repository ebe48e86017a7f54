package org.l1net.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l1net.nn.BlockKernel;
import org.l1net.nn.Topology;

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

    /** A scorer for one thread; reuse it across blocks. */
    public Scorer scorer() {
        return new Scorer(this);
    }

    /** Class probabilities for blocks of rows, reusing one kernel's buffers. Not thread-safe. */
    public static final class Scorer {
        private final double[] params;
        private final BlockKernel kernel;

        private Scorer(L1NetModel model) {
            this.params = model.parametersView();
            this.kernel = new BlockKernel(model.topology());
        }

        /** Probabilities [rows x K] of the rows in x [rows x features]; the buffer is reused by the next call. */
        public double[] probabilities(float[] x, int rows) {
            return kernel.probabilities(params, x, rows);
        }
    }
}
