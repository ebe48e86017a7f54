package org.l1net.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.l1net.data.LabeledBlocks;
import org.l1net.nn.Initializer;
import org.l1net.nn.Topology;
import org.l1net.optim.Adam;
import org.l1net.optim.MomentumGradientDescent;
import org.l1net.optim.Optimizer;
import org.l1net.optim.OptimizerState;
import org.l1net.optim.OwlQn;
import org.l1net.penalty.L1Penalty;

/**
 * The training loop. Full batch (sgd, adam): pass e evaluates the weights after update e and, in the
 * same job, computes the gradient for update e + 1, so every metrics row describes exactly the model it
 * names; when the test set is due, that job also evaluates it (one job over both sets). Mini-batch
 * (sgd, adam with a batch fraction): an epoch is round(1 / f) sampled passes, each followed by an
 * update, then one full pass for the epoch's metrics and gradient norm. lbfgs: an epoch is one L-BFGS
 * (OWL-QN) iteration, whose line search takes one pass per trial point.
 */
public final class Trainer {
    private final JavaSparkContext context;

    public Trainer(JavaSparkContext context) {
        this.context = context;
    }

    /** Trains from the seeded initial weights, with no checkpoints. */
    public TrainingResult train(TrainConfig config, Topology topology, LabeledBlocks train, LabeledBlocks test,
                                Consumer<EpochMetrics> listener) {
        return train(config, topology, train, test, null, null, listener);
    }

    /**
     * Trains from the seeded initial weights, or goes on from a checkpoint.
     *
     * @param test        the test set, or null
     * @param checkpoints where to write a checkpoint every {@code config.checkpointEvery()} epochs, or null
     * @param resumeFrom  the checkpoint to go on from, or null; it must fit this run ({@link #fingerprint})
     * @param listener    called after each epoch (epoch 0 is the initial model), on the driver
     */
    public TrainingResult train(TrainConfig config, Topology topology, LabeledBlocks train, LabeledBlocks test,
                                CheckpointStore checkpoints, Checkpoint resumeFrom, Consumer<EpochMetrics> listener) {
        return run(config, topology, train, test, checkpoints, resumeFrom, null, listener);
    }

    /**
     * Trains from the given weights instead of the seeded ones (a warm start, as a regularization path
     * takes each lambda from the previous one's result), with a fresh optimizer state and no checkpoints.
     * Epoch 0 describes {@code initialParameters} themselves.
     *
     * @param initialParameters the flat parameter vector to start from; not modified
     */
    public TrainingResult train(TrainConfig config, Topology topology, LabeledBlocks train, LabeledBlocks test,
                                double[] initialParameters, Consumer<EpochMetrics> listener) {
        if (initialParameters.length != topology.parameterCount()) {
            throw new IllegalArgumentException("The " + topology.describe() + " network has " + topology.parameterCount()
                    + " parameters; the initial parameters have " + initialParameters.length);
        }
        return run(config, topology, train, test, null, null, initialParameters.clone(), listener);
    }

    private TrainingResult run(TrainConfig config, Topology topology, LabeledBlocks train, LabeledBlocks test,
                               CheckpointStore checkpoints, Checkpoint resumeFrom, double[] initial,
                               Consumer<EpochMetrics> listener) {
        long start = System.nanoTime();
        if (config.patience() > 0 && test == null) {
            throw new IllegalArgumentException("--patience needs a --test set to watch");
        }
        String fingerprint = fingerprint(config, topology, train);
        boolean[] biasMask = topology.biasMask();
        L1Penalty penalty = L1Penalty.forTopology(config.l1(), config.l1Mode(), biasMask, config.penalizeBiases());
        boolean lbfgs = config.optimizer().equals("lbfgs");
        Optimizer optimizer = lbfgs ? null : createOptimizer(config);
        OwlQn owlQn = lbfgs ? new OwlQn(config.lbfgsMemory(), penalty) : null;
        DistributedObjective trainObjective =
                new DistributedObjective(context, train.blocks(), topology, config.aggregationDepth());
        DistributedObjective testObjective = test == null ? null
                : new DistributedObjective(context, test.blocks(), topology, config.aggregationDepth());

        Progress progress = new Progress(config, topology, penalty, trainObjective, testObjective, listener);
        // Full batch with a test set: the epoch's training pass and test pass share one job when they can.
        boolean jointTestPass = !lbfgs && config.batchFraction() >= 1.0 && testObjective != null
                && trainObjective.canEvaluateWith(testObjective);
        double[] params;
        if (initial != null) {
            params = initial;
        } else if (resumeFrom == null) {
            params = Initializer.initialParameters(topology, config.seed());
        } else {
            resumeFrom.checkResumableBy(fingerprint);
            params = resumeFrom.parameters();
            if (lbfgs) {
                owlQn.restore(resumeFrom.optimizer(), topology.parameterCount());
            } else {
                optimizer.restore(resumeFrom.optimizer(), topology.parameterCount());
            }
            progress.restore(resumeFrom);
        }

        long epochStart = System.nanoTime();
        Evaluation current = trainObjective.evaluate(params, true);
        if (resumeFrom == null) {
            progress.record(0, params, current, null, Double.NaN, epochStart);
        }
        String stopReason = "epochs";
        for (int epoch = progress.epoch(); epoch < config.epochs(); ) {
            epochStart = System.nanoTime();
            double stepSize;
            Evaluation testEval = null;
            if (lbfgs) {
                OwlQn.Iteration<Evaluation> iteration =
                        owlQn.iterate(params, current, w -> trainObjective.evaluate(w, true));
                if (iteration.failed()) {
                    stopReason = "no-descent";
                    break;
                }
                params = iteration.weights();
                current = iteration.point();
                stepSize = iteration.stepSize();
            } else if (config.batchFraction() < 1.0) {
                int steps = config.stepsPerEpoch();
                for (int k = 0; k < steps; k++) {
                    long step = (long) epoch * steps + k;
                    Evaluation sample = trainObjective.evaluateSample(params, config.batchFraction(), stepSeed(config.seed(), step));
                    if (sample.rows() > 0) {
                        optimizer.step(params, sample.meanGradient(), penalty);
                    }
                }
                current = trainObjective.evaluate(params, true);
                stepSize = config.learningRate();
            } else {
                optimizer.step(params, current.meanGradient().clone(), penalty);
                if (jointTestPass && progress.testDue(epoch + 1)) {
                    Evaluation[] both = trainObjective.evaluateWith(testObjective, params);
                    current = both[0];
                    testEval = both[1];
                } else {
                    current = trainObjective.evaluate(params, true);
                }
                stepSize = config.learningRate();
            }
            epoch++;
            EpochMetrics previous = progress.last();
            EpochMetrics metrics = progress.record(epoch, params, current, testEval, stepSize, epochStart);
            if (checkpoints != null && config.checkpointEvery() > 0 && epoch % config.checkpointEvery() == 0) {
                OptimizerState state = lbfgs ? owlQn.state() : optimizer.state();
                write(checkpoints, progress.checkpoint(fingerprint, epoch, params, state, elapsed(start)));
            }
            if (lbfgs && converged(previous.objective(), metrics.objective(), config.tolerance())) {
                stopReason = "converged";
                break;
            }
            if (progress.patienceExhausted()) {
                stopReason = "patience";
                break;
            }
        }
        return new TrainingResult(topology, params, progress.history(), progress.passes(),
                progress.secondsBefore() + elapsed(start), progress.bestParameters(), progress.bestEpoch(), stopReason);
    }

    /**
     * The options, layer sizes, row count and data derivation (standardization, validation split) that a
     * checkpoint must share with the run that resumes it.
     */
    public static String fingerprint(TrainConfig config, Topology topology, LabeledBlocks train) {
        return config.resumeFingerprint() + "network=" + topology.describe() + "\ntraining-rows=" + train.rows() + "\n"
                + (train.derivation().isEmpty() ? "" : "training-data=" + train.derivation() + "\n");
    }

    /** The relative decrease of the objective is below the tolerance (Breeze and MLlib use the same test). */
    static boolean converged(double before, double after, double tolerance) {
        double scale = Math.max(Math.max(Math.abs(before), Math.abs(after)), 1e-12);
        return (before - after) / scale < tolerance;
    }

    /** The sample seed of mini-batch step {@code step}: a function of the run's seed and the step alone. */
    static long stepSeed(long seed, long step) {
        return GradientAggregator.mix(seed * 0x9E3779B97F4A7C15L + step + 1);
    }

    private static void write(CheckpointStore store, Checkpoint checkpoint) {
        try {
            store.write(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a checkpoint to " + store.directory() + ": " + e.getMessage(), e);
        }
    }

    private static double elapsed(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static Optimizer createOptimizer(TrainConfig config) {
        return switch (config.optimizer()) {
            case "sgd" -> new MomentumGradientDescent(config.learningRate(), config.momentum());
            case "adam" -> new Adam(config.learningRate());
            default -> throw new IllegalArgumentException("--optimizer '" + config.optimizer() + "': expected sgd or adam");
        };
    }

    /** Connection weights that are not exactly zero; biases are not counted. */
    public static int countNonzeroWeights(double[] params, boolean[] biasMask) {
        int n = 0;
        for (int i = 0; i < params.length; i++) {
            if (!biasMask[i] && params[i] != 0.0) {
                n++;
            }
        }
        return n;
    }

    /** The metrics so far, test evaluations and the early-stopping record. */
    private static final class Progress {
        private final TrainConfig config;
        private final Topology topology;
        private final L1Penalty penalty;
        private final DistributedObjective trainObjective;
        private final DistributedObjective testObjective;
        private final Consumer<EpochMetrics> listener;
        private final boolean[] biasMask;
        private final List<EpochMetrics> history = new ArrayList<>();
        private long passesBefore;
        private double secondsBefore;
        private double[] bestParameters;
        private int bestEpoch = -1;
        private double bestScore = Double.NaN;

        Progress(TrainConfig config, Topology topology, L1Penalty penalty, DistributedObjective trainObjective,
                 DistributedObjective testObjective, Consumer<EpochMetrics> listener) {
            this.config = config;
            this.topology = topology;
            this.penalty = penalty;
            this.trainObjective = trainObjective;
            this.testObjective = testObjective;
            this.listener = listener;
            this.biasMask = topology.biasMask();
        }

        void restore(Checkpoint c) {
            history.addAll(c.history());
            passesBefore = c.passes();
            secondsBefore = c.seconds();
            bestParameters = c.bestParameters();
            bestEpoch = c.bestEpoch();
            bestScore = c.bestScore();
        }

        int epoch() {
            return history.isEmpty() ? 0 : last().epoch();
        }

        EpochMetrics last() {
            return history.get(history.size() - 1);
        }

        List<EpochMetrics> history() {
            return history;
        }

        long passes() {
            return passesBefore + trainObjective.passes() + (testObjective == null ? 0 : testObjective.passes());
        }

        double secondsBefore() {
            return secondsBefore;
        }

        double[] bestParameters() {
            return config.patience() > 0 ? bestParameters : null;
        }

        int bestEpoch() {
            return config.patience() > 0 ? bestEpoch : -1;
        }

        /** Whether epoch's row evaluates the test set (when there is one). */
        boolean testDue(int epoch) {
            return epoch == config.epochs() || epoch % config.evalEvery() == 0;
        }

        /**
         * Evaluates the test set when due (unless {@code jointTestEval}, this epoch's test pass at params,
         * came with the training pass), records and announces the epoch's row, updates the best model.
         */
        EpochMetrics record(int epoch, double[] params, Evaluation current, Evaluation jointTestEval, double stepSize,
                            long epochStart) {
            Evaluation testEval = jointTestEval != null ? jointTestEval
                    : testObjective != null && testDue(epoch) ? testObjective.evaluate(params, false) : null;
            double gradientNorm = OwlQn.norm(OwlQn.pseudoGradient(params, current.meanGradient(), penalty));
            EpochMetrics metrics = new EpochMetrics(epoch, current.meanLoss(), penalty.value(params), current.accuracy(),
                    testEval == null ? Double.NaN : testEval.accuracy(),
                    testEval == null ? Double.NaN : testEval.meanLoss(),
                    countNonzeroWeights(params, biasMask), topology.weightCount(),
                    elapsed(epochStart), passes(), stepSize, gradientNorm);
            history.add(metrics);
            if (testEval != null && config.patience() > 0) {
                double score = config.patienceOn().equals("test-accuracy") ? -testEval.accuracy() : testEval.meanLoss();
                if (bestEpoch < 0 || score < bestScore) {
                    bestScore = score;
                    bestEpoch = epoch;
                    bestParameters = params.clone();
                }
            }
            listener.accept(metrics);
            return metrics;
        }

        boolean patienceExhausted() {
            return config.patience() > 0 && bestEpoch >= 0 && epoch() - bestEpoch >= config.patience();
        }

        Checkpoint checkpoint(String fingerprint, int epoch, double[] params, OptimizerState state, double seconds) {
            return new Checkpoint(fingerprint, epoch, params, state, history, passes(), secondsBefore + seconds,
                    bestParameters, bestEpoch, bestScore);
        }
    }
}
