package org.l1net.nn;

/**
 * The arithmetic of the block kernel: a matrix product that accumulates into its output, and the
 * element-wise activations. Two implementations ({@link ScalarGemm}, {@link VectorGemm}) give
 * bit-identical results: each C[p, c] is updated as c = fma(A[p, q], B[q, c], c) for q = 0, 1, ...
 * in that order, whatever the blocking or vector width.
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

    /** Columns a product with n output columns computes, padding included (its packed B is this wide). */
    int packedWidth(int n) {
        return n;
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
