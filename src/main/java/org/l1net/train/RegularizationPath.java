package org.l1net.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.l1net.data.LabeledBlocks;
import org.l1net.nn.Initializer;
import org.l1net.nn.Topology;
import org.l1net.penalty.L1Penalty;

/**
 * A regularization path: one network trained for each lambda, from the largest to the smallest, each
 * lambda starting from the previous one's final weights (a warm start; the first from the seeded
 * initialization) with a fresh optimizer state.
 *
 * <p>One exception: when a lambda ends with a weight layer that is entirely zero, the network computes a
 * constant, and that is a stationary point (the next paragraph): a smaller lambda started there would stay
 * there (up to rounding noise), however small. The next lambda then starts again from the seeded weights,
 * and its step says so ({@link Step#warm()} false).
 *
 * <p>The automatic start. For a linear model the smallest lambda whose solution is all zero is the largest
 * |dLoss/dw| at w = 0. A network has no such formula: with every connection weight zero, each hidden unit is
 * a constant, so every weight's gradient is zero (the biases absorb the class frequencies) and all-zero is a
 * stationary point of the L1 objective for any lambda. The path therefore starts from the seeded weights w0,
 * and {@link #autoStart} is {@code lambda_0 = max_i |dLoss/dw_i (w0)|} over the penalized parameters, which
 * has this property: for lambda >= lambda_0 the first update of proximal gradient descent, momentum or Adam,
 * with any step size, makes no weight larger in magnitude ({@code |w1_i| <= |w0_i|}): the gradient step moves
 * w_i by at most t |g_i| and the soft threshold takes t * lambda >= t |g_i| off again. Below lambda_0, a large
 * enough step makes the weight with the largest |g_i| grow. It is an estimate of where L1 starts to
 * dominate the data at the initialization, not a guarantee that training at lambda_0 ends with every weight
 * zero (sweep.csv shows how many are left).
 */
public final class RegularizationPath {

    /**
     * One lambda's run: its position on the path (0 = the largest lambda), the lambda, whether it started from
     * the previous lambda's weights (false: from the seeded ones), and what training produced.
     */
    public record Step(int index, double lambda, boolean warm, TrainingResult result) {
    }

    private RegularizationPath() {
    }

    /**
     * {@code steps} lambdas from {@code start} down to {@code start * minRatio}, evenly spaced in log10:
     * lambda_k = start * minRatio^(k / (steps - 1)); one step is {@code start} alone.
     */
    public static double[] logGrid(double start, double minRatio, int steps) {
        if (!(start > 0) || Double.isInfinite(start)) {
            throw new IllegalArgumentException("The largest lambda must be a positive number, got " + start);
        }
        if (!(minRatio > 0 && minRatio < 1)) {
            throw new IllegalArgumentException("--l1-min-ratio must be in (0, 1), got " + minRatio);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        double[] grid = new double[steps];
        for (int k = 0; k < steps; k++) {
            grid[k] = k == 0 ? start : start * Math.pow(minRatio, (double) k / (steps - 1));
        }
        return grid;
    }

    /** An explicit list "0.1,0.03,0.01": positive, distinct, returned largest first. */
    public static double[] parseList(String text) {
        String[] parts = text.split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            try {
                values[i] = Double.parseDouble(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--l1 '" + text + "': '" + p + "' is not a number (expected auto or a "
                        + "list such as 0.1,0.03,0.01)");
            }
            if (!(values[i] > 0) || Double.isInfinite(values[i])) {
                throw new IllegalArgumentException("--l1 '" + text + "': every lambda of a sweep must be a positive number, "
                        + "got " + p + " (train --l1 0 trains without L1)");
            }
        }
        double[] sorted = Arrays.stream(values).boxed().sorted((a, b) -> Double.compare(b, a)).mapToDouble(d -> d).toArray();
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("--l1 '" + text + "': " + sorted[i] + " is given twice");
            }
        }
        return sorted;
    }

    /** {@code max |gradient_i|} over the parameters {@code penalty} penalizes: see the class comment. */
    public static double autoStart(double[] meanGradient, L1Penalty penalty) {
        double most = 0.0;
        for (int i = 0; i < meanGradient.length; i++) {
            if (penalty.isPenalized(i)) {
                most = Math.max(most, Math.abs(meanGradient[i]));
            }
        }
        return most;
    }

    /** The automatic start for this configuration: one gradient pass over the training data at the seeded weights. */
    public static double autoStart(JavaSparkContext context, TrainConfig config, Topology topology, LabeledBlocks train) {
        double[] initial = Initializer.initialParameters(topology, config.seed());
        Evaluation at = new DistributedObjective(context, train.blocks(), topology, config.aggregationDepth())
                .evaluate(initial, true);
        double start = autoStart(at.meanGradient(),
                L1Penalty.forTopology(1.0, config.l1Mode(), topology.biasMask(), config.penalizeBiases()));
        if (!(start > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--l1 auto: the data-loss gradient at the seeded "
                    + "weights is %s, so there is no lambda to start from; give the lambdas as a list", start));
        }
        return start;
    }

    /**
     * Trains {@code config} once per lambda, largest first, each from the previous lambda's final weights.
     *
     * @param lambdas    descending
     * @param validation evaluated at the end of each lambda's run (and every {@code config.evalEvery()} epochs), or null
     * @param epochs     called after each epoch of each lambda with the step's index and the metrics
     * @param done       called after each lambda's run
     */
    public static List<Step> run(Trainer trainer, TrainConfig config, Topology topology, LabeledBlocks train,
                                 LabeledBlocks validation, double[] lambdas, EpochListener epochs, Consumer<Step> done) {
        return run(trainer, config, topology, train, validation, lambdas, true, epochs, done);
    }

    /**
     * As {@link #run(Trainer, TrainConfig, Topology, LabeledBlocks, LabeledBlocks, double[], EpochListener, Consumer)},
     * or with {@code warmStarts} false every lambda from the seeded weights (a cold start): more epochs to the same
     * loss, but no lambda inherits the units that a larger one killed.
     */
    public static List<Step> run(Trainer trainer, TrainConfig config, Topology topology, LabeledBlocks train,
                                 LabeledBlocks validation, double[] lambdas, boolean warmStarts, EpochListener epochs,
                                 Consumer<Step> done) {
        for (int i = 1; i < lambdas.length; i++) {
            if (!(lambdas[i] < lambdas[i - 1])) {
                throw new IllegalArgumentException("A regularization path runs from large to small lambda: "
                        + Arrays.toString(lambdas));
            }
        }
        List<Step> steps = new ArrayList<>();
        double[] seeded = Initializer.initialParameters(topology, config.seed());
        double[] params = seeded;
        for (int i = 0; i < lambdas.length; i++) {
            int index = i;
            boolean warm = warmStarts && i > 0 && !isConstant(topology, params);
            TrainingResult result = trainer.train(config.withL1(lambdas[i]), topology, train, validation,
                    warm ? params : seeded, m -> epochs.epoch(index, m));
            params = result.parameters();
            Step step = new Step(i, lambdas[i], warm, result);
            steps.add(step);
            done.accept(step);
        }
        return steps;
    }

    /** Some weight layer has no nonzero weight: the network's output does not depend on its input. */
    public static boolean isConstant(Topology topology, double[] params) {
        for (int l = 0; l < topology.layerCount(); l++) {
            int from = topology.weightOffset(l);
            int to = from + topology.size(l) * topology.size(l + 1);
            boolean any = false;
            for (int k = from; k < to && !any; k++) {
                any = params[k] != 0.0;
            }
            if (!any) {
                return true;
            }
        }
        return false;
    }

    /** Sees every epoch of every lambda. */
    @FunctionalInterface
    public interface EpochListener {
        void epoch(int stepIndex, EpochMetrics metrics);
    }
}
