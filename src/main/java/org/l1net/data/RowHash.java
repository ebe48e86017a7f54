package org.l1net.data;

/** A 64-bit hash of a row's exact values, used as its partitioning and ordering key. */
final class RowHash {
    private RowHash() {
    }

    static long of(double[] row) {
        long h = 0x9E3779B97F4A7C15L ^ row.length;
        for (double v : row) {
            h = mix(h ^ Double.doubleToLongBits(v));
        }
        return h;
    }

    /**
     * True when a row of this hash falls in the validation share {@code fraction} of the split seeded by
     * {@code seed}: a function of the row's values and the seed alone, never of the partitioning.
     */
    static boolean inValidation(long rowHash, long seed, double fraction) {
        long threshold = (long) Math.ceil(fraction * 0x1p53);
        return (mix(rowHash ^ mix(seed ^ 0x5EEDL)) >>> 11) < threshold;
    }

    /** The SplitMix64 finalizer: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
