package org.l1net.nn;

/** {@link Gemm} in plain loops: the fallback where the Vector API is absent, and the tests' twin of VectorGemm. */
final class ScalarGemm extends Gemm {
    /** B copied row-major [k x n] when it is not already, so the inner loop runs along a row. */
    private double[] rowMajorB = new double[0];

    @Override
    void multiplyAdd(int m, int n, int k, double[] a, int aOff, int aRow, int aCol,
                     double[] b, int bOff, int bRow, int bCol, double[] c, int cOff, int ldc) {
        double[] bm = b;
        int bStart = bOff;
        int ldb = bRow;
        if (bCol != 1) {
            if (rowMajorB.length < k * n) {
                rowMajorB = new double[k * n];
            }
            for (int q = 0; q < k; q++) {
                for (int j = 0; j < n; j++) {
                    rowMajorB[q * n + j] = b[bOff + q * bRow + j * bCol];
                }
            }
            bm = rowMajorB;
            bStart = 0;
            ldb = n;
        }
        for (int p = 0; p < m; p++) {
            int cRow = cOff + p * ldc;
            int aBase = aOff + p * aRow;
            for (int q = 0; q < k; q++) {
                double av = a[aBase + q * aCol];
                int bq = bStart + q * ldb;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] = Math.fma(av, bm[bq + j], c[cRow + j]);
                }
            }
        }
    }

    @Override
    void addColumnSums(double[] d, int rows, int cols, double[] target, int off) {
        for (int r = 0; r < rows; r++) {
            int dr = r * cols;
            for (int j = 0; j < cols; j++) {
                target[off + j] += d[dr + j];
            }
        }
    }

    @Override
    void exp(double[] src, double[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = FastMath.exp(src[i]);
        }
    }

    @Override
    void activate(Activation f, double[] values, int n) {
        f.applyInPlace(values, 0, n);
    }

    @Override
    void multiplyByDerivative(Activation f, double[] delta, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            delta[i] *= f.derivativeFromOutput(y[i]);
        }
    }
}
