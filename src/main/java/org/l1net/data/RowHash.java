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

    /** The SplitMix64 finalizer: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
