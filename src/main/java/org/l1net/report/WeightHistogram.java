package org.l1net.report;

import java.util.Arrays;

/**
 * Counts of connection-weight magnitudes |w|: the exact zeros apart, then equal-width bins over
 * (0, max |w|]. L1's story is the zero count; the bins show how large the survivors are.
 *
 * @param zeros  weights exactly 0
 * @param edges  bins + 1 ascending edges from 0 to max |w|; bin b holds edges[b] < |w| <= edges[b + 1]
 * @param counts nonzero weights per bin
 */
public record WeightHistogram(long zeros, double[] edges, long[] counts) {

    public WeightHistogram {
        if (edges.length != counts.length + 1) {
            throw new IllegalArgumentException(counts.length + " bins need " + (counts.length + 1) + " edges, got " + edges.length);
        }
        edges = edges.clone();
        counts = counts.clone();
    }

    /** The connection weights of {@code values} (where {@code isWeight}) in {@code bins} bins. */
    public static WeightHistogram of(double[] values, boolean[] isWeight, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("A histogram needs at least 1 bin, got " + bins);
        }
        long zeros = 0;
        double max = 0.0;
        for (int i = 0; i < values.length; i++) {
            if (isWeight == null || isWeight[i]) {
                double a = Math.abs(values[i]);
                zeros += a == 0.0 ? 1 : 0;
                max = Math.max(max, a);
            }
        }
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = max * b / bins;
        }
        edges[bins] = max;
        long[] counts = new long[bins];
        for (int i = 0; i < values.length; i++) {
            if ((isWeight == null || isWeight[i]) && values[i] != 0.0) {
                // ceil: the bin whose upper edge is the first >= |w|; |w| = max lands in the last bin
                int b = (int) Math.ceil(Math.abs(values[i]) / max * bins) - 1;
                counts[Math.max(0, Math.min(bins - 1, b))]++;
            }
        }
        return new WeightHistogram(zeros, edges, counts);
    }

    @Override
    public double[] edges() {
        return edges.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public int bins() {
        return counts.length;
    }

    public long nonzero() {
        return Arrays.stream(counts).sum();
    }

    public long total() {
        return zeros + nonzero();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightHistogram h && zeros == h.zeros && Arrays.equals(edges, h.edges)
                && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(zeros) * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "zeros " + zeros + ", edges " + Arrays.toString(edges) + ", counts " + Arrays.toString(counts);
    }
}
