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
 * multiply-adds. Columns beyond the last multiple of 4 and rows beyond the last multiple of 4 take
 * narrower kernels; every element still sees the same fma chain as {@link ScalarGemm}.
 */
final class VectorGemm extends Gemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = 4;
    /** Depth of a k block: a 12-column panel slice is 24 KB, an A strip of 4 rows 8 KB. */
    static final int KC = 256;

    private double[] packed = new double[0];

    /** Whether the hardware has vectors of at least 256 bits (else the API would run slow emulation). */
    static boolean hardwareSupported() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    @Override
    void multiplyAdd(int m, int n, int k, double[] a, int aOff, int aRow, int aCol,
                     double[] b, int bOff, int bRow, int bCol, double[] c, int cOff, int ldc) {
        int nVec = n - n % L;
        if (packed.length < nVec * k) {
            packed = new double[nVec * k];
        }
        // Panels: 12 columns while they last, then one of 8 or 4 (n mod 12 is 0, 4 or 8 after the tail).
        int p12 = nVec / 12 * 12;
        pack(b, bOff, bRow, bCol, k, 0, p12, 12);
        if (nVec - p12 == 8) {
            pack(b, bOff, bRow, bCol, k, p12, nVec, 8);
        } else if (nVec - p12 == 4) {
            pack(b, bOff, bRow, bCol, k, p12, nVec, 4);
        }
        int m4 = m - m % 4;
        for (int q0 = 0; q0 < k; q0 += KC) {
            int q1 = Math.min(k, q0 + KC);
            for (int col = 0; col < p12; col += 12) {
                int pOff = col * k;
                for (int p = 0; p < m4; p += 4) {
                    kernel4x12(q0, q1, a, aOff + p * aRow, aRow, aCol, packed, pOff, c, cOff + p * ldc + col, ldc);
                }
                for (int p = m4; p < m; p++) {
                    kernel1(q0, q1, 12, a, aOff + p * aRow, aCol, packed, pOff, c, cOff + p * ldc + col);
                }
            }
            int rest = nVec - p12;
            if (rest > 0) {
                int pOff = p12 * k;
                for (int p = 0; p < m4; p += 4) {
                    if (rest == 8) {
                        kernel4x8(q0, q1, a, aOff + p * aRow, aRow, aCol, packed, pOff, c, cOff + p * ldc + p12, ldc);
                    } else {
                        kernel4x4(q0, q1, a, aOff + p * aRow, aRow, aCol, packed, pOff, c, cOff + p * ldc + p12, ldc);
                    }
                }
                for (int p = m4; p < m; p++) {
                    kernel1(q0, q1, rest, a, aOff + p * aRow, aCol, packed, pOff, c, cOff + p * ldc + p12);
                }
            }
            if (nVec < n) {
                for (int p = 0; p < m; p++) {
                    int aBase = aOff + p * aRow;
                    int cRow = cOff + p * ldc;
                    for (int j = nVec; j < n; j++) {
                        double acc = c[cRow + j];
                        int bj = bOff + j * bCol;
                        for (int q = q0; q < q1; q++) {
                            acc = Math.fma(a[aBase + q * aCol], b[bj + q * bRow], acc);
                        }
                        c[cRow + j] = acc;
                    }
                }
            }
        }
    }

    /** Columns [from, to) of B into panels of width w: panel at packed[col * k], element (q, j) at q * w + j. */
    private void pack(double[] b, int bOff, int bRow, int bCol, int k, int from, int to, int w) {
        for (int col = from; col < to; col += w) {
            int dst = col * k;
            for (int q = 0; q < k; q++) {
                int src = bOff + q * bRow + col * bCol;
                for (int j = 0; j < w; j++) {
                    packed[dst++] = b[src + j * bCol];
                }
            }
        }
    }

    private static void kernel4x12(int q0, int q1, double[] a, int aBase, int aRow, int aCol,
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
        int ai = aBase + q0 * aCol;
        int bi = pOff + q0 * 12;
        int a1 = aRow;
        int a2 = 2 * aRow;
        int a3 = 3 * aRow;
        for (int q = q0; q < q1; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bi + 4);
            DoubleVector b2 = DoubleVector.fromArray(S, pb, bi + 8);
            DoubleVector x = DoubleVector.broadcast(S, a[ai]);
            t00 = x.fma(b0, t00);
            t01 = x.fma(b1, t01);
            t02 = x.fma(b2, t02);
            x = DoubleVector.broadcast(S, a[ai + a1]);
            t10 = x.fma(b0, t10);
            t11 = x.fma(b1, t11);
            t12 = x.fma(b2, t12);
            x = DoubleVector.broadcast(S, a[ai + a2]);
            t20 = x.fma(b0, t20);
            t21 = x.fma(b1, t21);
            t22 = x.fma(b2, t22);
            x = DoubleVector.broadcast(S, a[ai + a3]);
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

    private static void kernel4x8(int q0, int q1, double[] a, int aBase, int aRow, int aCol,
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
        int ai = aBase + q0 * aCol;
        int bi = pOff + q0 * 8;
        int a1 = aRow;
        int a2 = 2 * aRow;
        int a3 = 3 * aRow;
        for (int q = q0; q < q1; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bi + 4);
            DoubleVector x = DoubleVector.broadcast(S, a[ai]);
            t00 = x.fma(b0, t00);
            t01 = x.fma(b1, t01);
            x = DoubleVector.broadcast(S, a[ai + a1]);
            t10 = x.fma(b0, t10);
            t11 = x.fma(b1, t11);
            x = DoubleVector.broadcast(S, a[ai + a2]);
            t20 = x.fma(b0, t20);
            t21 = x.fma(b1, t21);
            x = DoubleVector.broadcast(S, a[ai + a3]);
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

    private static void kernel4x4(int q0, int q1, double[] a, int aBase, int aRow, int aCol,
                                  double[] pb, int pOff, double[] c, int c0, int ldc) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        DoubleVector t0 = DoubleVector.fromArray(S, c, c0);
        DoubleVector t1 = DoubleVector.fromArray(S, c, c1);
        DoubleVector t2 = DoubleVector.fromArray(S, c, c2);
        DoubleVector t3 = DoubleVector.fromArray(S, c, c3);
        int ai = aBase + q0 * aCol;
        int bi = pOff + q0 * 4;
        int a1 = aRow;
        int a2 = 2 * aRow;
        int a3 = 3 * aRow;
        for (int q = q0; q < q1; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            t0 = DoubleVector.broadcast(S, a[ai]).fma(b0, t0);
            t1 = DoubleVector.broadcast(S, a[ai + a1]).fma(b0, t1);
            t2 = DoubleVector.broadcast(S, a[ai + a2]).fma(b0, t2);
            t3 = DoubleVector.broadcast(S, a[ai + a3]).fma(b0, t3);
            ai += aCol;
            bi += 4;
        }
        t0.intoArray(c, c0);
        t1.intoArray(c, c1);
        t2.intoArray(c, c2);
        t3.intoArray(c, c3);
    }

    /** One row of C against a panel of width w (a multiple of 4), one vector at a time. */
    private static void kernel1(int q0, int q1, int w, double[] a, int aBase, int aCol,
                                double[] pb, int pOff, double[] c, int c0) {
        for (int v = 0; v < w; v += L) {
            DoubleVector t = DoubleVector.fromArray(S, c, c0 + v);
            int ai = aBase + q0 * aCol;
            int bi = pOff + q0 * w + v;
            for (int q = q0; q < q1; q++) {
                t = DoubleVector.broadcast(S, a[ai]).fma(DoubleVector.fromArray(S, pb, bi), t);
                ai += aCol;
                bi += w;
            }
            t.intoArray(c, c0 + v);
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
