package org.l1net.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm} with the Java Vector API on the JVM's widest double vectors (L = 4 lanes on AVX2, 8 on
 * AVX-512; narrower hardware gets the scalar path).
 *
 * <p>The product is blocked the usual way for a cache hierarchy (Goto and van de Geijn 2008): B is
 * packed into column panels of 3L, 2L or L columns, contiguous along k, and a register-tiled
 * micro-kernel keeps a 4 x 3L tile of C in 12 vector registers while it walks k in blocks of
 * {@value #KC}: per step it loads 3 vectors of B, broadcasts 4 values of A and issues 12 fused
 * multiply-adds. Blocks at C's right and bottom edges run the same kernels on a padded scratch tile
 * (so narrow layers such as 10-8-4 never fall into latency-bound scalar loops); every element still
 * sees the same fma chain as {@link ScalarGemm}.
 */
final class VectorGemm extends Gemm {
    /**
     * SPECIES_MAX, the species MLlib's BLAS (dev.ludovic.netlib VectorBLAS) uses. C2 compiles Vector
     * API code into plain vector instructions only while the JDK's shared vector code sees one vector
     * class; with MLlib's dgemm on DoubleMaxVector next to this kernel on Double512Vector (the same
     * width, another class), this kernel fell back to the API's boxed Java implementation: 30 GB of
     * garbage and 20x slower per pass. The results do not depend on the width.
     */
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_MAX;
    /** Lanes per vector: 4 (AVX2) or 8 (AVX-512). */
    private static final int L = S.length();
    private static final int W1 = L;
    private static final int W2 = 2 * L;
    private static final int W3 = 3 * L;
    /** The longest k for which a row-major B is read in place rather than packed. */
    private static final int IN_PLACE_MAX_K = 64;
    /** Depth of a k block: a 3L-column panel slice is 24 KB (L = 4) or 48 KB (L = 8), an A strip of 4 rows 8 KB. */
    static final int KC = 256;

    private double[] packed = new double[0];
    /** A 4 x W3 tile of C for blocks at C's right or bottom edge. */
    private final double[] tile = new double[4 * W3];
    /** Per row of a {@link #softmaxLoss} chunk: its label, then its prediction, as a double. */
    private double[] classes = new double[0];

    /** Whether the hardware has vectors of at least 256 bits (else the API would run slow emulation). */
    static boolean hardwareSupported() {
        return S.vectorBitSize() >= 256;
    }

    @Override
    int lanes() {
        return L;
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
        // A row-major B (bCol == 1) is read in place wherever a whole panel lies inside it (each of its k
        // rows is then w contiguous values, bRow apart; only the padded edge panel is packed), if it is
        // one panel exactly, or if k is short: the unit-major products of narrow layers. A long k over a
        // wide B would touch a new page at every step (784 doubles apart for 784-wide layers): packed,
        // 784-256-10 ran 25% faster.
        boolean inPlace = bCol == 1
                && (k <= IN_PLACE_MAX_K || (bRow == n && (n == W1 || n == W2 || n == W3)));
        if (!inPlace || n % L != 0) {
            if (packed.length < nPad * k) {
                packed = new double[nPad * k];
            }
            for (int col = 0; col < nPad; col += W3) {
                int w = Math.min(W3, nPad - col);
                if (!inPlace || col + w > n) {
                    pack(b, bOff, bRow, bCol, k, n, col, w);
                }
            }
        }
        for (int q0 = 0; q0 < k; q0 += KC) {
            int q1 = Math.min(k, q0 + KC);
            for (int col = 0; col < nPad; col += W3) {
                int w = Math.min(W3, nPad - col);
                int valid = Math.min(w, n - col);
                boolean direct = inPlace && col + w <= n;
                double[] panels = direct ? b : packed;
                int pOff = direct ? bOff + col * bCol : col * k;
                int ldb = direct ? bRow : w;
                for (int p = 0; p < m; p += 4) {
                    int rows = Math.min(4, m - p);
                    int a0 = aOff + p * aRow;
                    if (rows == 4 && valid == w) {
                        kernel(w, q0, q1, a, a0, a0 + aRow, a0 + 2 * aRow, a0 + 3 * aRow, aCol,
                                panels, pOff, ldb, c, cOff + p * ldc + col, ldc);
                    } else {
                        // Missing rows read row p of A (any valid row would do) and land in the scratch tile only.
                        int c0 = cOff + p * ldc + col;
                        for (int r = 0; r < 4; r++) {
                            for (int j = 0; j < w; j++) {
                                tile[r * W3 + j] = r < rows && j < valid ? c[c0 + r * ldc + j] : 0.0;
                            }
                        }
                        kernel(w, q0, q1, a, a0, a0 + (rows > 1 ? aRow : 0), a0 + (rows > 2 ? 2 * aRow : 0),
                                a0 + (rows > 3 ? 3 * aRow : 0), aCol, panels, pOff, ldb, tile, 0, W3);
                        for (int r = 0; r < rows; r++) {
                            System.arraycopy(tile, r * W3, c, c0 + r * ldc, valid);
                        }
                    }
                }
            }
        }
    }

    /** The micro-kernel for a panel w wide whose row q starts at pb[pOff + q * ldb]. */
    private void kernel(int w, int q0, int q1, double[] a, int a0, int a1, int a2, int a3, int aCol,
                        double[] pb, int pOff, int ldb, double[] c, int c0, int ldc) {
        if (w == W3) {
            kernel4x3v(q0, q1, a, a0, a1, a2, a3, aCol, pb, pOff, ldb, c, c0, ldc);
        } else if (w == W2) {
            kernel4x2v(q0, q1, a, a0, a1, a2, a3, aCol, pb, pOff, ldb, c, c0, ldc);
        } else {
            kernel4x1v(q0, q1, a, a0, a1, a2, a3, aCol, pb, pOff, ldb, c, c0, ldc);
        }
    }

    /**
     * Columns [col, col + w) of B as one panel at packed[col * k], element (q, j) at q * w + j; columns
     * at or beyond n are zeros.
     */
    private void pack(double[] b, int bOff, int bRow, int bCol, int k, int n, int col, int w) {
        int dst = col * k;
        int valid = Math.min(w, n - col);
        if (bRow == 1) {
            packColumns(b, bOff, bCol, k, col, w, valid, dst);
            return;
        }
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

    /** Rows of a panel this many at a time when B's columns are contiguous: their part of the panel stays in L1. */
    private static final int PACK_ROWS = 64;

    /**
     * {@link #pack} for a B whose columns are contiguous (bRow 1, e.g. unit-major activations): reads
     * each column along its run of q and writes it down the panel, PACK_ROWS rows of the panel at a time.
     */
    private void packColumns(double[] b, int bOff, int bCol, int k, int col, int w, int valid, int dst) {
        for (int q0 = 0; q0 < k; q0 += PACK_ROWS) {
            int q1 = Math.min(k, q0 + PACK_ROWS);
            for (int j = 0; j < valid; j++) {
                int src = bOff + (col + j) * bCol;
                int d = dst + q0 * w + j;
                for (int q = q0; q < q1; q++) {
                    packed[d] = b[src + q];
                    d += w;
                }
            }
            for (int j = valid; j < w; j++) {
                int d = dst + q0 * w + j;
                for (int q = q0; q < q1; q++) {
                    packed[d] = 0.0;
                    d += w;
                }
            }
        }
    }

    private static void kernel4x3v(int q0, int q1, double[] a, int r0, int r1, int r2, int r3, int aCol,
                                   double[] pb, int pOff, int ldb, double[] c, int c0, int ldc) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        DoubleVector t00 = DoubleVector.fromArray(S, c, c0);
        DoubleVector t01 = DoubleVector.fromArray(S, c, c0 + L);
        DoubleVector t02 = DoubleVector.fromArray(S, c, c0 + 2 * L);
        DoubleVector t10 = DoubleVector.fromArray(S, c, c1);
        DoubleVector t11 = DoubleVector.fromArray(S, c, c1 + L);
        DoubleVector t12 = DoubleVector.fromArray(S, c, c1 + 2 * L);
        DoubleVector t20 = DoubleVector.fromArray(S, c, c2);
        DoubleVector t21 = DoubleVector.fromArray(S, c, c2 + L);
        DoubleVector t22 = DoubleVector.fromArray(S, c, c2 + 2 * L);
        DoubleVector t30 = DoubleVector.fromArray(S, c, c3);
        DoubleVector t31 = DoubleVector.fromArray(S, c, c3 + L);
        DoubleVector t32 = DoubleVector.fromArray(S, c, c3 + 2 * L);
        int ai = q0 * aCol;
        int bi = pOff + q0 * ldb;
        for (int q = q0; q < q1; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, pb, bi + 2 * L);
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
            bi += ldb;
        }
        t00.intoArray(c, c0);
        t01.intoArray(c, c0 + L);
        t02.intoArray(c, c0 + 2 * L);
        t10.intoArray(c, c1);
        t11.intoArray(c, c1 + L);
        t12.intoArray(c, c1 + 2 * L);
        t20.intoArray(c, c2);
        t21.intoArray(c, c2 + L);
        t22.intoArray(c, c2 + 2 * L);
        t30.intoArray(c, c3);
        t31.intoArray(c, c3 + L);
        t32.intoArray(c, c3 + 2 * L);
    }

    private static void kernel4x2v(int q0, int q1, double[] a, int r0, int r1, int r2, int r3, int aCol,
                                   double[] pb, int pOff, int ldb, double[] c, int c0, int ldc) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        DoubleVector t00 = DoubleVector.fromArray(S, c, c0);
        DoubleVector t01 = DoubleVector.fromArray(S, c, c0 + L);
        DoubleVector t10 = DoubleVector.fromArray(S, c, c1);
        DoubleVector t11 = DoubleVector.fromArray(S, c, c1 + L);
        DoubleVector t20 = DoubleVector.fromArray(S, c, c2);
        DoubleVector t21 = DoubleVector.fromArray(S, c, c2 + L);
        DoubleVector t30 = DoubleVector.fromArray(S, c, c3);
        DoubleVector t31 = DoubleVector.fromArray(S, c, c3 + L);
        int ai = q0 * aCol;
        int bi = pOff + q0 * ldb;
        for (int q = q0; q < q1; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bi + L);
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
            bi += ldb;
        }
        t00.intoArray(c, c0);
        t01.intoArray(c, c0 + L);
        t10.intoArray(c, c1);
        t11.intoArray(c, c1 + L);
        t20.intoArray(c, c2);
        t21.intoArray(c, c2 + L);
        t30.intoArray(c, c3);
        t31.intoArray(c, c3 + L);
    }

    private static void kernel4x1v(int q0, int q1, double[] a, int r0, int r1, int r2, int r3, int aCol,
                                   double[] pb, int pOff, int ldb, double[] c, int c0, int ldc) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        DoubleVector t0 = DoubleVector.fromArray(S, c, c0);
        DoubleVector t1 = DoubleVector.fromArray(S, c, c1);
        DoubleVector t2 = DoubleVector.fromArray(S, c, c2);
        DoubleVector t3 = DoubleVector.fromArray(S, c, c3);
        int ai = q0 * aCol;
        int bi = pOff + q0 * ldb;
        for (int q = q0; q < q1; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            t0 = DoubleVector.broadcast(S, a[r0 + ai]).fma(b0, t0);
            t1 = DoubleVector.broadcast(S, a[r1 + ai]).fma(b0, t1);
            t2 = DoubleVector.broadcast(S, a[r2 + ai]).fma(b0, t2);
            t3 = DoubleVector.broadcast(S, a[r3 + ai]).fma(b0, t3);
            ai += aCol;
            bi += ldb;
        }
        t0.intoArray(c, c0);
        t1.intoArray(c, c1);
        t2.intoArray(c, c2);
        t3.intoArray(c, c3);
    }

    /**
     * {@link Gemm#addRowDots} with the rows along the vectors: with 8 lanes, lane s of a pair's
     * accumulator is partial sum s; with 4, two accumulators hold partials 0-3 and 4-7. Four rows of D
     * by two of A at a time on 8 lanes (8 accumulators, 6 loads per 8 FMAs); other widths go through
     * the scalar form.
     */
    @Override
    void addRowDots(int m, int n, int rows, double[] d, double[] a, double[] c, int ldc) {
        if (L != 8 && L != 4) {
            super.addRowDots(m, n, rows, d, a, c, ldc);
            return;
        }
        int full = rows - rows % PARTIALS;
        int j = 0;
        if (L == 8) {
            for (; j + 4 <= m; j += 4) {
                int i = 0;
                for (; i + 2 <= n; i += 2) {
                    dots4x2(j, i, rows, full, d, a, c, ldc);
                }
                for (; i < n; i++) {
                    for (int jj = j; jj < j + 4; jj++) {
                        dot(jj, i, rows, full, d, a, c, ldc);
                    }
                }
            }
        }
        for (; j < m; j++) {
            for (int i = 0; i < n; i++) {
                dot(j, i, rows, full, d, a, c, ldc);
            }
        }
    }

    /** One pair (j, i) of {@link #addRowDots}. */
    private void dot(int j, int i, int rows, int full, double[] d, double[] a, double[] c, int ldc) {
        int dj = j * rows;
        int ai = i * rows;
        DoubleVector lo = DoubleVector.zero(S);
        DoubleVector hi = lo;
        for (int r = 0; r < full; r += PARTIALS) {
            lo = DoubleVector.fromArray(S, d, dj + r).fma(DoubleVector.fromArray(S, a, ai + r), lo);
            if (L == 4) {
                hi = DoubleVector.fromArray(S, d, dj + r + 4).fma(DoubleVector.fromArray(S, a, ai + r + 4), hi);
            }
        }
        lo.intoArray(partials, 0);
        if (L == 4) {
            hi.intoArray(partials, 4);
        }
        finish(dj, ai, rows, full, d, a, c, j * ldc + i);
    }

    /** Pairs (j..j+3) x (i, i+1) of {@link #addRowDots} on 8 lanes. */
    private void dots4x2(int j, int i, int rows, int full, double[] d, double[] a, double[] c, int ldc) {
        int d0 = j * rows;
        int d1 = d0 + rows;
        int d2 = d1 + rows;
        int d3 = d2 + rows;
        int a0 = i * rows;
        int a1 = a0 + rows;
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s20 = s00;
        DoubleVector s21 = s00;
        DoubleVector s30 = s00;
        DoubleVector s31 = s00;
        for (int r = 0; r < full; r += PARTIALS) {
            DoubleVector x0 = DoubleVector.fromArray(S, a, a0 + r);
            DoubleVector x1 = DoubleVector.fromArray(S, a, a1 + r);
            DoubleVector y = DoubleVector.fromArray(S, d, d0 + r);
            s00 = y.fma(x0, s00);
            s01 = y.fma(x1, s01);
            y = DoubleVector.fromArray(S, d, d1 + r);
            s10 = y.fma(x0, s10);
            s11 = y.fma(x1, s11);
            y = DoubleVector.fromArray(S, d, d2 + r);
            s20 = y.fma(x0, s20);
            s21 = y.fma(x1, s21);
            y = DoubleVector.fromArray(S, d, d3 + r);
            s30 = y.fma(x0, s30);
            s31 = y.fma(x1, s31);
        }
        s00.intoArray(partials, 0);
        finish(d0, a0, rows, full, d, a, c, j * ldc + i);
        s01.intoArray(partials, 0);
        finish(d0, a1, rows, full, d, a, c, j * ldc + i + 1);
        s10.intoArray(partials, 0);
        finish(d1, a0, rows, full, d, a, c, (j + 1) * ldc + i);
        s11.intoArray(partials, 0);
        finish(d1, a1, rows, full, d, a, c, (j + 1) * ldc + i + 1);
        s20.intoArray(partials, 0);
        finish(d2, a0, rows, full, d, a, c, (j + 2) * ldc + i);
        s21.intoArray(partials, 0);
        finish(d2, a1, rows, full, d, a, c, (j + 2) * ldc + i + 1);
        s30.intoArray(partials, 0);
        finish(d3, a0, rows, full, d, a, c, (j + 3) * ldc + i);
        s31.intoArray(partials, 0);
        finish(d3, a1, rows, full, d, a, c, (j + 3) * ldc + i + 1);
    }

    /** The rows after the last full group of 8 into their partial sums, then the fixed tree into C. */
    private void finish(int dj, int ai, int rows, int full, double[] d, double[] a, double[] c, int at) {
        for (int r = full; r < rows; r++) {
            partials[r - full] = Math.fma(d[dj + r], a[ai + r], partials[r - full]);
        }
        c[at] += sumPartials(partials);
    }

    @Override
    void shiftByRowMax(double[] z, double[] shifted, int k, int n) {
        int nVec = n - n % L;
        for (int r = 0; r < nVec; r += L) {
            DoubleVector max = DoubleVector.fromArray(S, z, r);
            for (int c = 1; c < k; c++) {
                max = max.max(DoubleVector.fromArray(S, z, c * n + r));
            }
            for (int c = 0; c < k; c++) {
                DoubleVector.fromArray(S, z, c * n + r).sub(max).intoArray(shifted, c * n + r);
            }
        }
        shiftRowsByMax(z, shifted, k, n, nVec);
    }

    /**
     * {@link Gemm#softmaxLoss} with the rows along the vectors, L rows (lanes) at a time: lane s of a
     * vector at row i is lane i + s of the contract. Widths that do not divide 8 go through the scalar
     * form, as do the rows after the last full group of 8.
     */
    @Override
    double softmaxLoss(double[] e, double[] shifted, int k, int n, int[] labels, int firstLabel, int[] predictions) {
        if (PARTIALS % L != 0) {
            return super.softmaxLoss(e, shifted, k, n, labels, firstLabel, predictions);
        }
        startSoftmaxLoss();
        int full = n - n % PARTIALS;
        if (classes.length < full) {
            classes = new double[full];
        }
        // Labels in and predictions out as doubles: the Vector API's int-to-double lane conversions were
        // not compiled to vector instructions here, plain loops are.
        for (int r = 0; r < full; r++) {
            classes[r] = labels[firstLabel + r];
        }
        long hitCount = 0;
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int i = 0; i < full; i += PARTIALS) {
            for (int lane = 0; lane < PARTIALS; lane += L) {
                int o = i + lane;
                DoubleVector sum = zero;
                for (int c = 0; c < k; c++) {
                    sum = sum.add(DoubleVector.fromArray(S, e, c * n + o));
                }
                DoubleVector inv = one.div(sum);
                DoubleVector y = DoubleVector.fromArray(S, classes, o);
                // Class 0 is peeled off the loop: with an "if (c == 0)" inside it, C2 boxed bestClass
                // (gigabytes of garbage per second). Scalar constants are broadcast as doubles for the
                // same reason: broadcast(S, long) was not compiled to vector instructions.
                DoubleVector best = DoubleVector.fromArray(S, e, o).mul(inv);
                DoubleVector bestClass = zero;
                VectorMask<Double> isLabel = y.compare(VectorOperators.EQ, 0.0);
                DoubleVector labelLogit = zero.blend(DoubleVector.fromArray(S, shifted, o), isLabel);
                best.intoArray(e, o);
                best.sub(one, isLabel).intoArray(shifted, o);
                for (int c = 1; c < k; c++) {
                    int at = c * n + o;
                    DoubleVector p = DoubleVector.fromArray(S, e, at).mul(inv);
                    p.intoArray(e, at);
                    DoubleVector classC = DoubleVector.broadcast(S, (double) c);
                    isLabel = y.compare(VectorOperators.EQ, classC);
                    labelLogit = labelLogit.blend(DoubleVector.fromArray(S, shifted, at), isLabel);
                    p.sub(one, isLabel).intoArray(shifted, at);
                    VectorMask<Double> better = p.compare(VectorOperators.GT, best);
                    best = best.blend(p, better);
                    bestClass = bestClass.blend(classC, better);
                }
                DoubleVector.fromArray(S, normalizerProducts, lane).mul(sum).intoArray(normalizerProducts, lane);
                DoubleVector.fromArray(S, labelLogits, lane).add(labelLogit).intoArray(labelLogits, lane);
                hitCount += bestClass.compare(VectorOperators.EQ, y).trueCount();
                bestClass.intoArray(classes, o);
            }
            if ((i & (LOG_GROUP_ROWS - 1)) == LOG_GROUP_ROWS - PARTIALS) {
                logNormalizerProducts(0, PARTIALS);
            }
        }
        for (int r = 0; r < full; r++) {
            predictions[firstLabel + r] = (int) classes[r];
        }
        for (int r = full; r < n; r++) {
            hitCount += softmaxLossRow(e, shifted, k, n, r, labels, firstLabel, predictions);
        }
        hits = hitCount;
        return finishSoftmaxLoss();
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
        exp(src, dst, n, false);
    }

    @Override
    void activate(Activation f, double[] values, int n) {
        switch (f) {
            case TANH -> tanh(values, n);
            case SIGMOID -> {
                // 1 / (1 + exp(-z)) in two passes, each a self-contained vector loop.
                exp(values, values, n, true);
                int nVec = n - n % L;
                DoubleVector one = DoubleVector.broadcast(S, 1.0);
                int i = 0;
                for (; i < nVec; i += L) {
                    one.div(DoubleVector.fromArray(S, values, i).add(1.0)).intoArray(values, i);
                }
                for (; i < n; i++) {
                    values[i] = 1.0 / (1.0 + values[i]);
                }
            }
            case RELU -> {
                int nVec = n - n % L;
                int i = 0;
                for (; i < nVec; i += L) {
                    DoubleVector.fromArray(S, values, i).max(0.0).intoArray(values, i);
                }
                f.applyInPlace(values, i, n);
            }
            default -> throw new IllegalStateException("No vector form for " + f);
        }
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

    /*
     * The element-wise functions below are whole loops with the formula written out inside: a
     * DoubleVector passed to or returned from a method that C2 does not inline is boxed.
     */

    /** dst[i] = FastMath.exp(negate ? -src[i] : src[i]) for i in [0, n), lane by lane. */
    private static void exp(double[] src, double[] dst, int n, boolean negate) {
        int nVec = n - n % L;
        int i = 0;
        for (; i < nVec; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, src, i);
            if (negate) {
                x = x.neg();
            }
            DoubleVector v = x.max(-FastMath.MAX_ARG).min(FastMath.MAX_ARG);
            DoubleVector t = v.fma(FastMath.LOG2E, FastMath.SHIFTER);
            DoubleVector negN = t.sub(FastMath.SHIFTER).neg();
            DoubleVector r = negN.fma(DoubleVector.broadcast(S, FastMath.LN2_HI), v);
            r = negN.fma(DoubleVector.broadcast(S, FastMath.LN2_LO), r);
            DoubleVector scale = t.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 52)
                    .add(FastMath.BIAS_BITS).viewAsFloatingLanes();
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
            p = p.mul(r);
            scale.fma(p, scale).intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] = FastMath.exp(negate ? -src[i] : src[i]);
        }
    }

    /** values[i] = FastMath.tanh(values[i]) for i in [0, n), lane by lane. */
    private static void tanh(double[] values, int n) {
        int nVec = n - n % L;
        int i = 0;
        for (; i < nVec; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, values, i);
            DoubleVector v = x.abs().mul(2.0).min(FastMath.MAX_ARG);
            DoubleVector t = v.fma(FastMath.LOG2E, FastMath.SHIFTER);
            DoubleVector negN = t.sub(FastMath.SHIFTER).neg();
            DoubleVector r = negN.fma(DoubleVector.broadcast(S, FastMath.LN2_HI), v);
            r = negN.fma(DoubleVector.broadcast(S, FastMath.LN2_LO), r);
            DoubleVector scale = t.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 52)
                    .add(FastMath.BIAS_BITS).viewAsFloatingLanes();
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
            p = p.mul(r);
            DoubleVector m = scale.fma(p, scale.sub(1.0));
            DoubleVector magnitude = m.div(m.add(2.0));
            magnitude.viewAsIntegralLanes()
                    .or(x.viewAsIntegralLanes().and(FastMath.SIGN_BIT))
                    .viewAsFloatingLanes()
                    .intoArray(values, i);
        }
        for (; i < n; i++) {
            values[i] = FastMath.tanh(values[i]);
        }
    }
}
