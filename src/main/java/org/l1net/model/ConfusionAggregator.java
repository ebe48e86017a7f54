package org.l1net.model;

import java.io.Serializable;
import org.l1net.data.DataBlock;
import org.l1net.nn.BlockKernel;

/** Sums a confusion matrix (true class x predicted class) and the loss over blocks, for evaluate. */
public final class ConfusionAggregator implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int classes;
    private long[] counts;
    private double lossSum;
    private long rows;
    private transient BlockKernel kernel;

    public ConfusionAggregator(int classes) {
        this.classes = classes;
    }

    public ConfusionAggregator add(DataBlock block, L1NetModel model) {
        if (block.rows() == 0) {
            return this;
        }
        if (kernel == null) {
            kernel = new BlockKernel(model.topology());
        }
        if (counts == null) {
            counts = new long[classes * classes];
        }
        lossSum += kernel.lossAndGradient(model.parametersView(), block.x(), block.labels(), block.rows(), null);
        int[] predicted = kernel.lastPredictions();
        int[] labels = block.labels();
        for (int r = 0; r < block.rows(); r++) {
            counts[labels[r] * classes + predicted[r]]++;
        }
        rows += block.rows();
        return this;
    }

    public ConfusionAggregator merge(ConfusionAggregator other) {
        if (other.counts != null) {
            if (counts == null) {
                counts = new long[classes * classes];
            }
            for (int i = 0; i < counts.length; i++) {
                counts[i] += other.counts[i];
            }
        }
        lossSum += other.lossSum;
        rows += other.rows;
        return this;
    }

    /** Index of the largest of values[offset, offset + n); the first on ties. */
    public static int argmax(double[] values, int offset, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    public long rows() {
        return rows;
    }

    public double meanLoss() {
        return lossSum / rows;
    }

    /** counts[true][predicted] */
    public long[][] matrix() {
        long[][] m = new long[classes][classes];
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                m[t][p] = counts == null ? 0 : counts[t * classes + p];
            }
        }
        return m;
    }

    public double accuracy() {
        long hits = 0;
        for (int c = 0; c < classes && counts != null; c++) {
            hits += counts[c * classes + c];
        }
        return rows == 0 ? Double.NaN : (double) hits / rows;
    }
}
