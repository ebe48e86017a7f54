package org.l1net.cli;

import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;
import org.l1net.penalty.L1Mode;
import org.l1net.train.TrainConfig;
import picocli.CommandLine.Option;

/**
 * The network and its optimizer, shared by {@code train} and {@code sweep} (a picocli mixin): the layers,
 * activation and loss, the optimizer and its settings, and the epochs (per lambda, in a sweep).
 */
final class ModelOptions {
    @Option(names = "--layers", description = "All layer sizes, e.g. 10,8,4; input and output must match the data "
            + "(default: none, --hidden and the data decide).")
    String layers;

    @Option(names = "--hidden", defaultValue = "8",
            description = "Hidden layer sizes, e.g. 8 or 16,8; input and output come from the data (default: ${DEFAULT-VALUE}).")
    String hidden;

    @Option(names = "--activation", defaultValue = "tanh", description = "Hidden activation: tanh, relu, sigmoid (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--loss", defaultValue = "cross-entropy", description = "Loss: cross-entropy or mse (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--optimizer", defaultValue = "adam",
            description = "sgd (momentum gradient descent), adam, or lbfgs (OWL-QN when --l1 > 0) (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum for sgd (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--epochs", defaultValue = "500",
            description = "Epochs: full-batch updates, or L-BFGS iterations for lbfgs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-fraction", defaultValue = "1.0", description = "sgd and adam: the fraction of rows each "
            + "step samples; an epoch is 1/f steps, each a pass; 1 is full batch (default: ${DEFAULT-VALUE}).")
    double batchFraction;

    @Option(names = "--lbfgs-memory", defaultValue = "10", description = "lbfgs: (s, y) pairs kept (default: ${DEFAULT-VALUE}).")
    int lbfgsMemory;

    @Option(names = "--tol", defaultValue = "1e-6", description = "lbfgs: stop when an iteration lowers the objective by "
            + "less than this, relatively (default: ${DEFAULT-VALUE}).")
    double tolerance;

    /** The validated configuration of a run with these options, {@code penalty}'s, and the rest as given. */
    TrainConfig config(PenaltyOptions penalty, double l1, CommonOptions common, int evalEvery, int checkpointEvery,
                       int patience, String patienceOn) {
        return new TrainConfig(layers, hidden, Activation.fromName(activation), OutputLoss.fromName(loss),
                optimizer, learningRate, momentum, epochs, l1, L1Mode.fromName(penalty.l1Mode), penalty.l1Biases,
                penalty.seed, common.partitions, evalEvery, common.blockSize, penalty.aggregationDepth(), lbfgsMemory,
                tolerance, batchFraction, checkpointEvery, patience, patienceOn);
    }

    /** The --layers sizes, or null when the data and --hidden decide. */
    int[] layerSizes() {
        return layers == null ? null : Topology.parseSizes(layers, "--layers");
    }

    /** The --hidden sizes; none for "0" or an empty value. */
    int[] hiddenSizes() {
        return hidden.isBlank() || hidden.trim().equals("0") ? new int[0] : Topology.parseSizes(hidden, "--hidden");
    }

    /** Every layer size: --layers, or the data's inputs, --hidden and the classes. */
    int[] allSizes(int inputs, int classes) {
        int[] given = layerSizes();
        if (given != null) {
            return given;
        }
        int[] hiddenSizes = hiddenSizes();
        int[] sizes = new int[hiddenSizes.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
        sizes[sizes.length - 1] = classes;
        return sizes;
    }
}
