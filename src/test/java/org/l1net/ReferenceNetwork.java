package org.l1net;

/**
 * The network's forward pass written the plain way, one row at a time, straight from the
 * documented parameter layout (per layer W [out x in] row-major, then b [out]): the independent
 * reference that tests hold the block kernel, saved models and the data generator against.
 */
public final class ReferenceNetwork {
    private ReferenceNetwork() {
    }

    /** Output scores z [K] of one row, before the softmax. */
    public static double[] logits(int[] sizes, String activation, double[] params, double[] row) {
        double[] a = row.clone();
        int offset = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] z = new double[out];
            for (int j = 0; j < out; j++) {
                double sum = params[offset + in * out + j];
                for (int i = 0; i < in; i++) {
                    sum += params[offset + j * in + i] * a[i];
                }
                z[j] = l + 2 < sizes.length ? activate(activation, sum) : sum;
            }
            offset += in * out + out;
            a = z;
        }
        if (offset != params.length) {
            throw new IllegalArgumentException("layers " + java.util.Arrays.toString(sizes) + " take " + offset
                    + " parameters, got " + params.length);
        }
        return a;
    }

    /** Softmax probabilities [K] of one row. */
    public static double[] probabilities(int[] sizes, String activation, double[] params, double[] row) {
        double[] z = logits(sizes, activation, params, row);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp(z[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < z.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** Index of the largest value, the first on ties. */
    public static int argmax(double[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    private static double activate(String activation, double z) {
        return switch (activation) {
            case "tanh" -> Math.tanh(z);
            case "relu" -> Math.max(0.0, z);
            case "sigmoid" -> 1.0 / (1.0 + Math.exp(-z));
            default -> throw new IllegalArgumentException(activation);
        };
    }
}
