package org.l1net.nn;

import java.util.Arrays;

/**
 * Forward and back-propagation over a block of rows in matrix form: the hot loop of training,
 * evaluation and scoring.
 *
 * <p>One kernel per thread: it owns scratch buffers sized for the largest block seen and reuses
 * them, so a block allocates nothing. Shapes, with n rows in the block and s_l units in layer l:
 * input X [n x s_0] row-major; activations A_l [n x s_l]; deltas D_l [n x s_l]; W_l [s_l x s_(l-1)].
 * Per layer, three matrix products: Z_l = A_(l-1) W_l^T + b_l (forward), dW_l += D_l^T A_(l-1) and
 * D_(l-1) = (D_l W_l) .* f'(A_(l-1)) (backward), computed by a {@link Gemm} of the chosen
 * {@link KernelPath}; the paths agree bit for bit.
 *
 * <p>lossAndGradient carries a block through the layers in chunks that fit L2 ({@link #chunkRows}),
 * and for narrow networks keeps each chunk unit-major, the transposes of the shapes above
 * ({@link #unitMajorFits}). The predictions, the squared-error loss and the row-major gradient do
 * not depend on either. Unit-major, each chunk sums its rows in eight interleaved lanes: the weight
 * gradient ({@link Gemm#addRowDots}) and the cross-entropy loss ({@link Gemm#softmaxLoss}, one log
 * per 512 rows), so for narrow networks the chunk size, a function of the topology, is part of the
 * result's definition. Scoring stays row-major.
 */
public final class BlockKernel {
    private final Topology topology;
    private final int layers;
    private final boolean crossEntropy;
    private final Activation activation;
    private final KernelPath path;
    private final Gemm gemm;
    /** activations[l] holds A_(l+1) for l = 0..L-1; A_0 is the caller's input block. */
    private double[][] activations;
    private double[][] deltas;
    /** log(sum_c exp(z_c - max z)) per row of the last forward pass. */
    private double[] logNormalizer;
    /** A float block widened to double [rows x s_0]: blocks store float32 features, the math is double. */
    private double[] widenedInput;
    private int capacity;
    private long correct;
    /** The argmax class of each row of the last lossAndGradient call; grows to the largest block. */
    private int[] predictions = new int[0];
    /** Rows per trip through the layers in lossAndGradient; see {@link #chunkRows(Topology)}. */
    private final int chunkRows;
    /** lossAndGradient keeps a chunk unit-major (rows along the vectors); see {@link #unitMajorFits(Topology)}. */
    private final boolean unitMajor;
    /** Per-row scratch of the unit-major softmax. */
    private double[] rowScratch;
    /** One layer's weight and bias gradient side by side, [out x (in + 1)], for the unit-major backward pass. */
    private double[] gradientTile;

    /** A kernel on the path chosen for this JVM ({@link KernelPath#chosen()}). */
    public BlockKernel(Topology topology) {
        this(topology, KernelPath.chosen());
    }

    public BlockKernel(Topology topology, KernelPath path) {
        this(topology, path, unitMajorFits(topology));
    }

    /** A kernel with the chunk layout forced, for tests: the layouts agree to rounding (see unitMajorFits). */
    BlockKernel(Topology topology, KernelPath path, boolean unitMajor) {
        this.unitMajor = unitMajor;
        this.topology = topology;
        this.path = path;
        this.gemm = path.newGemm();
        this.layers = topology.layerCount();
        this.crossEntropy = topology.loss() == OutputLoss.CROSS_ENTROPY;
        this.activation = topology.activation();
        this.chunkRows = chunkRows(topology);
        ensureCapacity(1);
    }

    /** Scratch bytes a chunk may take: about a quarter of a 1 MB L2 cache, room for the weights and packing. */
    private static final int CHUNK_BYTES = 256 * 1024;
    /** Fewer rows would make the weight-gradient product reload its output too often for large layers. */
    private static final int MIN_CHUNK_ROWS = 512;

    /**
     * Rows that lossAndGradient carries through all layers at a time. A block of a small network is
     * thousands of rows; its scratch (widened input, activations and deltas of every layer) would
     * then outgrow L2, and each of the dozen passes over it (products, activations, softmax, loss,
     * column sums) would stream from L3. The loss is one running sum over the rows, continued from chunk
     * to chunk, and so is every row-major gradient element; the unit-major weight gradient is summed
     * chunk by chunk (see {@link #unitMajorFits}).
     */
    static int chunkRows(Topology topology) {
        long doublesPerRow = topology.inputSize() + 1;
        for (int l = 1; l <= topology.layerCount(); l++) {
            doublesPerRow += 2L * topology.size(l);
        }
        long rows = CHUNK_BYTES / (Double.BYTES * doublesPerRow);
        return (int) Math.max(MIN_CHUNK_ROWS, rows - rows % 8);
    }

    /** The widest layer (inputs included) that runs unit-major. */
    static final int UNIT_MAJOR_MAX_WIDTH = 32;

    /**
     * Whether lossAndGradient runs unit-major: every layer, the input included, at most
     * {@value #UNIT_MAJOR_MAX_WIDTH} wide. Row-major products of such layers have k or n of 4 to 10:
     * the register tiles are mostly loads, stores and padding, and the bias fill, softmax and loss
     * are per-row scalar loops. Unit-major (unit j's values for the chunk's rows contiguous, ld = rows),
     * the products run with the chunk's rows as their long, vectorised dimension, and the row-wise
     * steps become loops along rows. The forward pass, the deltas and the predictions keep every
     * element's chain of operations, so both layouts give the same bits there. Two sums over the rows
     * are the exceptions. The weight gradient runs as dot products along the rows with both operands in
     * place ({@link Gemm#addRowDots}: eight interleaved partial sums, a fixed tree, added once per
     * chunk), where keeping one chain per weight needed one operand transposed for every chunk: 17 to
     * 20% more rows per second for 10-8-4. The cross-entropy loss runs in the same eight lanes
     * ({@link Gemm#softmaxLoss}) with one log per 512 rows instead of one per row: 25% more for 10-8-4,
     * with the softmax, loss and argmax in vector registers. The two layouts agree to rounding (gradient
     * 1e-12, loss 1e-13 relative).
     */
    static boolean unitMajorFits(Topology topology) {
        for (int l = 0; l <= topology.layerCount(); l++) {
            if (topology.size(l) > UNIT_MAJOR_MAX_WIDTH) {
                return false;
            }
        }
        return true;
    }

    private void ensureCapacity(int rows) {
        if (rows <= capacity) {
            return;
        }
        activations = new double[layers][];
        deltas = new double[layers][];
        // One unit more than the layer: unit-major, a row of ones there turns the bias gradient into one
        // more column of the weight-gradient product.
        int widest = 0;
        for (int l = 0; l < layers; l++) {
            activations[l] = new double[rows * (topology.size(l + 1) + 1)];
            deltas[l] = new double[rows * topology.size(l + 1)];
            widest = Math.max(widest, (topology.size(l) + 1) * topology.size(l + 1));
        }
        logNormalizer = new double[rows];
        rowScratch = new double[rows];
        widenedInput = new double[rows * (topology.inputSize() + 1)];
        gradientTile = new double[widest];
        capacity = rows;
    }

    public Topology topology() {
        return topology;
    }

    public KernelPath path() {
        return path;
    }

    /** Correctly classified rows (argmax of the output equals the label) in the last call. */
    public long correctCount() {
        return correct;
    }

    /**
     * Loss summed over the block's rows (not averaged). Adds the summed gradient to {@code gradient}
     * when it is not null. Counts correct predictions, read through {@link #correctCount()}.
     *
     * @param x      features [rows x s_0] row-major
     * @param labels class index per row, 0..K-1
     */
    public double lossAndGradient(double[] params, double[] x, int[] labels, int rows, double[] gradient) {
        return lossAndGradient(params, x, null, labels, rows, gradient);
    }

    /** {@link #lossAndGradient(double[], double[], int[], int, double[])} for float32 features. */
    public double lossAndGradient(double[] params, float[] x, int[] labels, int rows, double[] gradient) {
        return lossAndGradient(params, null, x, labels, rows, gradient);
    }

    /** One of {@code x} and {@code xf} is the block; a float block is widened chunk by chunk. */
    private double lossAndGradient(double[] params, double[] x, float[] xf, int[] labels, int rows, double[] gradient) {
        int in = topology.inputSize();
        ensureCapacity(Math.min(rows, chunkRows));
        if (predictions.length < rows) {
            predictions = new int[rows];
        }
        double lossSum = 0.0;
        long hits = 0;
        for (int start = 0; start < rows; start += chunkRows) {
            int n = Math.min(chunkRows, rows - start);
            if (unitMajor) {
                transposeInput(x, xf, start * in, n);
                forwardByUnit(params, n);
                if (crossEntropy) {
                    lossSum += gemm.softmaxLoss(activations[layers - 1], deltas[layers - 1], topology.classCount(),
                            n, labels, start, predictions);
                    hits += gemm.hits;
                } else {
                    finishSoftmaxByUnit(activations[layers - 1], topology.classCount(), n);
                    lossSum = outputLossAndDeltaByUnit(labels, start, n, lossSum);
                    hits += correct;
                }
                if (gradient != null) {
                    backwardByUnit(params, n, gradient);
                }
                continue;
            }
            double[] input;
            int inputOffset;
            if (xf != null) {
                widen(xf, start * in, n * in);
                input = widenedInput;
                inputOffset = 0;
            } else {
                input = x;
                inputOffset = start * in;
            }
            forward(params, input, inputOffset, n);
            lossSum = outputLossAndDelta(labels, start, n, lossSum);
            hits += correct;
            if (gradient != null) {
                backward(params, input, inputOffset, n, gradient);
            }
        }
        correct = hits;
        return lossSum;
    }

    /** {@link #probabilities(double[], double[], int)} for float32 features. */
    public double[] probabilities(double[] params, float[] x, int rows) {
        ensureCapacity(rows);
        widen(x, 0, rows * topology.inputSize());
        return probabilities(params, widenedInput, rows);
    }

    /** Copies {@code count} floats from {@code x[from]} to the front of widenedInput, as doubles. */
    private void widen(float[] x, int from, int count) {
        for (int i = 0; i < count; i++) {
            widenedInput[i] = x[from + i];
        }
    }

    /**
     * The predicted class of each row of the last lossAndGradient call (the argmax of its probabilities,
     * the first on ties), in [0, rows); overwritten by the next call. The probabilities themselves are
     * not kept: the call works in chunks, and narrow networks keep them unit-major.
     */
    public int[] lastPredictions() {
        return predictions;
    }

    /**
     * Class probabilities [rows x K] for a block. The returned array is this kernel's buffer: it is
     * overwritten by the next call and may be longer than rows * K.
     */
    public double[] probabilities(double[] params, double[] x, int rows) {
        ensureCapacity(rows);
        forward(params, x, 0, rows);
        return activations[layers - 1];
    }

    private void forward(double[] params, double[] x, int xOffset, int rows) {
        double[] input = x;
        int inputOffset = xOffset;
        for (int l = 0; l < layers; l++) {
            int in = topology.size(l);
            int out = topology.size(l + 1);
            double[] output = activations[l];
            // Z = b (each row), then Z += A W^T: A(r, i) = input[r * in + i], W^T(i, j) = W[j * in + i].
            int b = topology.biasOffset(l);
            for (int r = 0; r < rows; r++) {
                int z = r * out;
                // A plain loop: for a handful of units it beats a System.arraycopy call per row.
                for (int j = 0; j < out; j++) {
                    output[z + j] = params[b + j];
                }
            }
            gemm.multiplyAdd(rows, out, in, input, inputOffset, in, 1, params, topology.weightOffset(l), 1, in, output, 0, out);
            if (l < layers - 1) {
                gemm.activate(activation, output, rows * out);
            } else {
                softmaxRows(output, out, rows);
            }
            input = output;
            inputOffset = 0;
        }
    }

    /**
     * Replaces each row of logits by its softmax. The shifted logits z - max stay in the output
     * delta buffer and log(sum exp(z - max)) in logNormalizer, so the cross-entropy is computed from
     * logits (-log p[y] = logNormalizer - (z[y] - max)) and stays exact when p[y] underflows.
     */
    private void softmaxRows(double[] z, int k, int rows) {
        double[] shifted = deltas[layers - 1];
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            double max = z[o];
            for (int c = 1; c < k; c++) {
                max = Math.max(max, z[o + c]);
            }
            for (int c = 0; c < k; c++) {
                shifted[o + c] = z[o + c] - max;
            }
        }
        gemm.exp(shifted, z, rows * k);
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            double sum = 0.0;
            for (int c = 0; c < k; c++) {
                sum += z[o + c];
            }
            double inv = 1.0 / sum;
            for (int c = 0; c < k; c++) {
                z[o + c] *= inv;
            }
            logNormalizer[r] = Math.log(sum);
        }
    }

    /**
     * D_L = dLoss/dZ_L in place of the delta buffer, for rows whose labels start at
     * {@code labels[firstLabel]}; returns {@code lossSum} plus their losses, added row by row.
     */
    private double outputLossAndDelta(int[] labels, int firstLabel, int rows, double lossSum) {
        int k = topology.classCount();
        double[] p = activations[layers - 1];
        double[] delta = deltas[layers - 1];
        long hits = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            int y = labels[firstLabel + r];
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[o + c] > p[o + best]) {
                    best = c;
                }
            }
            predictions[firstLabel + r] = best;
            if (best == y) {
                hits++;
            }
            if (crossEntropy) {
                lossSum += logNormalizer[r] - delta[o + y];
                for (int c = 0; c < k; c++) {
                    delta[o + c] = p[o + c];
                }
                delta[o + y] -= 1.0;
            } else {
                // L = sum_c (p_c - t_c)^2; g_c = dL/dp_c = 2 (p_c - t_c);
                // dL/dz_i = p_i * (g_i - sum_c g_c p_c) through the softmax Jacobian.
                double dot = 0.0;
                for (int c = 0; c < k; c++) {
                    double diff = p[o + c] - (c == y ? 1.0 : 0.0);
                    lossSum += diff * diff;
                    double g = 2.0 * diff;
                    delta[o + c] = g;
                    dot += g * p[o + c];
                }
                for (int c = 0; c < k; c++) {
                    delta[o + c] = p[o + c] * (delta[o + c] - dot);
                }
            }
        }
        correct = hits;
        return lossSum;
    }

    private void backward(double[] params, double[] x, int xOffset, int rows, double[] gradient) {
        for (int l = layers - 1; l >= 0; l--) {
            int in = topology.size(l);
            int out = topology.size(l + 1);
            double[] input = l == 0 ? x : activations[l - 1];
            int inputOffset = l == 0 ? xOffset : 0;
            double[] delta = deltas[l];
            int w = topology.weightOffset(l);
            int b = topology.biasOffset(l);
            // db[j] += sum_r D[r, j]
            gemm.addColumnSums(delta, rows, out, gradient, b);
            // dW [out x in] += D^T A: D^T(j, r) = delta[r * out + j], A(r, i) = input[r * in + i].
            gemm.multiplyAdd(out, in, rows, delta, 0, 1, out, input, inputOffset, in, 1, gradient, w, in);
            if (l > 0) {
                // D_(l-1) [rows x in] = (D W) .* f'(A_(l-1)): D(r, j) = delta[r * out + j], W(j, i) = W[j * in + i].
                double[] prevDelta = deltas[l - 1];
                Arrays.fill(prevDelta, 0, rows * in, 0.0);
                gemm.multiplyAdd(rows, in, out, delta, 0, out, 1, params, w, in, 1, prevDelta, 0, in);
                gemm.multiplyByDerivative(activation, prevDelta, input, rows * in);
            }
        }
    }

    /*
     * Unit-major chunks: for a chunk of n rows, unit j of a layer holds its n values at [j * n, (j + 1) * n).
     * Every element below gets the same operations in the same order as in the row-major methods above.
     */

    /**
     * The chunk's inputs, unit-major, and a row of ones after them (the bias's "input"). One unit at a
     * time, so the writes run along one row of the destination: 25% more rows per second for 10-8-4
     * than writing each input row across all ten destination rows.
     */
    private void transposeInput(double[] x, float[] xf, int from, int n) {
        int in = topology.inputSize();
        if (xf != null) {
            for (int i = 0; i < in; i++) {
                int dst = i * n;
                int src = from + i;
                for (int r = 0; r < n; r++) {
                    widenedInput[dst + r] = xf[src];
                    src += in;
                }
            }
        } else {
            for (int i = 0; i < in; i++) {
                int dst = i * n;
                int src = from + i;
                for (int r = 0; r < n; r++) {
                    widenedInput[dst + r] = x[src];
                    src += in;
                }
            }
        }
        Arrays.fill(widenedInput, in * n, (in + 1) * n, 1.0);
    }

    private void forwardByUnit(double[] params, int n) {
        double[] input = widenedInput;
        for (int l = 0; l < layers; l++) {
            int in = topology.size(l);
            int out = topology.size(l + 1);
            double[] z = activations[l];
            int b = topology.biasOffset(l);
            for (int j = 0; j < out; j++) {
                Arrays.fill(z, j * n, (j + 1) * n, params[b + j]);
            }
            // Z^T [out x n] += W [out x in] A^T [in x n]: z(j, r) = fma(W(j, i), A(r, i), z(j, r)) for i ascending.
            gemm.multiplyAdd(out, n, in, params, topology.weightOffset(l), in, 1, input, 0, n, 1, z, 0, n);
            if (l < layers - 1) {
                gemm.activate(activation, z, out * n);
                Arrays.fill(z, out * n, (out + 1) * n, 1.0);
            } else {
                shiftAndExpByUnit(z, out, n);
            }
            input = z;
        }
    }

    /**
     * The first half of {@link #softmaxRows} unit-major: the shifted logits z - max per row into the
     * output delta buffer and their exp into z. The rest is {@link Gemm#softmaxLoss} for cross-entropy,
     * {@link #finishSoftmaxByUnit} otherwise.
     */
    private void shiftAndExpByUnit(double[] z, int k, int n) {
        double[] shifted = deltas[layers - 1];
        gemm.shiftByRowMax(z, shifted, k, n);
        gemm.exp(shifted, z, k * n);
    }

    /** The second half of {@link #softmaxRows} unit-major, for the squared error: the same sum and scale per row. */
    private void finishSoftmaxByUnit(double[] z, int k, int n) {
        double[] sum = rowScratch;
        Arrays.fill(sum, 0, n, 0.0);
        for (int c = 0; c < k; c++) {
            int o = c * n;
            for (int r = 0; r < n; r++) {
                sum[r] += z[o + r];
            }
        }
        for (int r = 0; r < n; r++) {
            sum[r] = 1.0 / sum[r];
        }
        for (int c = 0; c < k; c++) {
            int o = c * n;
            for (int r = 0; r < n; r++) {
                z[o + r] *= sum[r];
            }
        }
    }

    /** {@link #outputLossAndDelta} unit-major, for the squared error (cross-entropy is {@link Gemm#softmaxLoss}). */
    private double outputLossAndDeltaByUnit(int[] labels, int firstLabel, int n, double lossSum) {
        int k = topology.classCount();
        double[] p = activations[layers - 1];
        double[] delta = deltas[layers - 1];
        long hits = 0;
        for (int r = 0; r < n; r++) {
            int y = labels[firstLabel + r];
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[c * n + r] > p[best * n + r]) {
                    best = c;
                }
            }
            predictions[firstLabel + r] = best;
            if (best == y) {
                hits++;
            }
            double dot = 0.0;
            for (int c = 0; c < k; c++) {
                double diff = p[c * n + r] - (c == y ? 1.0 : 0.0);
                lossSum += diff * diff;
                double g = 2.0 * diff;
                delta[c * n + r] = g;
                dot += g * p[c * n + r];
            }
            for (int c = 0; c < k; c++) {
                delta[c * n + r] = p[c * n + r] * (delta[c * n + r] - dot);
            }
        }
        correct = hits;
        return lossSum;
    }

    private void backwardByUnit(double[] params, int n, double[] gradient) {
        for (int l = layers - 1; l >= 0; l--) {
            int in = topology.size(l);
            int out = topology.size(l + 1);
            double[] input = l == 0 ? widenedInput : activations[l - 1];
            double[] delta = deltas[l];
            int w = topology.weightOffset(l);
            int b = topology.biasOffset(l);
            // [dW | db] [out x (in + 1)] += D^T [A | 1], as dot products along the chunk's rows (both operands
            // are unit-major, so nothing is packed): the ones row after the layer's inputs makes db's sum
            // that of D's row. Each sum is Gemm.addRowDots's eight interleaved partial sums.
            int ld = in + 1;
            for (int j = 0; j < out; j++) {
                System.arraycopy(gradient, w + j * in, gradientTile, j * ld, in);
                gradientTile[j * ld + in] = gradient[b + j];
            }
            gemm.addRowDots(out, ld, n, delta, input, gradientTile, ld);
            for (int j = 0; j < out; j++) {
                System.arraycopy(gradientTile, j * ld, gradient, w + j * in, in);
                gradient[b + j] = gradientTile[j * ld + in];
            }
            if (l > 0) {
                // D_(l-1)^T [in x n] = W^T D^T, then .* f'(A_(l-1)).
                double[] prevDelta = deltas[l - 1];
                Arrays.fill(prevDelta, 0, in * n, 0.0);
                gemm.multiplyAdd(in, n, out, params, w, 1, in, delta, 0, n, 1, prevDelta, 0, n);
                gemm.multiplyByDerivative(activation, prevDelta, input, in * n);
            }
        }
    }
}
