package org.l1net.nn;

/**
 * exp, sigmoid and tanh built only from +, *, fused multiply-add, division and bit operations, so
 * that {@link VectorGemm} can compute the very same values lane by lane: the scalar and vector
 * kernels then give bit-identical results, on any vector width.
 *
 * <p>exp(x) = 2^n * exp(r) with n = round(x / ln 2) and r = x - n ln 2 (|r| <= ln2/2, ln 2 split in
 * two parts, Cody and Waite 1980); exp(r) - 1 is its Taylor polynomial to degree 13, whose
 * truncation error (0.35^14/14! ~ 1e-17) is below half an ulp. Measured against Math.exp and
 * Math.tanh: within 2 ulp (the tests allow 1e-15 relative). Arguments are clamped to [-708, 708],
 * where 2^n stays a normal number: exp(-800) returns exp(-708) ~ 3e-308 instead of 0, which no
 * loss or gradient can tell apart.
 */
final class FastMath {
    static final double LOG2E = 0x1.71547652b82fep0;
    /** 1.5 * 2^52: adding it rounds to an integer, which then sits in the low bits of the sum. */
    static final double SHIFTER = 0x1.8p52;
    static final double LN2_HI = 0x1.62e42fefa39efp-1;
    static final double LN2_LO = 0x1.abc9e3b39803fp-56;
    static final double MAX_ARG = 708.0;
    /** The exponent bias in place: (n << 52) + BIAS_BITS are the bits of 2^n. */
    static final long BIAS_BITS = 1023L << 52;
    static final long SIGN_BIT = 0x8000000000000000L;

    /** 1/k! for k = 1..13. */
    static final double C1 = 1.0;
    static final double C2 = 1.0 / 2;
    static final double C3 = 1.0 / 6;
    static final double C4 = 1.0 / 24;
    static final double C5 = 1.0 / 120;
    static final double C6 = 1.0 / 720;
    static final double C7 = 1.0 / 5040;
    static final double C8 = 1.0 / 40320;
    static final double C9 = 1.0 / 362880;
    static final double C10 = 1.0 / 3628800;
    static final double C11 = 1.0 / 39916800;
    static final double C12 = 1.0 / 479001600;
    static final double C13 = 1.0 / 6227020800.0;

    private FastMath() {
    }

    /** exp(r) - 1 for |r| <= ln2/2, by Horner's rule with fused multiply-adds. */
    static double reducedExpm1(double r) {
        double p = C13;
        p = Math.fma(p, r, C12);
        p = Math.fma(p, r, C11);
        p = Math.fma(p, r, C10);
        p = Math.fma(p, r, C9);
        p = Math.fma(p, r, C8);
        p = Math.fma(p, r, C7);
        p = Math.fma(p, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, C1);
        return p * r;
    }

    /** The bits of 2^n, read from t = n + SHIFTER: its low mantissa bits hold n (two's complement). */
    static double twoToThe(double t) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(t) << 52) + BIAS_BITS);
    }

    static double exp(double x) {
        double v = Math.min(Math.max(x, -MAX_ARG), MAX_ARG);
        double t = Math.fma(v, LOG2E, SHIFTER);
        double n = t - SHIFTER;
        double r = Math.fma(-n, LN2_HI, v);
        r = Math.fma(-n, LN2_LO, r);
        double scale = twoToThe(t);
        return Math.fma(scale, reducedExpm1(r), scale);
    }

    /** 1 / (1 + exp(-z)). */
    static double sigmoid(double z) {
        return 1.0 / (1.0 + exp(-z));
    }

    /** tanh(x) = sign(x) * m / (m + 2) with m = expm1(2|x|), accurate near 0 as well. */
    static double tanh(double x) {
        double v = Math.min(2.0 * Math.abs(x), MAX_ARG);
        double t = Math.fma(v, LOG2E, SHIFTER);
        double n = t - SHIFTER;
        double r = Math.fma(-n, LN2_HI, v);
        r = Math.fma(-n, LN2_LO, r);
        double scale = twoToThe(t);
        double m = Math.fma(scale, reducedExpm1(r), scale - 1.0);
        double magnitude = m / (m + 2.0);
        return Double.longBitsToDouble(Double.doubleToRawLongBits(magnitude)
                | (Double.doubleToRawLongBits(x) & SIGN_BIT));
    }

    /** max(0, z); NaN stays NaN. */
    static double relu(double z) {
        return Math.max(z, 0.0);
    }
}
