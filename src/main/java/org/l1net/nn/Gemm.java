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

    /** target[off + j] += sum over r of d[r * cols + j], r ascending, for j in [0, cols): the bias gradient. */
    abstract void addColumnSums(double[] d, int rows, int cols, double[] target, int off);

    /** dst[i] = {@link FastMath#exp}(src[i]) for i in [0, n). */
    abstract void exp(double[] src, double[] dst, int n);

    /** values[0, n) = f(values[0, n)). */
    abstract void activate(Activation f, double[] values, int n);

    /** delta[0, n) *= f'(z), written through the outputs y[0, n) = f(z). */
    abstract void multiplyByDerivative(Activation f, double[] delta, double[] y, int n);
}
