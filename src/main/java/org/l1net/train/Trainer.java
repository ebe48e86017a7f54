package org.l1net.train;

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
import org.l1net.penalty.L1Penalty;

/**
 * Full-batch training, one update per epoch. Pass e evaluates the weights after update e and, in
 * the same job, computes the gradient for update e + 1; so every metrics row describes exactly the
 * model it names, and E epochs cost E + 1 training passes plus the test passes.
 */
public final class Trainer {
    private final JavaSparkContext context;

    public Trainer(JavaSparkContext context) {
        this.context = context;
    }

    /**
     * Trains from the seeded initial weights.
     *
     * @param test     the test set, or null
     * @param listener called after each epoch (epoch 0 is the initial model), on the driver
     */
    public TrainingResult train(TrainConfig config, Topology topology, LabeledBlocks train, LabeledBlocks test,
                                Consumer<EpochMetrics> listener) {
        long start = System.nanoTime();
        double[] params = Initializer.initialParameters(topology, config.seed());
        boolean[] biasMask = topology.biasMask();
        L1Penalty penalty = L1Penalty.forTopology(config.l1(), config.l1Mode(), biasMask, config.penalizeBiases());
        Optimizer optimizer = createOptimizer(config);
        DistributedObjective trainObjective =
                new DistributedObjective(context, train.blocks(), topology, config.aggregationDepth());
        DistributedObjective testObjective = test == null ? null
                : new DistributedObjective(context, test.blocks(), topology, config.aggregationDepth());

        List<EpochMetrics> history = new ArrayList<>();
        long epochStart = System.nanoTime();
        Evaluation current = trainObjective.evaluate(params, config.epochs() > 0);
        for (int epoch = 0; ; epoch++) {
            boolean last = epoch == config.epochs();
            Evaluation testEval = testObjective != null && (last || epoch % config.evalEvery() == 0)
                    ? testObjective.evaluate(params, false) : null;
            EpochMetrics metrics = new EpochMetrics(epoch, current.meanLoss(), penalty.value(params),
                    current.accuracy(),
                    testEval == null ? Double.NaN : testEval.accuracy(),
                    testEval == null ? Double.NaN : testEval.meanLoss(),
                    countNonzeroWeights(params, biasMask), topology.weightCount(),
                    (System.nanoTime() - epochStart) / 1e9);
            history.add(metrics);
            listener.accept(metrics);
            if (last) {
                break;
            }
            epochStart = System.nanoTime();
            optimizer.step(params, current.meanGradient(), penalty);
            current = trainObjective.evaluate(params, epoch + 1 < config.epochs());
        }
        long passes = trainObjective.passes() + (testObjective == null ? 0 : testObjective.passes());
        return new TrainingResult(topology, params, history, passes, (System.nanoTime() - start) / 1e9);
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
}
