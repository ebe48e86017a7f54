package org.l1net.nn;

import java.util.SplittableRandom;

/**
 * Seeded weight initialization: Glorot-uniform for tanh and sigmoid, He-uniform for relu
 * (Glorot & Bengio 2010; He et al. 2015); biases start at zero.
 */
public final class Initializer {
    private Initializer() {
    }

    /** A fresh parameter vector for the topology; the same seed always gives the same vector. */
    public static double[] initialParameters(Topology topology, long seed) {
        double[] params = new double[topology.parameterCount()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int l = 0; l < topology.layerCount(); l++) {
            int in = topology.size(l);
            int out = topology.size(l + 1);
            boolean outputLayer = l == topology.layerCount() - 1;
            double limit = (!outputLayer && topology.activation() == Activation.RELU)
                    ? Math.sqrt(6.0 / in)
                    : Math.sqrt(6.0 / (in + out));
            int w = topology.weightOffset(l);
            for (int i = 0; i < in * out; i++) {
                params[w + i] = (2.0 * random.nextDouble() - 1.0) * limit;
            }
        }
        return params;
    }
}
