package org.l1net.nn;

/**
 * A deliberately plain, one-row-at-a-time network written apart from {@link BlockKernel}: weights
 * as separate [out][in] arrays, textbook formulas for each activation, softmax, loss and
 * back-propagation. Tests compare the block kernel and the distributed job against it.
 */
public final class ReferenceNetwork {
    private final int[] sizes;
    private final String activation;
    private final boolean crossEntropy;
    /** weights[l][j][i]: from unit i of layer l to unit j of layer l + 1. */
    private final double[][][] weights;
    private final double[][] biases;

    /** Unpacks the flat vector by the documented layout: per layer W [out x in] row-major, then b [out]. */
    public ReferenceNetwork(int[] sizes, String activation, String loss, double[] flat) {
        this.sizes = sizes.clone();
        this.activation = activation;
        this.crossEntropy = loss.equals("cross-entropy");
        int layers = sizes.length - 1;
        weights = new double[layers][][];
        biases = new double[layers][];
        int k = 0;
        for (int l = 0; l < layers; l++) {
            weights[l] = new double[sizes[l + 1]][sizes[l]];
            for (int j = 0; j < sizes[l + 1]; j++) {
                for (int i = 0; i < sizes[l]; i++) {
                    weights[l][j][i] = flat[k++];
                }
            }
            biases[l] = new double[sizes[l + 1]];
            for (int j = 0; j < sizes[l + 1]; j++) {
                biases[l][j] = flat[k++];
            }
        }
        if (k != flat.length) {
            throw new IllegalArgumentException("flat vector has " + flat.length + " values, layout needs " + k);
        }
    }

    private double f(double z) {
        return switch (activation) {
            case "tanh" -> Math.tanh(z);
            case "relu" -> Math.max(0.0, z);
            case "sigmoid" -> 1.0 / (1.0 + Math.exp(-z));
            default -> throw new IllegalArgumentException(activation);
        };
    }

    private double fPrime(double z) {
        return switch (activation) {
            case "tanh" -> 1.0 / (Math.cosh(z) * Math.cosh(z));
            case "relu" -> z > 0 ? 1.0 : 0.0;
            case "sigmoid" -> Math.exp(-z) / ((1.0 + Math.exp(-z)) * (1.0 + Math.exp(-z)));
            default -> throw new IllegalArgumentException(activation);
        };
    }

    /** Pre-activations z[l] and outputs a[l] (a[0] = x; the last a is the softmax). */
    private double[][][] forward(double[] x) {
        int layers = sizes.length - 1;
        double[][] z = new double[layers + 1][];
        double[][] a = new double[layers + 1][];
        a[0] = x;
        for (int l = 0; l < layers; l++) {
            z[l + 1] = new double[sizes[l + 1]];
            a[l + 1] = new double[sizes[l + 1]];
            for (int j = 0; j < sizes[l + 1]; j++) {
                double s = biases[l][j];
                for (int i = 0; i < sizes[l]; i++) {
                    s += weights[l][j][i] * a[l][i];
                }
                z[l + 1][j] = s;
            }
            if (l < layers - 1) {
                for (int j = 0; j < sizes[l + 1]; j++) {
                    a[l + 1][j] = f(z[l + 1][j]);
                }
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z[l + 1]) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int j = 0; j < sizes[l + 1]; j++) {
                    sum += Math.exp(z[l + 1][j] - max);
                }
                for (int j = 0; j < sizes[l + 1]; j++) {
                    a[l + 1][j] = Math.exp(z[l + 1][j] - max) / sum;
                }
            }
        }
        return new double[][][] {z, a};
    }

    /** Softmax probabilities of one row. */
    public double[] probabilities(double[] x) {
        double[][] a = forward(x)[1];
        return a[a.length - 1].clone();
    }

    /** The loss of one row: -log p[y], or sum_k (p_k - t_k)^2. */
    public double loss(double[] x, int label) {
        double[] p = probabilities(x);
        if (crossEntropy) {
            return -Math.log(p[label]);
        }
        double s = 0;
        for (int k = 0; k < p.length; k++) {
            double d = p[k] - (k == label ? 1 : 0);
            s += d * d;
        }
        return s;
    }

    /** Adds the gradient of one row's loss to {@code flatGradient} (same layout as the weights). */
    public void addGradient(double[] x, int label, double[] flatGradient) {
        double[][][] za = forward(x);
        double[][] z = za[0];
        double[][] a = za[1];
        int layers = sizes.length - 1;
        double[] p = a[layers];
        int classes = p.length;
        // dLoss/dz at the output: for cross-entropy p - t; for the squared error, through the
        // softmax Jacobian dp_k/dz_j = p_k (delta_kj - p_j).
        double[] delta = new double[classes];
        for (int j = 0; j < classes; j++) {
            if (crossEntropy) {
                delta[j] = p[j] - (j == label ? 1 : 0);
            } else {
                double s = 0;
                for (int k = 0; k < classes; k++) {
                    double dLdp = 2 * (p[k] - (k == label ? 1 : 0));
                    s += dLdp * p[k] * ((k == j ? 1 : 0) - p[j]);
                }
                delta[j] = s;
            }
        }
        double[][][] gw = new double[layers][][];
        double[][] gb = new double[layers][];
        for (int l = layers - 1; l >= 0; l--) {
            gw[l] = new double[sizes[l + 1]][sizes[l]];
            gb[l] = delta.clone();
            for (int j = 0; j < sizes[l + 1]; j++) {
                for (int i = 0; i < sizes[l]; i++) {
                    gw[l][j][i] = delta[j] * a[l][i];
                }
            }
            if (l > 0) {
                double[] previous = new double[sizes[l]];
                for (int i = 0; i < sizes[l]; i++) {
                    double s = 0;
                    for (int j = 0; j < sizes[l + 1]; j++) {
                        s += weights[l][j][i] * delta[j];
                    }
                    previous[i] = s * fPrime(z[l][i]);
                }
                delta = previous;
            }
        }
        int k = 0;
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < sizes[l + 1]; j++) {
                for (int i = 0; i < sizes[l]; i++) {
                    flatGradient[k++] += gw[l][j][i];
                }
            }
            for (int j = 0; j < sizes[l + 1]; j++) {
                flatGradient[k++] += gb[l][j];
            }
        }
    }
}
