package org.l1net.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.penalty.L1Mode;

/**
 * The resolved training configuration: job defaults from conf/, overridden by the command line.
 * Saved with the model.
 *
 * @param layers      full layer list "10,8,4", or null to build it from {@code hidden} and the data
 * @param hidden      hidden layer sizes "8" or "16,8" (empty for none), used when layers is null
 * @param optimizer   "sgd" (momentum gradient descent) or "adam"
 * @param evalEvery   evaluate the test set every this many epochs (and always at the last)
 * @param aggregationDepth treeAggregate depth
 */
public record TrainConfig(
        String layers,
        String hidden,
        Activation activation,
        OutputLoss loss,
        String optimizer,
        double learningRate,
        double momentum,
        int epochs,
        double l1,
        L1Mode l1Mode,
        boolean penalizeBiases,
        long seed,
        int partitions,
        int evalEvery,
        int blockSize,
        int aggregationDepth) {

    public TrainConfig {
        if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
            throw new IllegalArgumentException("--optimizer '" + optimizer + "': expected sgd or adam");
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("--epochs must be >= 0, got " + epochs);
        }
        if (evalEvery < 1) {
            throw new IllegalArgumentException("--eval-every must be >= 1, got " + evalEvery);
        }
        if (!(l1 >= 0.0) || Double.isInfinite(l1)) {
            throw new IllegalArgumentException("--l1 must be a finite number >= 0, got " + l1);
        }
        if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate);
        }
        if (!(momentum >= 0.0 && momentum < 1.0)) {
            throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        }
        if (aggregationDepth < 1) {
            throw new IllegalArgumentException("--aggregation-depth must be >= 1, got " + aggregationDepth);
        }
    }

    /** The options by their command-line names, for model.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", layers);
        m.put("hidden", hidden);
        m.put("activation", activation.cliName());
        m.put("loss", loss.cliName());
        m.put("optimizer", optimizer);
        m.put("lr", learningRate);
        m.put("momentum", momentum);
        m.put("epochs", epochs);
        m.put("l1", l1);
        m.put("l1-mode", l1Mode.cliName());
        m.put("l1-biases", penalizeBiases);
        m.put("seed", seed);
        m.put("partitions", partitions);
        m.put("eval-every", evalEvery);
        m.put("block-size", blockSize);
        m.put("aggregation-depth", aggregationDepth);
        return m;
    }
}
