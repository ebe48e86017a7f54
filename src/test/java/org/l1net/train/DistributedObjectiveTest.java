package org.l1net.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.l1net.TestSpark;
import org.l1net.data.CsvReader;
import org.l1net.data.HeaderMode;
import org.l1net.data.LabeledBlocks;
import org.l1net.data.ReadOptions;
import org.l1net.data.TableSpec;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.ReferenceNetwork;
import org.l1net.nn.Topology;

/**
 * The loss and gradient of one distributed pass (real reader, real treeAggregate in local[2])
 * against a plain single-threaded loop over the file's rows, for several partition counts and
 * block sizes. Tolerance: 1e-10 relative per component (floored at 1e-3 of the largest
 * component, so a component that cancels to nearly zero is judged on the gradient's scale).
 */
class DistributedObjectiveTest {
    private static final int ROWS = 601;
    private static final int FEATURES = 10;
    private static final int CLASSES = 4;

    @TempDir
    static Path dir;
    private static Path file;
    private static List<double[]> rows;
    private static List<Integer> labels;

    @BeforeAll
    static void writeData() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < FEATURES; j++) {
                csv.append(String.format(Locale.ROOT, "%.7f,", random.nextDouble() * 4 - 2));
            }
            csv.append(random.nextInt(CLASSES)).append('\n');
        }
        file = dir.resolve("data.csv");
        Files.writeString(file, csv);
        // The test's own parse: the blocks hold float32 features, so the reference rounds the same way.
        rows = new ArrayList<>();
        labels = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split(",");
            double[] x = new double[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                x[j] = (float) Double.parseDouble(fields[j]);
            }
            rows.add(x);
            labels.add(Integer.parseInt(fields[FEATURES]));
        }
    }

    @ParameterizedTest(name = "{0} partitions, blocks of {1} rows, {2}/{3}")
    @CsvSource({
        "1, 0, tanh, cross-entropy",
        "3, 64, tanh, cross-entropy",
        "7, 5, tanh, cross-entropy",
        "7, 1, relu, mse",
        "3, 1000, sigmoid, mse",
        "1, 17, relu, cross-entropy",
    })
    void distributedPassEqualsAPlainLoop(int partitions, int blockRows, String activation, String loss) {
        SparkSession spark = TestSpark.session();
        int[] sizes = {FEATURES, 8, 5, CLASSES};
        Topology topology = new Topology(sizes, Activation.fromName(activation), OutputLoss.fromName(loss));
        double[] params = new double[topology.parameterCount()];
        SplittableRandom random = new SplittableRandom(partitions * 31L + blockRows);
        for (int i = 0; i < params.length; i++) {
            params[i] = random.nextDouble() * 1.6 - 0.8;
        }

        ReferenceNetwork reference = new ReferenceNetwork(sizes, activation, loss, params);
        double lossSum = 0;
        long correct = 0;
        double[] gradientSum = new double[params.length];
        for (int r = 0; r < ROWS; r++) {
            double[] x = rows.get(r);
            int y = labels.get(r);
            lossSum += reference.loss(x, y);
            reference.addGradient(x, y, gradientSum);
            double[] p = reference.probabilities(x);
            int best = 0;
            for (int c = 1; c < CLASSES; c++) {
                best = p[c] > p[best] ? c : best;
            }
            correct += best == y ? 1 : 0;
        }

        ReadOptions options = new ReadOptions(HeaderMode.AUTO, "last", partitions, blockRows);
        TableSpec spec = CsvReader.inspectTraining(spark, file.toString(), options);
        LabeledBlocks blocks = CsvReader.readLabeled(spark, spec, options, CLASSES);
        try {
            assertEquals(partitions, blocks.blocks().getNumPartitions());
            DistributedObjective objective = new DistributedObjective(TestSpark.context(), blocks.blocks(), topology, 2);
            Evaluation evaluation = objective.evaluate(params, true);
            assertEquals(ROWS, evaluation.rows());
            assertEquals((double) correct / ROWS, evaluation.accuracy(), 0.0);
            double meanLoss = lossSum / ROWS;
            assertEquals(meanLoss, evaluation.meanLoss(), 1e-10 * meanLoss);
            double scale = 0;
            for (double g : gradientSum) {
                scale = Math.max(scale, Math.abs(g / ROWS));
            }
            double[] got = evaluation.meanGradient();
            for (int i = 0; i < params.length; i++) {
                double expected = gradientSum[i] / ROWS;
                assertTrue(Math.abs(got[i] - expected) <= 1e-10 * Math.max(Math.abs(expected), 1e-3 * scale),
                        "gradient " + i + ": distributed " + got[i] + ", plain loop " + expected);
            }
            // Without the gradient: the same loss, and no gradient is shipped.
            Evaluation lossOnly = objective.evaluate(params, false);
            assertEquals(evaluation.meanLoss(), lossOnly.meanLoss(), 0.0);
            assertEquals(null, lossOnly.meanGradient());
            assertEquals(2, objective.passes());
        } finally {
            blocks.release();
        }
    }

    /** The blocks are a function of the data and the partition count: repeated passes agree bit for bit. */
    @Test
    void repeatedReadsAndPassesAreBitIdentical() {
        SparkSession spark = TestSpark.session();
        Topology topology = new Topology(new int[] {FEATURES, 6, CLASSES}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        double[] params = org.l1net.nn.Initializer.initialParameters(topology, 9);
        ReadOptions options = new ReadOptions(HeaderMode.AUTO, "last", 3, 16);
        double[][] gradients = new double[2][];
        for (int attempt = 0; attempt < 2; attempt++) {
            LabeledBlocks blocks = CsvReader.readLabeled(spark,
                    CsvReader.inspectTraining(spark, file.toString(), options), options, CLASSES);
            try {
                gradients[attempt] = new DistributedObjective(TestSpark.context(), blocks.blocks(), topology, 2)
                        .evaluate(params, true).meanGradient();
            } finally {
                blocks.release();
            }
        }
        assertArrayEquals(gradients[0], gradients[1], 0.0);
    }

    /**
     * A mini-batch pass sums over exactly the rows a plain loop picks with the same seeded row hash, whatever the
     * partitioning; the sample's size is binomial around f * rows; another seed picks another sample.
     */
    @ParameterizedTest(name = "{0} partitions, fraction {1}")
    @CsvSource({"1, 0.25", "3, 0.25", "7, 0.5", "2, 0.05"})
    void sampledPassEqualsAPlainLoopOverTheSameRows(int partitions, double fraction) {
        SparkSession spark = TestSpark.session();
        int[] sizes = {FEATURES, 6, CLASSES};
        Topology topology = new Topology(sizes, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        double[] params = new double[topology.parameterCount()];
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < params.length; i++) {
            params[i] = random.nextDouble() * 1.6 - 0.8;
        }
        long seed = Trainer.stepSeed(7, 3);
        ReferenceNetwork reference = new ReferenceNetwork(sizes, "tanh", "cross-entropy", params);
        int sampled = 0;
        double lossSum = 0;
        double[] gradientSum = new double[params.length];
        for (int r = 0; r < ROWS; r++) {
            float[] x = new float[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                x[j] = (float) rows.get(r)[j];
            }
            if ((GradientAggregator.rowHash(x, 0, FEATURES, labels.get(r), seed) >>> 11) < (long) Math.ceil(fraction * 0x1p53)) {
                sampled++;
                lossSum += reference.loss(rows.get(r), labels.get(r));
                reference.addGradient(rows.get(r), labels.get(r), gradientSum);
            }
        }
        double sigma = Math.sqrt(ROWS * fraction * (1 - fraction));
        assertTrue(Math.abs(sampled - ROWS * fraction) < 5 * sigma, sampled + " rows sampled of " + ROWS + " at " + fraction);

        ReadOptions options = new ReadOptions(HeaderMode.AUTO, "last", partitions, 0);
        LabeledBlocks blocks = CsvReader.readLabeled(spark, CsvReader.inspectTraining(spark, file.toString(), options),
                options, CLASSES);
        try {
            DistributedObjective objective = new DistributedObjective(TestSpark.context(), blocks.blocks(), topology, 2);
            Evaluation sample = objective.evaluateSample(params, fraction, seed);
            assertEquals(sampled, sample.rows());
            assertEquals(lossSum / sampled, sample.meanLoss(), 1e-10 * lossSum / sampled);
            for (int i = 0; i < params.length; i++) {
                double expected = gradientSum[i] / sampled;
                assertEquals(expected, sample.meanGradient()[i], 1e-10 * Math.max(Math.abs(expected), 1e-3),
                        "gradient " + i);
            }
            Evaluation again = objective.evaluateSample(params, fraction, seed);
            assertEquals(sample.meanLoss(), again.meanLoss(), 0.0, "the same seed gives the same sample");
            Evaluation other = objective.evaluateSample(params, fraction, Trainer.stepSeed(7, 4));
            assertTrue(other.rows() != sample.rows() || other.meanLoss() != sample.meanLoss(), "another step, another sample");
        } finally {
            blocks.release();
        }
    }

    /**
     * The direct job (one level) and Spark's treeAggregate (with an intermediate level) over the same
     * 8 cached partitions give the same bits: depth 1 runs the direct job, depth 2 the tree.
     */
    @Test
    void directJobAndTreeAggregateAgreeBitForBit() {
        assertTrue(!DistributedObjective.treeAddsLevel(8, 1) && DistributedObjective.treeAddsLevel(8, 2));
        SparkSession spark = TestSpark.session();
        Topology topology = new Topology(new int[] {FEATURES, 7, CLASSES}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        double[] params = org.l1net.nn.Initializer.initialParameters(topology, 4);
        ReadOptions options = new ReadOptions(HeaderMode.AUTO, "last", 8, 8);
        LabeledBlocks blocks = CsvReader.readLabeled(spark,
                CsvReader.inspectTraining(spark, file.toString(), options), options, CLASSES);
        try {
            Evaluation direct = new DistributedObjective(TestSpark.context(), blocks.blocks(), topology, 1)
                    .evaluate(params, true);
            Evaluation tree = new DistributedObjective(TestSpark.context(), blocks.blocks(), topology, 2)
                    .evaluate(params, true);
            // auto in local mode: a few KB per task, so straight to the driver.
            DistributedObjective auto = new DistributedObjective(TestSpark.context(), blocks.blocks(), topology,
                    TrainConfig.AUTO_DEPTH);
            assertEquals(1, auto.depth());
            Evaluation byAuto = auto.evaluate(params, true);
            assertEquals(tree.meanLoss(), byAuto.meanLoss(), 0.0);
            assertArrayEquals(tree.meanGradient(), byAuto.meanGradient(), 0.0);
            assertEquals(ROWS, direct.rows());
            assertEquals(tree.meanLoss(), direct.meanLoss(), 0.0);
            assertArrayEquals(tree.meanGradient(), direct.meanGradient(), 0.0);
        } finally {
            blocks.release();
        }
    }

    /**
     * One job over two cached sets (the training pass with the gradient, the test pass without) gives the
     * bits of two separate passes, counts a pass for each, and is refused where the union of the sets'
     * partitions would get a treeAggregate level or the networks differ.
     */
    @Test
    void evaluateWithGivesTheBitsOfTwoSeparatePasses() {
        SparkSession spark = TestSpark.session();
        Topology topology = new Topology(new int[] {FEATURES, 7, CLASSES}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        double[] params = org.l1net.nn.Initializer.initialParameters(topology, 9);
        ReadOptions threeParts = new ReadOptions(HeaderMode.AUTO, "last", 3, 16);
        ReadOptions twoParts = new ReadOptions(HeaderMode.AUTO, "last", 2, 64);
        ReadOptions fourParts = new ReadOptions(HeaderMode.AUTO, "last", 4, 64);
        LabeledBlocks first = CsvReader.readLabeled(spark, CsvReader.inspectTraining(spark, file.toString(), threeParts),
                threeParts, CLASSES);
        LabeledBlocks second = CsvReader.readLabeled(spark, CsvReader.inspectTraining(spark, file.toString(), twoParts),
                twoParts, CLASSES);
        LabeledBlocks third = CsvReader.readLabeled(spark, CsvReader.inspectTraining(spark, file.toString(), fourParts),
                fourParts, CLASSES);
        try {
            var context = TestSpark.context();
            DistributedObjective train = new DistributedObjective(context, first.blocks(), topology, TrainConfig.AUTO_DEPTH);
            DistributedObjective test = new DistributedObjective(context, second.blocks(), topology, TrainConfig.AUTO_DEPTH);
            Evaluation trainAlone = train.evaluate(params, true);
            Evaluation testAlone = test.evaluate(params, false);
            assertTrue(train.canEvaluateWith(test));
            Evaluation[] both = train.evaluateWith(test, params);
            Evaluation[] again = train.evaluateWith(test, params);
            for (Evaluation[] pair : List.of(both, again)) {
                assertEquals(trainAlone.meanLoss(), pair[0].meanLoss(), 0.0);
                assertEquals(trainAlone.accuracy(), pair[0].accuracy(), 0.0);
                assertEquals(ROWS, pair[0].rows());
                assertArrayEquals(trainAlone.meanGradient(), pair[0].meanGradient(), 0.0);
                assertEquals(testAlone.meanLoss(), pair[1].meanLoss(), 0.0);
                assertEquals(testAlone.accuracy(), pair[1].accuracy(), 0.0);
                assertEquals(ROWS, pair[1].rows());
                assertArrayEquals(testAlone.meanGradient(), pair[1].meanGradient(), 0.0);
            }
            assertEquals(3, train.passes());
            assertEquals(3, test.passes());

            // Depth 2 over 3 + 2 partitions adds no level; over 4 + 3 it does, though each set alone would not.
            DistributedObjective depth2 = new DistributedObjective(context, first.blocks(), topology, 2);
            assertTrue(depth2.canEvaluateWith(new DistributedObjective(context, second.blocks(), topology, 2)));
            DistributedObjective four = new DistributedObjective(context, third.blocks(), topology, 2);
            assertTrue(!DistributedObjective.treeAddsLevel(4, 2) && !DistributedObjective.treeAddsLevel(3, 2)
                    && DistributedObjective.treeAddsLevel(7, 2));
            assertTrue(!four.canEvaluateWith(depth2));
            assertThrows(IllegalArgumentException.class, () -> four.evaluateWith(depth2, params));
            Topology other = new Topology(new int[] {FEATURES, 5, CLASSES}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
            assertTrue(!train.canEvaluateWith(new DistributedObjective(context, second.blocks(), other, TrainConfig.AUTO_DEPTH)));
            assertTrue(!train.canEvaluateWith(new DistributedObjective(context, second.blocks(), topology, 1)),
                    "another requested depth");
        } finally {
            first.release();
            second.release();
            third.release();
        }
    }

    /**
     * --aggregation-depth auto: depth 1 while all the tasks' sums together fit the budget, 2 beyond it.
     * Local mode's budget is half of spark.driver.maxResultSize (0: no limit); a cluster's is also at
     * most 16 MB. One task's sums are 16 bytes per parameter plus 4 KB.
     */
    @Test
    void autoDepthSendsTheSumsStraightToTheDriverWhileTheyFit() {
        long oneGiB = 1L << 30;
        // 10-8-4, 124 parameters: 6 KB per task.
        assertEquals(1, DistributedObjective.autoDepth(2, 124, true, oneGiB));
        assertEquals(1, DistributedObjective.autoDepth(2000, 124, false, oneGiB));
        assertEquals(2, DistributedObjective.autoDepth(3000, 124, false, oneGiB));
        // 784-256-10, 203,530 parameters: 3.3 MB per task.
        assertEquals(1, DistributedObjective.autoDepth(48, 203_530, true, oneGiB));
        assertEquals(2, DistributedObjective.autoDepth(48, 203_530, false, oneGiB));
        assertEquals(1, DistributedObjective.autoDepth(4, 203_530, false, oneGiB));
        assertEquals(2, DistributedObjective.autoDepth(200, 203_530, true, oneGiB));
        assertEquals(1, DistributedObjective.autoDepth(200, 203_530, true, 0));
        assertEquals(2, DistributedObjective.autoDepth(200, 203_530, false, 0));
        // The edge: exactly half of maxResultSize is still depth 1.
        long perTask = DistributedObjective.taskResultBytes(1000);
        assertEquals(1, DistributedObjective.autoDepth(10, 1000, true, 20 * perTask));
        assertEquals(2, DistributedObjective.autoDepth(11, 1000, true, 20 * perTask));
    }

    /** depthFor keeps a depth that was asked for and resolves auto with the context's mode and maxResultSize. */
    @Test
    void depthForResolvesAutoFromTheContext() {
        var context = TestSpark.context();
        long maxResultSize = context.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
        assertTrue(context.sc().isLocal());
        assertEquals(3, DistributedObjective.depthFor(context, 2, 124, 3));
        assertEquals(1, DistributedObjective.depthFor(context, 2, 124, TrainConfig.AUTO_DEPTH));
        int manyPartitions = (int) (maxResultSize / DistributedObjective.taskResultBytes(203_530)) + 1;
        assertEquals(2, DistributedObjective.depthFor(context, manyPartitions, 203_530, TrainConfig.AUTO_DEPTH));
    }

    /**
     * treeAddsLevel against Spark itself: treeAggregate over P partitions at depth d runs a job with more
     * than one stage exactly when it adds an intermediate level.
     */
    @ParameterizedTest(name = "{0} partitions, depth {1}")
    @CsvSource({"1, 2", "2, 2", "3, 2", "4, 2", "5, 2", "6, 2", "7, 2", "9, 2", "16, 2", "16, 1", "30, 3", "8, 3", "5, 5"})
    void treeAddsLevelMatchesSparksStages(int partitions, int depth) {
        var context = TestSpark.context();
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < 2 * partitions; i++) {
            values.add(i);
        }
        String group = "tree-" + partitions + "-" + depth;
        context.setJobGroup(group, group, false);
        try {
            int sum = context.parallelize(values, partitions).treeAggregate(0, Integer::sum, Integer::sum, depth);
            assertEquals((2 * partitions - 1) * partitions, sum);
        } finally {
            context.clearJobGroup();
        }
        int stages = 0;
        for (int job : context.statusTracker().getJobIdsForGroup(group)) {
            stages += context.statusTracker().getJobInfo(job).stageIds().length;
        }
        assertEquals(DistributedObjective.treeAddsLevel(partitions, depth), stages > 1, stages + " stages");
    }
}
