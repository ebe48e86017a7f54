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
    private double lossSum;
    private double lossError;
    private long correct;
    private long rows;
    private double[] gradient;
    private double[] gradientError;
    private transient BlockKernel kernel;

    public GradientAggregator(Topology topology, boolean withGradient) {
        this.topology = topology;
        this.withGradient = withGradient;
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
        lossSum += kernel.lossAndGradient(params, block.x(), block.labels(), block.rows(), gradient);
        correct += kernel.correctCount();
        rows += block.rows();
        return this;
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
        if (gradient == null) {
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
