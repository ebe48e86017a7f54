package org.l1net.report;

import java.util.Arrays;
import java.util.List;
import org.l1net.train.EpochMetrics;
import org.l1net.train.RegularizationPath;

/**
 * One lambda of a sweep as sweep.csv shows it: the final model's accuracy and loss on the training and
 * validation sets, its nonzero weights per layer and the inputs it still reads through a nonzero
 * first-layer weight (from {@link ModelInspection}, as {@code inspect} counts them).
 *
 * @param nonzeroPerLayer nonzero connection weights of each weight layer, input side first
 * @param survivingInputs inputs with at least one nonzero first-layer weight
 * @param warm            whether it started from the previous lambda's weights (false: the seeded ones)
 * @param folder          the lambda's run folder, relative to the sweep's
 */
public record SweepRow(int index, double lambda, boolean warm, double trainAccuracy, double trainLoss, double validationAccuracy,
                       double validationLoss, double l1Penalty, long[] nonzeroPerLayer, long totalWeights,
                       int survivingInputs, int inputs, int epochs, long passes, double seconds, String folder) {

    public SweepRow {
        nonzeroPerLayer = nonzeroPerLayer.clone();
    }

    /** The row of a path step whose final weights {@code inspection} describes. */
    public static SweepRow of(RegularizationPath.Step step, ModelInspection inspection, String folder) {
        EpochMetrics last = step.result().last();
        if (!last.hasTest()) {
            throw new IllegalStateException("Lambda " + step.lambda() + ": the validation set was not evaluated at the end");
        }
        List<ModelInspection.LayerStats> layers = inspection.layers();
        long[] nonzero = layers.stream().mapToLong(ModelInspection.LayerStats::nonzero).toArray();
        return new SweepRow(step.index(), step.lambda(), step.warm(), last.trainAccuracy(), last.dataLoss(), last.testAccuracy(),
                last.testLoss(), last.l1Penalty(), nonzero, inspection.weights(),
                inspection.featureNames().size() - inspection.prunedInputs().size(), inspection.featureNames().size(),
                last.epoch(), step.result().passes(), step.result().seconds(), folder);
    }

    @Override
    public long[] nonzeroPerLayer() {
        return nonzeroPerLayer.clone();
    }

    public long nonzeroWeights() {
        return Arrays.stream(nonzeroPerLayer).sum();
    }
}
