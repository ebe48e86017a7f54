package org.l1net.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.l1net.TestSpark;
import org.l1net.data.CsvReader;
import org.l1net.data.HeaderMode;
import org.l1net.data.LabeledBlocks;
import org.l1net.data.ReadOptions;
import org.l1net.nn.Activation;
import org.l1net.nn.Initializer;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;
import org.l1net.optim.Adam;
import org.l1net.optim.MomentumGradientDescent;
import org.l1net.optim.Optimizer;
import org.l1net.penalty.L1Mode;
import org.l1net.penalty.L1Penalty;

/** The lambda grid, warm starts along the path, the restart after a constant model, and the automatic start's property. */
class RegularizationPathTest {
    private static final Topology TOPOLOGY = new Topology(new int[] {10, 8, 4}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
    private static LabeledBlocks train;
    private static LabeledBlocks validation;

    @BeforeAll
    static void read() {
        SparkSession spark = TestSpark.session();
        ReadOptions options = new ReadOptions(HeaderMode.AUTO, "last", 2, 0);
        train = CsvReader.readLabeled(spark, CsvReader.inspectTraining(spark, Path.of("sample-data/train.csv").toString(),
                options), options, 4);
        validation = CsvReader.readLabeled(spark, CsvReader.inspectLike(spark, "sample-data/test.csv", options, 10, false),
                options, 4);
    }

    @AfterAll
    static void release() {
        train.release();
        validation.release();
    }

    @Test
    void theGridIsDescendingAndEvenlySpacedInLog() {
        double[] grid = RegularizationPath.logGrid(0.5, 1e-3, 7);
        assertEquals(7, grid.length);
        assertEquals(0.5, grid[0]);
        assertEquals(0.5e-3, grid[6], 1e-15);
        for (int k = 1; k < grid.length; k++) {
            assertTrue(grid[k] < grid[k - 1]);
            assertEquals(-0.5, Math.log10(grid[k] / grid[k - 1]), 1e-12, "a factor of 10^-0.5 per step");
        }
        assertArrayEquals(new double[] {0.5}, RegularizationPath.logGrid(0.5, 1e-3, 1));
        assertThrows(IllegalArgumentException.class, () -> RegularizationPath.logGrid(0.5, 1.5, 3));
        assertThrows(IllegalArgumentException.class, () -> RegularizationPath.logGrid(0.5, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> RegularizationPath.logGrid(0, 0.1, 3));
    }

    @Test
    void anExplicitListIsSortedLargestFirstAndMustBePositiveAndDistinct() {
        assertArrayEquals(new double[] {0.1, 0.03, 0.01}, RegularizationPath.parseList("0.01, 0.1,0.03"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegularizationPath.parseList("0.1,x"))
                .getMessage().contains("'x' is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegularizationPath.parseList("0.1,0"))
                .getMessage().contains("positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegularizationPath.parseList("0.1,0.10"))
                .getMessage().contains("twice"));
    }

    /** Each lambda's epoch 0 is the previous lambda's last model: the same data loss, bit for bit; the first is the seeded one's. */
    @Test
    void eachLambdaStartsFromThePreviousLambdasWeights() {
        TrainConfig config = TrainConfig.builder().epochs(15).evalEvery(15).seed(3).build();
        List<RegularizationPath.Step> path = RegularizationPath.run(new Trainer(TestSpark.context()), config, TOPOLOGY, train,
                validation, new double[] {0.01, 0.003, 0.001}, (i, m) -> { }, s -> { });

        TrainingResult fresh = new Trainer(TestSpark.context()).train(config.withL1(0.01), TOPOLOGY, train, validation, m -> { });
        assertEquals(fresh.history(), path.get(0).result().history().stream()
                .map(m -> withTime(m, fresh.history().get(m.epoch()))).toList(), "lambda 0 is a plain run from the seed");
        for (int i = 1; i < path.size(); i++) {
            RegularizationPath.Step step = path.get(i);
            TrainingResult previous = path.get(i - 1).result();
            assertTrue(step.warm());
            assertEquals(previous.last().dataLoss(), step.result().history().get(0).dataLoss(), "lambda " + i);
            assertEquals(previous.last().nonzeroWeights(), step.result().history().get(0).nonzeroWeights(), "lambda " + i);
            assertEquals(config.withL1(step.lambda()).l1(), step.lambda());
            assertEquals(step.lambda() * sumAbsWeights(previous.parameters()), step.result().history().get(0).l1Penalty(),
                    1e-15, "the new lambda's penalty at the old weights");
            assertTrue(step.result().last().hasTest(), "validation evaluated at the end");
        }
    }

    /** A lambda that leaves a layer all zero (a constant network, a stationary point) is followed by a seeded start. */
    @Test
    void afterAConstantModelTheNextLambdaStartsFromTheSeededWeights() {
        TrainConfig config = TrainConfig.builder().epochs(60).evalEvery(60).seed(3).build();
        List<RegularizationPath.Step> path = RegularizationPath.run(new Trainer(TestSpark.context()), config, TOPOLOGY, train,
                validation, new double[] {2.0, 0.01}, (i, m) -> { }, s -> { });

        assertTrue(RegularizationPath.isConstant(TOPOLOGY, path.get(0).result().parameters()), "lambda 2 kills a layer");
        assertFalse(path.get(1).warm());
        assertEquals(path.get(0).result().history().get(0).dataLoss(), path.get(1).result().history().get(0).dataLoss(),
                "both start from the seeded weights");
        assertFalse(RegularizationPath.isConstant(TOPOLOGY, path.get(1).result().parameters()));
    }

    /**
     * The documented property of the automatic start lambda_0 = max |dLoss/dw| at the seeded weights: at lambda_0 the
     * first update of sgd and adam, for any step size, and OWL-QN's first iteration make no weight larger in
     * magnitude; at lambda_0 / 2 a large enough sgd step makes the weight with the largest gradient grow.
     */
    @Test
    void atTheAutomaticStartNoFirstUpdateGrowsAWeight() {
        TrainConfig config = TrainConfig.builder().seed(5).build();
        double lambda0 = RegularizationPath.autoStart(TestSpark.context(), config, TOPOLOGY, train);
        double[] w0 = Initializer.initialParameters(TOPOLOGY, 5);
        double[] g = new DistributedObjective(TestSpark.context(), train.blocks(), TOPOLOGY, 2).evaluate(w0, true).meanGradient();
        boolean[] biases = TOPOLOGY.biasMask();
        L1Penalty atStart = L1Penalty.forTopology(lambda0, L1Mode.PROXIMAL, biases, false);
        int top = -1;
        for (int i = 0; i < g.length; i++) {
            if (!biases[i] && (top < 0 || Math.abs(g[i]) > Math.abs(g[top]))) {
                top = i;
            }
        }
        assertEquals(Math.abs(g[top]), lambda0, "lambda_0 is the largest |gradient| over the weights");

        for (double lr : new double[] {1e-4, 0.01, 1.0, 100.0}) {
            for (Optimizer optimizer : new Optimizer[] {new MomentumGradientDescent(lr, 0.9), new Adam(lr)}) {
                double[] w1 = w0.clone();
                optimizer.step(w1, g.clone(), atStart);
                assertNoWeightGrew(w0, w1, biases, optimizer.name() + " lr " + lr);
            }
        }
        TrainingResult owlQn = new Trainer(TestSpark.context()).train(TrainConfig.builder().seed(5).optimizer("lbfgs")
                .epochs(1).l1(lambda0).build(), TOPOLOGY, train, null, m -> { });
        assertNoWeightGrew(w0, owlQn.parameters(), biases, "OWL-QN");

        double below = lambda0 / 2;
        double step = 4 * Math.abs(w0[top]) / (Math.abs(g[top]) - below) + 1;
        double[] w1 = w0.clone();
        new MomentumGradientDescent(step, 0.0).step(w1, g.clone(), L1Penalty.forTopology(below, L1Mode.PROXIMAL, biases, false));
        assertTrue(Math.abs(w1[top]) > Math.abs(w0[top]), "below lambda_0 the top weight grows: " + w0[top] + " -> " + w1[top]);
    }

    private static void assertNoWeightGrew(double[] w0, double[] w1, boolean[] biases, String what) {
        for (int i = 0; i < w0.length; i++) {
            if (!biases[i]) {
                // exact in real arithmetic; a step of size t * lambda rounds to within a few ulps of it
                assertTrue(Math.abs(w1[i]) <= Math.abs(w0[i]) + 1e-12, what + ": weight " + i + " grew from " + w0[i] + " to " + w1[i]);
            }
        }
    }

    private static double sumAbsWeights(double[] p) {
        boolean[] biases = TOPOLOGY.biasMask();
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += biases[i] ? 0 : Math.abs(p[i]);
        }
        return s;
    }

    /** m with the timing and pass fields of {@code like}: the rest must match exactly. */
    private static EpochMetrics withTime(EpochMetrics m, EpochMetrics like) {
        return new EpochMetrics(m.epoch(), m.dataLoss(), m.l1Penalty(), m.trainAccuracy(), m.testAccuracy(), m.testLoss(),
                m.nonzeroWeights(), m.totalWeights(), like.seconds(), like.passes(), m.stepSize(), m.gradientNorm());
    }

    /** Cold starts: every lambda begins at the seeded weights, whatever the previous one ended with. */
    @Test
    void coldStartsBeginEveryLambdaFromTheSeededWeights() {
        TrainConfig config = TrainConfig.builder().epochs(30).evalEvery(30).seed(3).build();
        List<RegularizationPath.Step> path = RegularizationPath.run(new Trainer(TestSpark.context()), config, TOPOLOGY, train,
                validation, new double[] {0.05, 0.01, 0.002}, false, (i, m) -> { }, s -> { });
        double seededLoss = path.get(0).result().history().get(0).dataLoss();
        for (RegularizationPath.Step step : path) {
            assertFalse(step.warm());
            assertEquals(seededLoss, step.result().history().get(0).dataLoss(), 0.0, "lambda " + step.lambda());
        }
        assertTrue(path.get(2).result().last().nonzeroWeights() > path.get(0).result().last().nonzeroWeights(),
                "a smaller lambda keeps more weights");
    }
}
