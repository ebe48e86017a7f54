package org.l1net.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.penalty.L1Mode;

/**
 * The resolved training configuration: job defaults from conf/, overridden by the command line.
 * Saved with the model.
 *
 * @param layers      full layer list "10,8,4", or null to build it from {@code hidden} and the data
 * @param hidden      hidden layer sizes "8" or "16,8" (empty for none), used when layers is null
 * @param optimizer   "sgd" (momentum gradient descent), "adam" or "lbfgs" (OWL-QN when l1 > 0)
 * @param evalEvery   evaluate the test set every this many epochs (and always at the last)
 * @param aggregationDepth treeAggregate depth, or {@link #AUTO_DEPTH} for {@link DistributedObjective}'s choice
 * @param lbfgsMemory (s, y) pairs that L-BFGS keeps
 * @param tolerance   L-BFGS stops when an iteration lowers the objective by less than this, relatively
 * @param batchFraction the fraction of rows each sgd or adam step samples (1: full batch); an epoch is
 *                    round(1 / batchFraction) steps
 * @param checkpointEvery write a checkpoint every this many epochs (0: never)
 * @param patience    stop when the early-stopping metric has not improved for this many epochs (0: never)
 * @param patienceOn  the early-stopping metric: "test-loss" or "test-accuracy"
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
        int aggregationDepth,
        int lbfgsMemory,
        double tolerance,
        double batchFraction,
        int checkpointEvery,
        int patience,
        String patienceOn) {

    /** The options that may differ between a run and its resumption: they change when and what is recorded, not the weights. */
    /**
     * Options a resumed run may change. The aggregation depth is one: the merge of the sums is exact, so
     * every depth gives the same bits (DistributedObjectiveTest).
     */
    private static final Set<String> RESUMABLE_CHANGES =
            Set.of("epochs", "eval-every", "checkpoint-every", "patience", "patience-on", "aggregation-depth");

    /** aggregationDepth's value for "auto": {@link DistributedObjective#autoDepth} chooses per dataset. */
    public static final int AUTO_DEPTH = 0;

    /** Whether a checkpoint's option {@code key} may differ in the run that resumes it. */
    static boolean resumableChange(String key) {
        return RESUMABLE_CHANGES.contains(key);
    }

    public TrainConfig {
        if (!optimizer.equals("sgd") && !optimizer.equals("adam") && !optimizer.equals("lbfgs")) {
            throw new IllegalArgumentException("--optimizer '" + optimizer + "': expected sgd, adam or lbfgs");
        }
        if (optimizer.equals("lbfgs") && l1 > 0.0 && l1Mode == L1Mode.SUBGRADIENT) {
            throw new IllegalArgumentException("--l1-mode subgradient does not apply to --optimizer lbfgs: with --l1 > 0 "
                    + "it runs OWL-QN, which handles L1 itself (use --l1-mode proximal, the default)");
        }
        if (!(batchFraction > 0.0 && batchFraction <= 1.0)) {
            throw new IllegalArgumentException("--batch-fraction must be in (0, 1], got " + batchFraction);
        }
        if (optimizer.equals("lbfgs") && batchFraction < 1.0) {
            throw new IllegalArgumentException("--batch-fraction " + batchFraction + " applies to sgd and adam; "
                    + "lbfgs needs the full gradient");
        }
        if (lbfgsMemory < 1) {
            throw new IllegalArgumentException("--lbfgs-memory must be >= 1, got " + lbfgsMemory);
        }
        if (!(tolerance >= 0.0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("--tol must be a finite number >= 0, got " + tolerance);
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be >= 0, got " + patience);
        }
        if (!patienceOn.equals("test-loss") && !patienceOn.equals("test-accuracy")) {
            throw new IllegalArgumentException("--patience-on '" + patienceOn + "': expected test-loss or test-accuracy");
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
        if (aggregationDepth < AUTO_DEPTH) {
            throw new IllegalArgumentException("--aggregation-depth must be auto or >= 1, got " + aggregationDepth);
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
        m.put("aggregation-depth", aggregationDepth == AUTO_DEPTH ? "auto" : aggregationDepth);
        m.put("lbfgs-memory", lbfgsMemory);
        m.put("tol", tolerance);
        m.put("batch-fraction", batchFraction);
        m.put("checkpoint-every", checkpointEvery);
        m.put("patience", patience);
        m.put("patience-on", patienceOn);
        return m;
    }

    /** The same options with another lambda: a regularization path trains one configuration per lambda. */
    public TrainConfig withL1(double lambda) {
        return new TrainConfig(layers, hidden, activation, loss, optimizer, learningRate, momentum, epochs, lambda, l1Mode,
                penalizeBiases, seed, partitions, evalEvery, blockSize, aggregationDepth, lbfgsMemory, tolerance,
                batchFraction, checkpointEvery, patience, patienceOn);
    }

    /** Optimizer steps per epoch: 1 for full batch, round(1 / batchFraction) for mini-batches. */
    public int stepsPerEpoch() {
        return batchFraction >= 1.0 ? 1 : (int) Math.max(1, Math.round(1.0 / batchFraction));
    }

    /**
     * The options that fix the weights a run produces, as "name=value" lines: a checkpoint may be resumed
     * only by a run whose lines are the same. The epoch count, evaluation and checkpoint periods and early
     * stopping may change.
     */
    public String resumeFingerprint() {
        StringBuilder sb = new StringBuilder();
        toMap().forEach((k, v) -> {
            if (!RESUMABLE_CHANGES.contains(k)) {
                sb.append(k).append('=').append(v).append('\n');
            }
        });
        return sb.toString();
    }

    /** A builder that starts from the command line's defaults; for tests and programmatic use. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TrainConfig}, starting from the command line's built-in defaults. */
    public static final class Builder {
        private String layers;
        private String hidden = "8";
        private Activation activation = Activation.TANH;
        private OutputLoss loss = OutputLoss.CROSS_ENTROPY;
        private String optimizer = "adam";
        private double learningRate = 0.01;
        private double momentum = 0.9;
        private int epochs = 500;
        private double l1 = 0.01;
        private L1Mode l1Mode = L1Mode.PROXIMAL;
        private boolean penalizeBiases;
        private long seed = 1;
        private int partitions;
        private int evalEvery = 1;
        private int blockSize;
        private int aggregationDepth = AUTO_DEPTH;
        private int lbfgsMemory = 10;
        private double tolerance = 1e-6;
        private double batchFraction = 1.0;
        private int checkpointEvery;
        private int patience;
        private String patienceOn = "test-loss";

        public Builder layers(String v) { layers = v; return this; }
        public Builder hidden(String v) { hidden = v; return this; }
        public Builder activation(Activation v) { activation = v; return this; }
        public Builder loss(OutputLoss v) { loss = v; return this; }
        public Builder optimizer(String v) { optimizer = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder l1(double v) { l1 = v; return this; }
        public Builder l1Mode(L1Mode v) { l1Mode = v; return this; }
        public Builder penalizeBiases(boolean v) { penalizeBiases = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder partitions(int v) { partitions = v; return this; }
        public Builder evalEvery(int v) { evalEvery = v; return this; }
        public Builder blockSize(int v) { blockSize = v; return this; }
        public Builder aggregationDepth(int v) { aggregationDepth = v; return this; }
        public Builder lbfgsMemory(int v) { lbfgsMemory = v; return this; }
        public Builder tolerance(double v) { tolerance = v; return this; }
        public Builder batchFraction(double v) { batchFraction = v; return this; }
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        public Builder patience(int v) { patience = v; return this; }
        public Builder patienceOn(String v) { patienceOn = v; return this; }

        public TrainConfig build() {
            return new TrainConfig(layers, hidden, activation, loss, optimizer, learningRate, momentum, epochs, l1, l1Mode,
                    penalizeBiases, seed, partitions, evalEvery, blockSize, aggregationDepth, lbfgsMemory, tolerance,
                    batchFraction, checkpointEvery, patience, patienceOn);
        }
    }
}
