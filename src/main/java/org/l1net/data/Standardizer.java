package org.l1net.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Feature standardization x' = (x - mean) / std, with the training set's mean and (population) standard
 * deviation. A feature with zero variance is only centered (its std is kept as 0 and the divisor is 1),
 * so it becomes 0 on the training rows and contributes nothing the network could fit.
 *
 * <p>The statistics come from one distributed pass: each partition sums count, mean and squared
 * deviations (Welford), and the driver merges the partitions in partition order (Chan et al. 1979),
 * so the result depends only on the rows and the partition count.
 */
public record Standardizer(double[] mean, double[] std) implements Serializable {

    public Standardizer {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("standardization has " + mean.length + " means and " + std.length
                    + " standard deviations");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !Double.isFinite(std[j]) || std[j] < 0) {
                throw new IllegalArgumentException("standardization of feature " + j + ": mean " + mean[j] + ", std "
                        + std[j] + " (expected finite values and std >= 0)");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    public int features() {
        return mean.length;
    }

    /** The standardized value of feature j, as stored in a block. */
    public float apply(double value, int j) {
        double s = std[j];
        return (float) ((value - mean[j]) / (s > 0 ? s : 1.0));
    }

    /**
     * Writes row[0..features) into x[offset..], standardized when {@code standardizer} is not null, as float32:
     * the one conversion every path (training blocks, scoring blocks, transform) uses.
     */
    public static void pack(double[] row, int features, Standardizer standardizer, float[] x, int offset) {
        if (standardizer == null) {
            for (int j = 0; j < features; j++) {
                x[offset + j] = (float) row[j];
            }
        } else {
            for (int j = 0; j < features; j++) {
                x[offset + j] = standardizer.apply(row[j], j);
            }
        }
    }

    /** Mean and standard deviation of the first {@code features} values of each row, in one pass. */
    public static Standardizer fit(JavaRDD<double[]> rows, int features) {
        List<double[]> parts = rows.mapPartitions(it -> {
            // [count, mean_0..mean_{F-1}, m2_0..m2_{F-1}]
            double[] s = new double[1 + 2 * features];
            long n = 0;
            while (it.hasNext()) {
                double[] row = it.next();
                n++;
                for (int j = 0; j < features; j++) {
                    double delta = row[j] - s[1 + j];
                    s[1 + j] += delta / n;
                    s[1 + features + j] += delta * (row[j] - s[1 + j]);
                }
            }
            s[0] = n;
            return List.of(s).iterator();
        }).collect();
        double n = 0;
        double[] mean = new double[features];
        double[] m2 = new double[features];
        for (double[] s : parts) {
            double nb = s[0];
            if (nb == 0) {
                continue;
            }
            double total = n + nb;
            for (int j = 0; j < features; j++) {
                double delta = s[1 + j] - mean[j];
                mean[j] += delta * nb / total;
                m2[j] += s[1 + features + j] + delta * delta * n * nb / total;
            }
            n = total;
        }
        if (n == 0) {
            throw new InputException("no rows to standardize");
        }
        double[] std = new double[features];
        for (int j = 0; j < features; j++) {
            std[j] = Math.sqrt(Math.max(0, m2[j] / n));
        }
        return new Standardizer(mean, std);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardizer[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
