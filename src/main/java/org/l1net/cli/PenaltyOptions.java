package org.l1net.cli;

import org.l1net.train.TrainConfig;
import picocli.CommandLine.Option;

/**
 * How L1 is applied, the initialization seed and the aggregation depth, shared by {@code train} and
 * {@code sweep} (a picocli mixin). The strength lambda itself is each command's own: one value for
 * {@code train}, a path for {@code sweep}.
 */
final class PenaltyOptions {
    @Option(names = "--l1-mode", defaultValue = "proximal",
            description = "proximal (soft-threshold, exact zeros) or subgradient (the article) (default: ${DEFAULT-VALUE}).")
    String l1Mode;

    @Option(names = "--l1-biases", description = "Penalize biases too (default: only connection weights).")
    boolean l1Biases;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the weight initialization and of "
            + "--validation-fraction's split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--aggregation-depth", defaultValue = "auto", description = "treeAggregate depth of the gradient sums:"
            + " a number >= 1, or auto (1 when every task's sums can go straight to the driver, else 2) (default: ${DEFAULT-VALUE}).")
    String aggregationDepth;

    /** --aggregation-depth as {@link TrainConfig}'s int: {@link TrainConfig#AUTO_DEPTH} for auto. */
    int aggregationDepth() {
        String value = aggregationDepth.trim();
        if (value.equalsIgnoreCase("auto")) {
            return TrainConfig.AUTO_DEPTH;
        }
        try {
            int depth = Integer.parseInt(value);
            if (depth >= 1) {
                return depth;
            }
        } catch (NumberFormatException e) {
            // The message below covers it.
        }
        throw new IllegalArgumentException("--aggregation-depth must be auto or a whole number >= 1, got " + aggregationDepth);
    }
}
