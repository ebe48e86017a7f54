package org.l1net.nn;

import java.util.Arrays;

/**
 * The arithmetic of the block kernel: a matrix product that accumulates into its output, and the
 * element-wise activations. Two implementations ({@link ScalarGemm}, {@link VectorGemm}) give
 * bit-identical results: each C[p, c] is updated as c = fma(A[p, q], B[q, c], c) for q = 0, 1, ...
 * in that order, whatever the blocking or vector width; {@link #addRowDots} has an order of its own.
 */
abstract class Gemm {
    /**
     * C[m x n] += A[m x k] * B[k x n]. A(p, q) = a[aOff + p * aRow + q * aCol] and
     * B(q, c) = b[bOff + q * bRow + c * bCol] (any strides, so a transposed operand needs no copy);
     * C is row-major with row stride ldc.
     */
    abstract void multiplyAdd(int m, int n, int k,
                              double[] a, int aOff, int aRow, int aCol,
                              double[] b, int bOff, int bRow, int bCol,
                              double[] c, int cOff, int ldc);

    /** Doubles per vector operation: 1 for plain loops. */
    int lanes() {
        return 1;
    }

    /** Rows of a {@link #addRowDots} sum that go to one partial sum: every PARTIALS-th row. */
    static final int PARTIALS = 8;
    /** Scratch for one pair's partial sums; a Gemm belongs to one kernel, on one thread. */
    final double[] partials = new double[PARTIALS];

    /**
     * C[j x i] += the dot product of rows j of D and i of A, both [. x rows] with the rows contiguous:
     * for j in [0, m), i in [0, n), c[j * ldc + i] += dot(d[j * rows ..], a[i * rows ..]).
     *
     * <p>The order of the sum is part of the contract, so that every implementation and vector width
     * gives the same bits: {@value #PARTIALS} partial sums, p_s = fma(d[r], a[r], p_s) over the rows
     * r = s (mod {@value #PARTIALS}) in ascending order, from 0.0; then
     * ((p_0 + p_1) + (p_2 + p_3)) + ((p_4 + p_5) + (p_6 + p_7)), added to C once.
     */
    void addRowDots(int m, int n, int rows, double[] d, double[] a, double[] c, int ldc) {
        double[] p = partials;
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                Arrays.fill(p, 0.0);
                int dj = j * rows;
                int ai = i * rows;
                for (int r = 0; r < rows; r++) {
                    p[r & (PARTIALS - 1)] = Math.fma(d[dj + r], a[ai + r], p[r & (PARTIALS - 1)]);
                }
                c[j * ldc + i] += sumPartials(p);
            }
        }
    }

    /** The fixed tree that ends {@link #addRowDots}. */
    static double sumPartials(double[] p) {
        return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
    }

    /**
     * shifted[c * n + r] = z[c * n + r] - the largest z[c' * n + r] over c' ascending ({@link Math#max}),
     * for a unit-major chunk of n rows and k classes: the shift that keeps the softmax's exp finite.
     */
    void shiftByRowMax(double[] z, double[] shifted, int k, int n) {
        shiftRowsByMax(z, shifted, k, n, 0);
    }

    /** {@link #shiftByRowMax} for the rows from {@code first} on. */
    static void shiftRowsByMax(double[] z, double[] shifted, int k, int n, int first) {
        for (int r = first; r < n; r++) {
            double max = z[r];
            for (int c = 1; c < k; c++) {
                max = Math.max(max, z[c * n + r]);
            }
            for (int c = 0; c < k; c++) {
                shifted[c * n + r] = z[c * n + r] - max;
            }
        }
    }

    /**
     * Rows of a chunk whose softmax normalizers {@link #softmaxLoss} multiplies together before it takes
     * one log: 64 rows per lane. Each normalizer is in [1, k] and k is at most 32 unit-major, so a
     * product stays below 2^320.
     */
    static final int LOG_GROUP_ROWS = 64 * PARTIALS;
    /** Per lane of {@link #softmaxLoss}: the product of the normalizers not yet logged. */
    final double[] normalizerProducts = new double[PARTIALS];
    /** Per lane of {@link #softmaxLoss}: the sum of the logs of those products. */
    final double[] logSums = new double[PARTIALS];
    /** Per lane of {@link #softmaxLoss}: the sum of the labels' shifted logits. */
    final double[] labelLogits = new double[PARTIALS];
    /** Rows of the last {@link #softmaxLoss} whose prediction equals the label. */
    long hits;

    /**
     * Softmax, cross-entropy, its delta and the argmax of a unit-major chunk of n rows and k classes,
     * after the shift and exp: on entry shifted[c * n + r] = s = z - max over c of z, for row r and class
     * c, and e[c * n + r] = {@link FastMath#exp}(s). On return e holds the probabilities
     * p = e * (1 / sum over c of e) (the sum from 0.0 over c ascending), shifted holds dLoss/dz = p - 1
     * at the label and p elsewhere, predictions[firstLabel + r] the first class of largest p, and
     * {@link #hits} how many equal labels[firstLabel + r]. Returns the chunk's loss, the sum over rows of
     * log(sum over c of e) - s at the label.
     *
     * <p>The order of that sum is part of the contract, so that every implementation gives the same
     * bits, and it takes one log per {@value #LOG_GROUP_ROWS} rows, not one per row (the log was 14% of
     * a 10-8-4 pass): row r belongs to lane r mod {@value #PARTIALS}; a lane multiplies its rows'
     * normalizers (from 1.0, rows ascending) and, after its last row in each aligned group of
     * {@value #LOG_GROUP_ROWS} rows and at the end of the chunk, adds the log of that product to its
     * log sum (from 0.0) and restarts the product; it adds its rows' shifted label logits to its label
     * sum (from 0.0). The loss is the fixed tree of {@link #addRowDots} over the lanes' log sum minus
     * label sum.
     */
    double softmaxLoss(double[] e, double[] shifted, int k, int n, int[] labels, int firstLabel, int[] predictions) {
        startSoftmaxLoss();
        long hitCount = 0;
        for (int r = 0; r < n; r++) {
            hitCount += softmaxLossRow(e, shifted, k, n, r, labels, firstLabel, predictions);
        }
        hits = hitCount;
        return finishSoftmaxLoss();
    }

    final void startSoftmaxLoss() {
        Arrays.fill(normalizerProducts, 1.0);
        Arrays.fill(logSums, 0.0);
        Arrays.fill(labelLogits, 0.0);
    }

    /** Row r of {@link #softmaxLoss}; returns 1 if its prediction is right, else 0. */
    final int softmaxLossRow(double[] e, double[] shifted, int k, int n, int r, int[] labels, int firstLabel,
                             int[] predictions) {
        double sum = 0.0;
        for (int c = 0; c < k; c++) {
            sum += e[c * n + r];
        }
        double inv = 1.0 / sum;
        int y = labels[firstLabel + r];
        int lane = r & (PARTIALS - 1);
        labelLogits[lane] += shifted[y * n + r];
        int best = 0;
        double bestP = 0.0;
        for (int c = 0; c < k; c++) {
            int at = c * n + r;
            double p = e[at] * inv;
            e[at] = p;
            shifted[at] = c == y ? p - 1.0 : p;
            if (c == 0 || p > bestP) {
                best = c;
                bestP = p;
            }
        }
        predictions[firstLabel + r] = best;
        normalizerProducts[lane] *= sum;
        if ((r & (LOG_GROUP_ROWS - 1)) >= LOG_GROUP_ROWS - PARTIALS) {
            logNormalizerProducts(lane, lane + 1);
        }
        return best == y ? 1 : 0;
    }

    /** Lanes [from, to) add the log of their normalizer products to their log sums and restart the products. */
    final void logNormalizerProducts(int from, int to) {
        for (int lane = from; lane < to; lane++) {
            logSums[lane] += Math.log(normalizerProducts[lane]);
            normalizerProducts[lane] = 1.0;
        }
    }

    final double finishSoftmaxLoss() {
        logNormalizerProducts(0, PARTIALS);
        double[] p = partials;
        for (int lane = 0; lane < PARTIALS; lane++) {
            p[lane] = logSums[lane] - labelLogits[lane];
        }
        return sumPartials(p);
    }

    /** target[off + j] += sum over r of d[r * cols + j], r ascending, for j in [0, cols): the bias gradient. */
    abstract void addColumnSums(double[] d, int rows, int cols, double[] target, int off);

    /** dst[i] = {@link FastMath#exp}(src[i]) for i in [0, n). */
    abstract void exp(double[] src, double[] dst, int n);

    /** values[0, n) = f(values[0, n)). */
    abstract void activate(Activation f, double[] values, int n);

    /** delta[0, n) *= f'(z), written through the outputs y[0, n) = f(z). */
    abstract void multiplyByDerivative(Activation f, double[] delta, double[] y, int n);
}
