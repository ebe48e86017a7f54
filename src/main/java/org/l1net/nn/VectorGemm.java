package org.l1net.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm} with the Java Vector API, 256-bit double vectors (4 lanes; AVX2 and wider).
 *
 * <p>The product is blocked the usual way for a cache hierarchy (Goto and van de Geijn 2008): B is
 * packed into column panels of 12, 8 or 4 columns, contiguous along k, and a register-tiled
 * micro-kernel keeps a 4 x 12 tile of C in 12 vector registers while it walks k in blocks of
 * {@value #KC}: per step it loads 3 vectors of B, broadcasts 4 values of A and issues 12 fused
 * multiply-adds. Blocks at C's right and bottom edges run the same kernels on a padded scratch tile
 * (so narrow layers such as 10-8-4 never fall into latency-bound scalar loops); every element still
 * sees the same fma chain as {@link ScalarGemm}.
 */
final class VectorGemm extends Gemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = 4;
    /** Depth of a k block: a 12-column panel slice is 24 KB, an A strip of 4 rows 8 KB. */
    static final int KC = 256;

    private double[] packed = new double[0];
    /** A 4 x 12 tile of C for blocks at C's right or bottom edge. */
    private final double[] tile = new double[4 * 12];

    /** Whether the hardware has vectors of at least 256 bits (else the API would run slow emulation). */
    static boolean hardwareSupported() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    @Override
    void multiplyAdd(int m, int n, int k, double[] a, int aOff, int aRow, int aCol,
                     double[] b, int bOff, int bRow, int bCol, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        // B is packed with its columns padded to a multiple of 4 (zeros); a panel or row block that runs
        // past C's edge is computed in a 4 x w scratch tile and only its valid part copied back. Padding
        // lanes never mix with valid ones, so every valid element keeps its fma chain.
        int nPad = (n + L - 1) / L * L;
        double[] panels = packed;
        int panelBase = 0;
        if (bCol == 1 && bRow == n && (n == 4 || n == 8 || n == 12)) {
            // B is row-major with exactly one panel's width: it already is its own packed panel.
            panels = b;
            panelBase = bOff;
        } else {
            if (packed.length < nPad * k) {
                packed = new double[nPad * k];
            }
            panels = packed;
            int p12 = nPad / 12 * 12;
            for (int col = 0; col < p12; col += 12) {
                pack(b, bOff, bRow, bCol, k, n, col, 12);
            }
            int rest = nPad - p12;
            if (rest > 0) {
                pack(b, bOff, bRow, bCol, k, n, p12, rest);
            }
        }
        for (int q0 = 0; q0 < k; q0 += KC) {
            int q1 = Math.min(k, q0 + KC);
            for (int col = 0; col < nPad; col += 12) {
                int w = Math.min(12, nPad - col);
                int valid = Math.min(w, n - col);
                int pOff = panelBase + col * k;
                for (int p = 0; p < m; p += 4) {
                    int rows = Math.min(4, m - p);
                    int a0 = aOff + p * aRow;
                    if (rows == 4 && valid == w) {
                        kernel(w, q0, q1, a, a0, a0 + aRow, a0 + 2 * aRow, a0 + 3 * aRow, aCol,
                                panels, pOff, c, cOff + p * ldc + col, ldc);
                    } else {
                        // Missing rows read row p of A (any valid row would do) and land in the scratch tile only.
                        int c0 = cOff + p * ldc + col;
                        for (int r = 0; r < 4; r++) {
                            for (int j = 0; j < w; j++) {
                                tile[r * 12 + j] = r < rows && j < valid ? c[c0 + r * ldc + j] : 0.0;
                            }
                        }
                        kernel(w, q0, q1, a, a0, a0 + (rows > 1 ? aRow : 0), a0 + (rows > 2 ? 2 * aRow : 0),
                                a0 + (rows > 3 ? 3 * aRow : 0), aCol, panels, pOff, tile, 0, 12);
                        for (int r = 0; r < rows; r++) {
                            System.arraycopy(tile, r * 12, c, c0 + r * ldc, valid);
                        }
                    }
                }
            }
        }
    }

    private void kernel(int w, int q0, int q1, double[] a, int a0, int a1, int a2, int a3, int aCol,
                        double[] pb, int pOff, double[] c, int c0, int ldc) {
        if (w == 12) {
            kernel4x12(q0, q1, a, a0, a1, a2, a3, aCol, pb, pOff, c, c0, ldc);
        } else if (w == 8) {
            kernel4x8(q0, q1, a, a0, a1, a2, a3, aCol, pb, pOff, c, c0, ldc);
        } else {
            kernel4x4(q0, q1, a, a0, a1, a2, a3, aCol, pb, pOff, c, c0, ldc);
        }
    }

    /**
     * Columns [col, col + w) of B as one panel at packed[col * k], element (q, j) at q * w + j; columns
     * at or beyond n are zeros.
     */
    private void pack(double[] b, int bOff, int bRow, int bCol, int k, int n, int col, int w) {
        int dst = col * k;
        int valid = Math.min(w, n - col);
        for (int q = 0; q < k; q++) {
            int src = bOff + q * bRow + col * bCol;
            for (int j = 0; j < valid; j++) {
                packed[dst + j] = b[src + j * bCol];
            }
            for (int j = valid; j < w; j++) {
                packed[dst + j] = 0.0;
            }
            dst += w;
        }
    }

    private static void kernel4x12(int q0, int q1, double[] a, int r0, int r1, int r2, int r3, int aCol,
                                   double[] pb, int pOff, double[] c, int c0, int ldc) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        DoubleVector t00 = DoubleVector.fromArray(S, c, c0);
        DoubleVector t01 = DoubleVector.fromArray(S, c, c0 + 4);
        DoubleVector t02 = DoubleVector.fromArray(S, c, c0 + 8);
        DoubleVector t10 = DoubleVector.fromArray(S, c, c1);
        DoubleVector t11 = DoubleVector.fromArray(S, c, c1 + 4);
        DoubleVector t12 = DoubleVector.fromArray(S, c, c1 + 8);
        DoubleVector t20 = DoubleVector.fromArray(S, c, c2);
        DoubleVector t21 = DoubleVector.fromArray(S, c, c2 + 4);
        DoubleVector t22 = DoubleVector.fromArray(S, c, c2 + 8);
        DoubleVector t30 = DoubleVector.fromArray(S, c, c3);
        DoubleVector t31 = DoubleVector.fromArray(S, c, c3 + 4);
        DoubleVector t32 = DoubleVector.fromArray(S, c, c3 + 8);
        int ai = q0 * aCol;
        int bi = pOff + q0 * 12;
        for (int q = q0; q < q1; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bi + 4);
            DoubleVector b2 = DoubleVector.fromArray(S, pb, bi + 8);
            DoubleVector x = DoubleVector.broadcast(S, a[r0 + ai]);
            t00 = x.fma(b0, t00);
            t01 = x.fma(b1, t01);
            t02 = x.fma(b2, t02);
            x = DoubleVector.broadcast(S, a[r1 + ai]);
            t10 = x.fma(b0, t10);
            t11 = x.fma(b1, t11);
            t12 = x.fma(b2, t12);
            x = DoubleVector.broadcast(S, a[r2 + ai]);
            t20 = x.fma(b0, t20);
            t21 = x.fma(b1, t21);
            t22 = x.fma(b2, t22);
            x = DoubleVector.broadcast(S, a[r3 + ai]);
            t30 = x.fma(b0, t30);
            t31 = x.fma(b1, t31);
            t32 = x.fma(b2, t32);
            ai += aCol;
            bi += 12;
        }
        t00.intoArray(c, c0);
        t01.intoArray(c, c0 + 4);
        t02.intoArray(c, c0 + 8);
        t10.intoArray(c, c1);
        t11.intoArray(c, c1 + 4);
        t12.intoArray(c, c1 + 8);
        t20.intoArray(c, c2);
        t21.intoArray(c, c2 + 4);
        t22.intoArray(c, c2 + 8);
        t30.intoArray(c, c3);
        t31.intoArray(c, c3 + 4);
        t32.intoArray(c, c3 + 8);
    }

    private static void kernel4x8(int q0, int q1, double[] a, int r0, int r1, int r2, int r3, int aCol,
                                  double[] pb, int pOff, double[] c, int c0, int ldc) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        DoubleVector t00 = DoubleVector.fromArray(S, c, c0);
        DoubleVector t01 = DoubleVector.fromArray(S, c, c0 + 4);
        DoubleVector t10 = DoubleVector.fromArray(S, c, c1);
        DoubleVector t11 = DoubleVector.fromArray(S, c, c1 + 4);
        DoubleVector t20 = DoubleVector.fromArray(S, c, c2);
        DoubleVector t21 = DoubleVector.fromArray(S, c, c2 + 4);
        DoubleVector t30 = DoubleVector.fromArray(S, c, c3);
        DoubleVector t31 = DoubleVector.fromArray(S, c, c3 + 4);
        int ai = q0 * aCol;
        int bi = pOff + q0 * 8;
        for (int q = q0; q < q1; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bi + 4);
            DoubleVector x = DoubleVector.broadcast(S, a[r0 + ai]);
            t00 = x.fma(b0, t00);
            t01 = x.fma(b1, t01);
            x = DoubleVector.broadcast(S, a[r1 + ai]);
            t10 = x.fma(b0, t10);
            t11 = x.fma(b1, t11);
            x = DoubleVector.broadcast(S, a[r2 + ai]);
            t20 = x.fma(b0, t20);
            t21 = x.fma(b1, t21);
            x = DoubleVector.broadcast(S, a[r3 + ai]);
            t30 = x.fma(b0, t30);
            t31 = x.fma(b1, t31);
            ai += aCol;
            bi += 8;
        }
        t00.intoArray(c, c0);
        t01.intoArray(c, c0 + 4);
        t10.intoArray(c, c1);
        t11.intoArray(c, c1 + 4);
        t20.intoArray(c, c2);
        t21.intoArray(c, c2 + 4);
        t30.intoArray(c, c3);
        t31.intoArray(c, c3 + 4);
    }

    private static void kernel4x4(int q0, int q1, double[] a, int r0, int r1, int r2, int r3, int aCol,
                                  double[] pb, int pOff, double[] c, int c0, int ldc) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        DoubleVector t0 = DoubleVector.fromArray(S, c, c0);
        DoubleVector t1 = DoubleVector.fromArray(S, c, c1);
        DoubleVector t2 = DoubleVector.fromArray(S, c, c2);
        DoubleVector t3 = DoubleVector.fromArray(S, c, c3);
        int ai = q0 * aCol;
        int bi = pOff + q0 * 4;
        for (int q = q0; q < q1; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            t0 = DoubleVector.broadcast(S, a[r0 + ai]).fma(b0, t0);
            t1 = DoubleVector.broadcast(S, a[r1 + ai]).fma(b0, t1);
            t2 = DoubleVector.broadcast(S, a[r2 + ai]).fma(b0, t2);
            t3 = DoubleVector.broadcast(S, a[r3 + ai]).fma(b0, t3);
            ai += aCol;
            bi += 4;
        }
        t0.intoArray(c, c0);
        t1.intoArray(c, c1);
        t2.intoArray(c, c2);
        t3.intoArray(c, c3);
    }

    @Override
    void addColumnSums(double[] d, int rows, int cols, double[] target, int off) {
        int cVec = cols - cols % L;
        for (int j = 0; j < cVec; j += L) {
            DoubleVector acc = DoubleVector.fromArray(S, target, off + j);
            for (int r = 0; r < rows; r++) {
                acc = acc.add(DoubleVector.fromArray(S, d, r * cols + j));
            }
            acc.intoArray(target, off + j);
        }
        for (int j = cVec; j < cols; j++) {
            double acc = target[off + j];
            for (int r = 0; r < rows; r++) {
                acc += d[r * cols + j];
            }
            target[off + j] = acc;
        }
    }

    @Override
    void exp(double[] src, double[] dst, int n) {
        int nVec = n - n % L;
        int i = 0;
        for (; i < nVec; i += L) {
            exp(DoubleVector.fromArray(S, src, i)).intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] = FastMath.exp(src[i]);
        }
    }

    @Override
    void activate(Activation f, double[] values, int n) {
        int nVec = n - n % L;
        int i = 0;
        switch (f) {
            case TANH:
                for (; i < nVec; i += L) {
                    tanh(DoubleVector.fromArray(S, values, i)).intoArray(values, i);
                }
                break;
            case SIGMOID:
                for (; i < nVec; i += L) {
                    sigmoid(DoubleVector.fromArray(S, values, i)).intoArray(values, i);
                }
                break;
            case RELU:
                for (; i < nVec; i += L) {
                    DoubleVector.fromArray(S, values, i).max(0.0).intoArray(values, i);
                }
                break;
            default:
                throw new IllegalStateException("No vector form for " + f);
        }
        f.applyInPlace(values, i, n);
    }

    @Override
    void multiplyByDerivative(Activation f, double[] delta, double[] y, int n) {
        int nVec = n - n % L;
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector zero = DoubleVector.zero(S);
        int i = 0;
        for (; i < nVec; i += L) {
            DoubleVector yv = DoubleVector.fromArray(S, y, i);
            DoubleVector d;
            switch (f) {
                case TANH:
                    d = one.sub(yv.mul(yv));
                    break;
                case SIGMOID:
                    d = yv.mul(one.sub(yv));
                    break;
                case RELU:
                    VectorMask<Double> positive = yv.compare(VectorOperators.GT, 0.0);
                    d = zero.blend(one, positive);
                    break;
                default:
                    throw new IllegalStateException("No vector form for " + f);
            }
            DoubleVector.fromArray(S, delta, i).mul(d).intoArray(delta, i);
        }
        for (; i < n; i++) {
            delta[i] *= f.derivativeFromOutput(y[i]);
        }
    }

    /** {@link FastMath#reducedExpm1}, lane by lane. */
    private static DoubleVector reducedExpm1(DoubleVector r) {
        DoubleVector p = DoubleVector.broadcast(S, FastMath.C13);
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C12));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C11));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C10));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C9));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C8));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C7));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C6));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C5));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C4));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C3));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C2));
        p = p.fma(r, DoubleVector.broadcast(S, FastMath.C1));
        return p.mul(r);
    }

    private static DoubleVector twoToThe(DoubleVector t) {
        return t.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 52).add(FastMath.BIAS_BITS).viewAsFloatingLanes();
    }

    /** {@link FastMath#exp}, lane by lane. */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector v = x.max(-FastMath.MAX_ARG).min(FastMath.MAX_ARG);
        DoubleVector t = v.fma(FastMath.LOG2E, FastMath.SHIFTER);
        DoubleVector negN = t.sub(FastMath.SHIFTER).neg();
        DoubleVector r = negN.fma(DoubleVector.broadcast(S, FastMath.LN2_HI), v);
        r = negN.fma(DoubleVector.broadcast(S, FastMath.LN2_LO), r);
        DoubleVector scale = twoToThe(t);
        return scale.fma(reducedExpm1(r), scale);
    }

    /** {@link FastMath#sigmoid}, lane by lane. */
    static DoubleVector sigmoid(DoubleVector z) {
        DoubleVector e = exp(z.neg());
        return DoubleVector.broadcast(S, 1.0).div(e.add(1.0));
    }

    /** {@link FastMath#tanh}, lane by lane. */
    static DoubleVector tanh(DoubleVector x) {
        DoubleVector v = x.abs().mul(2.0).min(FastMath.MAX_ARG);
        DoubleVector t = v.fma(FastMath.LOG2E, FastMath.SHIFTER);
        DoubleVector negN = t.sub(FastMath.SHIFTER).neg();
        DoubleVector r = negN.fma(DoubleVector.broadcast(S, FastMath.LN2_HI), v);
        r = negN.fma(DoubleVector.broadcast(S, FastMath.LN2_LO), r);
        DoubleVector scale = twoToThe(t);
        DoubleVector m = scale.fma(reducedExpm1(r), scale.sub(1.0));
        DoubleVector magnitude = m.div(m.add(2.0));
        return magnitude.viewAsIntegralLanes()
                .or(x.viewAsIntegralLanes().and(FastMath.SIGN_BIT))
                .viewAsFloatingLanes();
    }
}
