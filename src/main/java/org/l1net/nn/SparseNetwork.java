package org.l1net.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A network for scoring only, in the shape L1 left it: the first layer reads a selection of the
 * input columns, and each layer keeps either a dense matrix or only its nonzero weights, as
 * compressed sparse rows (CSR). {@code org.l1net.prune.Pruner} builds it from a trained network; it
 * gives the same probabilities as that network's dense forward pass.
 *
 * <p>Shapes, with n rows: the caller's input X [n x inputWidth] (every column the model was trained
 * on); the selected inputs A_0 [n x s_0] with s_0 = inputs.length; layer l: W_l [s_l x s_(l-1)],
 * b_l [s_l], A_l [n x s_l]. A layer may have no units (everything it fed became a bias).
 */
public final class SparseNetwork implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * A layer is stored sparse when at most this fraction of its weights is nonzero. A sparse row costs
     * an index load and a gathered input per nonzero, a dense row a sequential load per weight; measured
     * with submit/bench-scoring.sh, sparse rows lost at half nonzero and won clearly at 0.3.
     */
    public static final double SPARSE_MAX_DENSITY = 1.0 / 3;

    private final int inputWidth;
    private final int[] inputs;
    private final Layer[] layers;
    private final Activation activation;

    /**
     * @param inputWidth the number of columns of an input row
     * @param inputs     the columns the first layer reads, in the order of its weight columns
     * @param layers     the weight layers; layer 0 reads inputs.length values, each next one the previous's units
     */
    public SparseNetwork(int inputWidth, int[] inputs, Layer[] layers, Activation activation) {
        if (layers.length < 1) {
            throw new IllegalArgumentException("A network needs at least one weight layer");
        }
        for (int c : inputs) {
            if (c < 0 || c >= inputWidth) {
                throw new IllegalArgumentException("Input column " + c + " is outside 0.." + (inputWidth - 1));
            }
        }
        int previous = inputs.length;
        for (int l = 0; l < layers.length; l++) {
            if (layers[l].in != previous) {
                throw new IllegalArgumentException("Layer " + (l + 1) + " reads " + layers[l].in + " values, but "
                        + previous + " come in");
            }
            previous = layers[l].out;
        }
        if (previous < 2) {
            throw new IllegalArgumentException("The output layer needs at least 2 classes, got " + previous);
        }
        this.inputWidth = inputWidth;
        this.inputs = inputs.clone();
        this.layers = layers.clone();
        this.activation = activation;
    }

    public int inputWidth() {
        return inputWidth;
    }

    /** The input columns the network reads. */
    public int[] inputs() {
        return inputs.clone();
    }

    public int layerCount() {
        return layers.length;
    }

    public Layer layer(int l) {
        return layers[l];
    }

    public int classCount() {
        return layers[layers.length - 1].out;
    }

    public Activation activation() {
        return activation;
    }

    /** Layer sizes: the inputs read, then each layer's units, e.g. "6-5-4". */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputs.length);
        for (Layer layer : layers) {
            sb.append('-').append(layer.out);
        }
        return sb.toString();
    }

    /** Nonzero weights over all layers (a dense layer counts its stored zeros too). */
    public long storedWeights() {
        long n = 0;
        for (Layer layer : layers) {
            n += layer.storedWeights();
        }
        return n;
    }

    /** A scorer with its own buffers, for one thread. */
    public Scorer scorer() {
        return new Scorer(this);
    }

    /** One weight layer: W [out x in] dense row-major, or as compressed sparse rows, and b [out]. */
    public static final class Layer implements Serializable {
        private static final long serialVersionUID = 1L;

        private final int out;
        private final int in;
        /** Dense W [out x in] row-major, or the nonzero values row by row when rowStart is set. */
        private final double[] weights;
        /** Sparse only: row j's values are weights[rowStart[j] .. rowStart[j + 1]), in columns[...]. */
        private final int[] rowStart;
        private final int[] columns;
        private final double[] bias;

        private Layer(int out, int in, double[] weights, int[] rowStart, int[] columns, double[] bias) {
            if (bias.length != out) {
                throw new IllegalArgumentException("A layer of " + out + " units needs " + out + " biases, got " + bias.length);
            }
            this.out = out;
            this.in = in;
            this.weights = weights;
            this.rowStart = rowStart;
            this.columns = columns;
            this.bias = bias;
        }

        /**
         * W [out x in] row-major and b [out], stored sparse when at most {@link #SPARSE_MAX_DENSITY} of
         * the weights are nonzero, else dense. Skipping a zero weight changes no sum: 0 * a is a zero.
         */
        public static Layer of(int out, int in, double[] w, double[] b) {
            if (w.length != (long) out * in) {
                throw new IllegalArgumentException("W of " + out + " x " + in + " needs " + (long) out * in
                        + " values, got " + w.length);
            }
            int nonzero = 0;
            for (double v : w) {
                if (v != 0.0) {
                    nonzero++;
                }
            }
            if (nonzero > SPARSE_MAX_DENSITY * w.length) {
                return new Layer(out, in, w.clone(), null, null, b.clone());
            }
            int[] rowStart = new int[out + 1];
            int[] columns = new int[nonzero];
            double[] values = new double[nonzero];
            int k = 0;
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    double v = w[j * in + i];
                    if (v != 0.0) {
                        columns[k] = i;
                        values[k++] = v;
                    }
                }
                rowStart[j + 1] = k;
            }
            return new Layer(out, in, values, rowStart, columns, b.clone());
        }

        public int out() {
            return out;
        }

        public int in() {
            return in;
        }

        public boolean isSparse() {
            return rowStart != null;
        }

        public long storedWeights() {
            return weights.length;
        }

        public double[] bias() {
            return bias.clone();
        }

        /** W [out x in] row-major, zeros filled in. */
        public double[] denseWeights() {
            if (rowStart == null) {
                return weights.clone();
            }
            double[] w = new double[out * in];
            for (int j = 0; j < out; j++) {
                for (int k = rowStart[j]; k < rowStart[j + 1]; k++) {
                    w[j * in + columns[k]] = weights[k];
                }
            }
            return w;
        }

        /** Z [rows x out] = A [rows x in] W^T + b. */
        void forward(double[] input, double[] output, int rows) {
            if (rowStart == null) {
                for (int r = 0; r < rows; r++) {
                    int a = r * in;
                    int z = r * out;
                    for (int j = 0; j < out; j++) {
                        int wj = j * in;
                        double sum = bias[j];
                        for (int i = 0; i < in; i++) {
                            sum += weights[wj + i] * input[a + i];
                        }
                        output[z + j] = sum;
                    }
                }
                return;
            }
            for (int r = 0; r < rows; r++) {
                int a = r * in;
                int z = r * out;
                for (int j = 0; j < out; j++) {
                    double sum = bias[j];
                    for (int k = rowStart[j], end = rowStart[j + 1]; k < end; k++) {
                        sum += weights[k] * input[a + columns[k]];
                    }
                    output[z + j] = sum;
                }
            }
        }

        @Override
        public String toString() {
            return out + " x " + in + (rowStart == null ? " dense" : " sparse, " + weights.length + " nonzero");
        }
    }

    /** Class probabilities for blocks of full-width rows, reusing its buffers. Not thread-safe. */
    public static final class Scorer {
        private final SparseNetwork network;
        /** activations[l]: A_(l+1) [capacity x s_(l+1)]; selected: A_0 [capacity x s_0]. */
        private double[][] activations;
        private double[] selected;
        private int capacity;

        private Scorer(SparseNetwork network) {
            this.network = network;
        }

        private void ensureCapacity(int rows) {
            if (rows <= capacity) {
                return;
            }
            Layer[] layers = network.layers;
            activations = new double[layers.length][];
            for (int l = 0; l < layers.length; l++) {
                activations[l] = new double[rows * layers[l].out];
            }
            selected = new double[rows * network.inputs.length];
            capacity = rows;
        }

        /**
         * Probabilities [rows x K] of the rows in x [rows x inputWidth], float32 widened to double. The
         * returned array is this scorer's buffer, overwritten by the next call, and may be longer than rows * K.
         */
        public double[] probabilities(float[] x, int rows) {
            int width = network.inputWidth;
            if (x.length < rows * width) {
                throw new IllegalArgumentException(rows + " rows of " + width + " features need " + rows * width
                        + " values, got " + x.length);
            }
            ensureCapacity(rows);
            int[] inputs = network.inputs;
            int s0 = inputs.length;
            for (int r = 0; r < rows; r++) {
                int from = r * width;
                int to = r * s0;
                for (int k = 0; k < s0; k++) {
                    selected[to + k] = x[from + inputs[k]];
                }
            }
            Layer[] layers = network.layers;
            double[] input = selected;
            for (int l = 0; l < layers.length; l++) {
                double[] output = activations[l];
                layers[l].forward(input, output, rows);
                if (l < layers.length - 1) {
                    network.activation.applyInPlace(output, 0, rows * layers[l].out);
                } else {
                    softmaxRows(output, layers[l].out, rows);
                }
                input = output;
            }
            return activations[layers.length - 1];
        }

        private static void softmaxRows(double[] z, int k, int rows) {
            for (int r = 0; r < rows; r++) {
                int o = r * k;
                double max = z[o];
                for (int c = 1; c < k; c++) {
                    max = Math.max(max, z[o + c]);
                }
                double sum = 0.0;
                for (int c = 0; c < k; c++) {
                    double e = Math.exp(z[o + c] - max);
                    z[o + c] = e;
                    sum += e;
                }
                double inv = 1.0 / sum;
                for (int c = 0; c < k; c++) {
                    z[o + c] *= inv;
                }
            }
        }
    }

    @Override
    public String toString() {
        return describe() + " reading " + inputs.length + " of " + inputWidth + " inputs " + Arrays.toString(layers);
    }
}
