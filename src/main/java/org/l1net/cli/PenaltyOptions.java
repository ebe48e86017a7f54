package org.l1net.cli;

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

    @Option(names = "--aggregation-depth", defaultValue = "2", description = "treeAggregate depth (default: ${DEFAULT-VALUE}).")
    int aggregationDepth;
}
