package org.l1net.train;

import java.io.Serializable;
import org.l1net.data.DataBlock;
import org.l1net.nn.BlockKernel;
import org.l1net.nn.Topology;

/**
 * Sums over blocks: loss, correct predictions, rows and (optionally) the gradient. The driver
 * divides once. The gradient buffer is created on the first block, so the zero value that Spark
 * ships to every task stays a few bytes.
 *
 * <p>Merges add in double-double arithmetic (Knuth's TwoSum, keeping each rounding error in a
 * second array): the merged sum is then exact to about 100 bits whatever order Spark merges task
 * results in, so the same blocks give the same weights, bit for bit, run after run. Within a task
 * the order is fixed by the blocks, and plain addition is used.
 */
public final class GradientAggregator implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Topology topology;
    private final boolean withGradient;
    private final double sampleFraction;
    private final long sampleSeed;
    private double lossSum;
    private double lossError;
    private long correct;
    private long rows;
    private double[] gradient;
    private double[] gradientError;
    private transient BlockKernel kernel;
    private transient float[] sampleX;
    private transient int[] sampleLabels;

    /** Sums over every row. */
    public GradientAggregator(Topology topology, boolean withGradient) {
        this(topology, withGradient, 1.0, 0L);
    }

    /**
     * Sums over a seeded sample of the rows: each row is in it with probability {@code fraction},
     * decided by a hash of the row's values and the seed, so the sample depends on neither the
     * partitioning nor the order in which tasks run.
     */
    public GradientAggregator(Topology topology, boolean withGradient, double fraction, long seed) {
        if (!(fraction > 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("--batch-fraction must be in (0, 1], got " + fraction);
        }
        this.topology = topology;
        this.withGradient = withGradient;
        this.sampleFraction = fraction;
        this.sampleSeed = seed;
    }

    /** A new aggregator with this one's settings and no sums. */
    public GradientAggregator emptyCopy() {
        return new GradientAggregator(topology, withGradient, sampleFraction, sampleSeed);
    }

    /** Adds one block evaluated at {@code params}; returns this. */
    public GradientAggregator add(DataBlock block, double[] params) {
        if (block.rows() == 0) {
            return this;
        }
        if (kernel == null) {
            kernel = new BlockKernel(topology);
        }
        if (withGradient && gradient == null) {
            gradient = new double[topology.parameterCount()];
        }
        if (sampleFraction < 1.0) {
            int sampled = gatherSample(block);
            if (sampled > 0) {
                lossSum += kernel.lossAndGradient(params, sampleX, sampleLabels, sampled, gradient);
                correct += kernel.correctCount();
                rows += sampled;
            }
            return this;
        }
        lossSum += kernel.lossAndGradient(params, block.x(), block.labels(), block.rows(), gradient);
        correct += kernel.correctCount();
        rows += block.rows();
        return this;
    }

    /** Copies the block's sampled rows to the front of the task's scratch arrays; returns how many. */
    private int gatherSample(DataBlock block) {
        int features = block.features();
        if (sampleX == null || sampleLabels.length < block.rows()) {
            sampleX = new float[block.rows() * features];
            sampleLabels = new int[block.rows()];
        }
        float[] x = block.x();
        int[] labels = block.labels();
        // A row is in the sample when its 53-bit hash, read as a fraction of 2^53, is below the fraction.
        long threshold = (long) Math.ceil(sampleFraction * 0x1p53);
        int n = 0;
        for (int r = 0; r < block.rows(); r++) {
            if ((rowHash(x, r * features, features, labels[r], sampleSeed) >>> 11) < threshold) {
                System.arraycopy(x, r * features, sampleX, n * features, features);
                sampleLabels[n] = labels[r];
                n++;
            }
        }
        return n;
    }

    /** A SplitMix64-style hash of one row's values and label, keyed by the seed. */
    static long rowHash(float[] x, int offset, int features, int label, long seed) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L) ^ label;
        for (int j = 0; j < features; j++) {
            h = mix(h ^ Float.floatToRawIntBits(x[offset + j]) ^ ((long) j << 32));
        }
        return mix(h);
    }

    /** The SplitMix64 finalizer: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Adds another aggregator's sums into this one; returns this. */
    public GradientAggregator merge(GradientAggregator other) {
        if (other.rows == 0) {
            return this;
        }
        double[] loss = twoSum(lossSum, lossError, other.lossSum, other.lossError);
        lossSum = loss[0];
        lossError = loss[1];
        correct += other.correct;
        rows += other.rows;
        if (other.gradient != null) {
            if (gradient == null) {
                gradient = other.gradient.clone();
                gradientError = other.gradientError == null ? new double[gradient.length] : other.gradientError.clone();
            } else {
                if (gradientError == null) {
                    gradientError = new double[gradient.length];
                }
                double[] otherError = other.gradientError;
                for (int i = 0; i < gradient.length; i++) {
                    double a = gradient[i];
                    double b = other.gradient[i];
                    double s = a + b;
                    double bv = s - a;
                    double err = (a - (s - bv)) + (b - bv);
                    gradientError[i] += err + (otherError == null ? 0.0 : otherError[i]);
                    gradient[i] = s;
                }
            }
        }
        return this;
    }

    /** (hi1 + lo1) + (hi2 + lo2) as an unnormalized (sum, error) pair. */
    private static double[] twoSum(double hi1, double lo1, double hi2, double lo2) {
        double s = hi1 + hi2;
        double bv = s - hi1;
        double err = (hi1 - (s - bv)) + (hi2 - bv);
        return new double[] {s, lo1 + lo2 + err};
    }

    public long rows() {
        return rows;
    }

    public long correct() {
        return correct;
    }

    /** The summed loss, with the merge errors folded back in. */
    public double lossSum() {
        return lossSum + lossError;
    }

    /** The summed gradient divided by the row count, or null when no gradient was asked for. */
    public double[] meanGradient() {
        if (gradient == null || rows == 0) {
            return withGradient ? new double[topology.parameterCount()] : null;
        }
        double[] mean = new double[gradient.length];
        double scale = 1.0 / rows;
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (gradient[i] + (gradientError == null ? 0.0 : gradientError[i])) * scale;
        }
        return mean;
    }
}
