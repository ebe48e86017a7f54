package org.l1net.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.l1net.nn.ReferenceNetwork;
import org.l1net.nn.Topology;
import org.l1net.penalty.L1Mode;

/** The training loop on the sample data: what each metrics row claims, determinism, and L1's zeros. */
class TrainerTest {
    private static final Path TRAIN = Path.of("sample-data/train.csv");
    private static final Path TEST = Path.of("sample-data/test.csv");
    private static final Topology TOPOLOGY = new Topology(new int[] {10, 8, 4}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
    private static LabeledBlocks train;
    private static LabeledBlocks test;
    private static List<double[]> rows;
    private static List<Integer> labels;
    private static List<double[]> testRows;
    private static List<Integer> testLabels;

    @BeforeAll
    static void read() throws Exception {
        SparkSession spark = TestSpark.session();
        ReadOptions options = new ReadOptions(HeaderMode.AUTO, "last", 2, 0);
        train = CsvReader.readLabeled(spark, CsvReader.inspectTraining(spark, TRAIN.toString(), options), options, 4);
        test = CsvReader.readLabeled(spark, CsvReader.inspectLike(spark, TEST.toString(), options, 10, false), options, 4);
        rows = new ArrayList<>();
        labels = new ArrayList<>();
        parse(TRAIN, rows, labels);
        testRows = new ArrayList<>();
        testLabels = new ArrayList<>();
        parse(TEST, testRows, testLabels);
    }

    /** The file's rows after the header, features rounded to float32 as the blocks hold them. */
    private static void parse(Path file, List<double[]> into, List<Integer> labelsInto) throws java.io.IOException {
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double[] x = new double[10];
            for (int j = 0; j < 10; j++) {
                x[j] = (float) Double.parseDouble(f[j]);
            }
            into.add(x);
            labelsInto.add(Integer.parseInt(f[10].trim()));
        }
    }

    /** Mean loss and accuracy of weights w over the rows, by a plain loop through ReferenceNetwork. */
    private static double[] lossAndAccuracy(double[] w, List<double[]> x, List<Integer> y) {
        ReferenceNetwork reference = new ReferenceNetwork(TOPOLOGY.sizes(), "tanh", "cross-entropy", w);
        double loss = 0;
        int correct = 0;
        for (int r = 0; r < x.size(); r++) {
            loss += reference.loss(x.get(r), y.get(r));
            double[] p = reference.probabilities(x.get(r));
            int best = 0;
            for (int c = 1; c < 4; c++) {
                best = p[c] > p[best] ? c : best;
            }
            correct += best == y.get(r) ? 1 : 0;
        }
        return new double[] {loss / x.size(), (double) correct / x.size()};
    }

    @AfterAll
    static void release() {
        train.release();
        test.release();
    }

    private static TrainConfig config(String optimizer, int epochs, double l1, L1Mode mode) {
        return TrainConfig.builder().optimizer(optimizer).learningRate(0.05).momentum(0.9).epochs(epochs).l1(l1)
                .l1Mode(mode).seed(3).partitions(2).evalEvery(10).build();
    }

    private static TrainingResult run(TrainConfig config) {
        return new Trainer(TestSpark.context()).train(config, TOPOLOGY, train, test, m -> { });
    }

    /** The last row's loss, penalty and zero count are those of the returned weights, recomputed here. */
    @Test
    void theLastMetricsRowDescribesTheReturnedModel() {
        double lambda = 0.005;
        TrainingResult result = run(config("adam", 60, lambda, L1Mode.PROXIMAL));
        double[] w = result.parameters();
        double[] expected = lossAndAccuracy(w, rows, labels);
        boolean[] bias = TOPOLOGY.biasMask();
        double absSum = 0;
        int nonzero = 0;
        for (int i = 0; i < w.length; i++) {
            if (!bias[i]) {
                absSum += Math.abs(w[i]);
                nonzero += w[i] != 0.0 ? 1 : 0;
            }
        }
        EpochMetrics last = result.last();
        assertEquals(60, last.epoch());
        assertEquals(61, result.history().size());
        assertEquals(200, rows.size());
        assertEquals(expected[0], last.dataLoss(), 1e-10 * last.dataLoss());
        assertEquals(expected[1], last.trainAccuracy(), 0.0);
        assertEquals(lambda * absSum, last.l1Penalty(), 1e-12);
        assertEquals(nonzero, last.nonzeroWeights());
        assertEquals(112, last.totalWeights());
        assertTrue(last.hasTest(), "the last epoch is always evaluated on the test set");
        // eval-every 10: epochs 0, 10, ..., 60 carry a test accuracy, the others none
        for (EpochMetrics m : result.history()) {
            assertEquals(m.epoch() % 10 == 0, m.hasTest(), "epoch " + m.epoch());
        }
        // 61 training passes (the initial one and one per update) and 7 test passes
        assertEquals(61 + 7, result.passes());
    }

    /**
     * A full-batch epoch whose test evaluation is due runs one job for both sets, and the test figures
     * it records are the returned weights' on the test file, recomputed here by a plain loop.
     */
    @Test
    void aDueTestEvaluationSharesTheEpochsJob() throws Exception {
        var context = TestSpark.context();
        String group = "trainer-joint-pass";
        context.setJobGroup(group, group, false);
        TrainingResult result;
        try {
            result = run(config("adam", 20, 0.005, L1Mode.PROXIMAL));
        } finally {
            context.clearJobGroup();
        }
        // 21 training passes (the initial one and one per update) and 3 test passes (epochs 0, 10, 20) ...
        assertEquals(21 + 3, result.passes());
        // ... in 22 jobs: the initial two apart, then one per epoch, the test pass of epochs 10 and 20 in it.
        // The status tracker hears of jobs through the listener bus, so wait until it has heard of them.
        int jobs = 0;
        for (int i = 0; i < 100 && jobs < 22; i++) {
            Thread.sleep(i == 0 ? 0 : 50);
            jobs = context.statusTracker().getJobIdsForGroup(group).length;
        }
        Thread.sleep(200);
        assertEquals(22, context.statusTracker().getJobIdsForGroup(group).length);

        double[] expected = lossAndAccuracy(result.parameters(), testRows, testLabels);
        EpochMetrics last = result.last();
        assertEquals(20, last.epoch());
        assertEquals(40, testRows.size());
        assertEquals(expected[1], last.testAccuracy(), 0.0);
        assertEquals(expected[0], last.testLoss(), 1e-10 * last.testLoss());
    }

    @Test
    void epochZeroIsTheSeededInitialModel() {
        TrainingResult result = run(config("sgd", 0, 0.01, L1Mode.PROXIMAL));
        assertEquals(1, result.history().size());
        assertArrayEquals(Initializer.initialParameters(TOPOLOGY, 3), result.parameters(), 0.0);
        assertEquals(112, result.last().nonzeroWeights());
    }

    @Test
    void theSameSeedGivesBitIdenticalWeights() {
        TrainConfig config = config("adam", 25, 0.01, L1Mode.PROXIMAL);
        assertArrayEquals(run(config).parameters(), run(config).parameters(), 0.0);
    }

    /**
     * Proximal L1 makes weights exactly zero and keeps them at zero when their gradient stays
     * inside lambda; the article's subgradient only pulls them toward zero; no L1, no zeros.
     */
    @Test
    void proximalL1GivesExactZerosWhereSubgradientAndNoPenaltyDoNot() {
        int proximal = run(config("adam", 150, 0.02, L1Mode.PROXIMAL)).last().nonzeroWeights();
        int subgradient = run(config("adam", 150, 0.02, L1Mode.SUBGRADIENT)).last().nonzeroWeights();
        int none = run(config("adam", 150, 0.0, L1Mode.PROXIMAL)).last().nonzeroWeights();
        System.out.printf("nonzero weights of 112 after 150 epochs: proximal %d, subgradient %d, no L1 %d%n",
                proximal, subgradient, none);
        assertEquals(112, none);
        assertTrue(proximal <= 112 * 0.7, "proximal L1 left " + proximal + "/112 weights nonzero");
        assertTrue(subgradient > proximal + 20, "subgradient left " + subgradient + ", proximal " + proximal);
    }
}
