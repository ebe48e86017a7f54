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
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l1net.TestSpark;
import org.l1net.data.CsvReader;
import org.l1net.data.HeaderMode;
import org.l1net.data.LabeledBlocks;
import org.l1net.data.ReadOptions;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;
import org.l1net.penalty.L1Mode;

/**
 * A run stopped after a checkpoint and resumed ends with exactly the weights and metrics of a run that
 * never stopped, for every optimizer; damaged checkpoints are skipped, other settings refused.
 */
class CheckpointResumeTest {
    private static final Topology TOPOLOGY = new Topology(new int[] {10, 8, 4}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
    private static final int EPOCHS = 24;
    private static final int EVERY = 4;
    private static LabeledBlocks train;
    private static LabeledBlocks test;

    @TempDir
    Path dir;

    @BeforeAll
    static void read() {
        SparkSession spark = TestSpark.session();
        ReadOptions options = new ReadOptions(HeaderMode.AUTO, "last", 2, 0);
        train = CsvReader.readLabeled(spark, CsvReader.inspectTraining(spark, "sample-data/train.csv", options), options, 4);
        test = CsvReader.readLabeled(spark, CsvReader.inspectLike(spark, "sample-data/test.csv", options, 10, false), options, 4);
    }

    @AfterAll
    static void release() {
        train.release();
        test.release();
    }

    private static TrainConfig.Builder config(String kind) {
        TrainConfig.Builder b = TrainConfig.builder().epochs(EPOCHS).checkpointEvery(EVERY).seed(4).partitions(2).l1(0.01);
        return switch (kind) {
            case "sgd" -> b.optimizer("sgd").learningRate(0.1);
            case "sgd-subgradient" -> b.optimizer("sgd").learningRate(0.1).l1Mode(L1Mode.SUBGRADIENT);
            case "adam" -> b.optimizer("adam").learningRate(0.02);
            case "adam-minibatch" -> b.optimizer("adam").learningRate(0.02).batchFraction(0.3);
            // tol 0: every iteration runs, so both runs do the same number of them
            case "lbfgs" -> b.optimizer("lbfgs").tolerance(0.0);
            case "lbfgs-patience" -> b.optimizer("lbfgs").tolerance(0.0).patience(50).patienceOn("test-accuracy");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static TrainingResult run(TrainConfig config, Path runDir, Checkpoint from) {
        return new Trainer(TestSpark.context()).train(config, TOPOLOGY, train, test, new CheckpointStore(runDir), from, m -> { });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "sgd-subgradient", "adam", "adam-minibatch", "lbfgs", "lbfgs-patience"})
    void aResumedRunEndsBitIdenticalToAnUninterruptedOne(String kind) throws IOException {
        TrainingResult straight = run(config(kind).build(), dir.resolve("straight"), null);

        Path interrupted = dir.resolve("interrupted");
        run(config(kind).epochs(10).build(), interrupted, null); // "killed" after epoch 10: checkpoints at 4 and 8
        CheckpointStore store = new CheckpointStore(interrupted);
        Checkpoint newest = store.newestValid(w -> { }).orElseThrow();
        assertEquals(8, newest.epoch());
        TrainingResult resumed = run(config(kind).build(), interrupted, newest);

        assertArrayEquals(straight.parameters(), resumed.parameters(), 0.0, kind + ": final weights");
        assertEquals(straight.history().size(), resumed.history().size());
        for (int e = 0; e < straight.history().size(); e++) {
            EpochMetrics a = straight.history().get(e);
            EpochMetrics b = resumed.history().get(e);
            assertEquals(a.epoch(), b.epoch());
            assertEquals(a.dataLoss(), b.dataLoss(), 0.0, kind + " epoch " + e);
            assertEquals(a.l1Penalty(), b.l1Penalty(), 0.0, kind + " epoch " + e);
            assertEquals(a.testAccuracy(), b.testAccuracy(), 0.0, kind + " epoch " + e);
            assertEquals(a.gradientNorm(), b.gradientNorm(), 0.0, kind + " epoch " + e);
            assertEquals(a.stepSize(), b.stepSize(), 0.0, kind + " epoch " + e);
        }
        if (straight.bestParameters() != null) {
            assertEquals(straight.bestEpoch(), resumed.bestEpoch());
            assertArrayEquals(straight.bestParameters(), resumed.bestParameters(), 0.0);
        }
        // The resumed run re-evaluates the checkpoint's weights once: one pass more, and no other difference.
        assertEquals(straight.passes() + 1, resumed.passes(), kind + ": passes");
    }

    @Test
    void aTruncatedOrCorruptNewestCheckpointIsSkippedWithAWarning() throws IOException {
        Path runDir = dir.resolve("damaged");
        TrainingResult straight = run(config("adam").build(), dir.resolve("reference"), null);
        run(config("adam").epochs(13).build(), runDir, null);
        CheckpointStore store = new CheckpointStore(runDir);
        List<Path> files = store.list();
        assertEquals(List.of("epoch-000012.ckpt", "epoch-000008.ckpt", "epoch-000004.ckpt"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        byte[] newest = Files.readAllBytes(files.get(0));
        Files.write(files.get(0), java.util.Arrays.copyOf(newest, newest.length / 2));
        byte[] second = Files.readAllBytes(files.get(1));
        second[second.length / 3] ^= 0x10;
        Files.write(files.get(1), second);

        List<String> warnings = new ArrayList<>();
        Checkpoint usable = store.newestValid(warnings::add).orElseThrow();

        assertEquals(4, usable.epoch(), "the damaged checkpoints of epochs 12 and 8 are skipped");
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("epoch-000012.ckpt") && warnings.get(0).contains("checksum"), warnings.get(0));
        assertTrue(warnings.get(1).contains("epoch-000008.ckpt"), warnings.get(1));
        TrainingResult resumed = run(config("adam").build(), runDir, usable);
        assertArrayEquals(straight.parameters(), resumed.parameters(), 0.0);
    }

    @Test
    void aCheckpointIsOnlyResumedWithTheSettingsThatMadeIt() throws IOException {
        Path runDir = dir.resolve("settings");
        run(config("adam").epochs(4).build(), runDir, null);
        Checkpoint checkpoint = new CheckpointStore(runDir).newestValid(w -> { }).orElseThrow();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(config("adam").learningRate(0.05).build(), runDir, checkpoint));
        assertTrue(e.getMessage().contains("lr: checkpoint 0.02, now 0.05"), e.getMessage());
        // More epochs, another evaluation period, early stopping or aggregation depth do not change the
        // weights: allowed.
        TrainingResult longer = run(config("adam").epochs(6).evalEvery(2).aggregationDepth(1).build(), runDir, checkpoint);
        assertEquals(6, longer.last().epoch());
        // A checkpoint written when the depth was not yet resumable lists it; it resumes all the same.
        Checkpoint older = new Checkpoint("aggregation-depth=2\n" + checkpoint.fingerprint(),
                checkpoint.epoch(), checkpoint.parameters(), checkpoint.optimizer(), checkpoint.history(),
                checkpoint.passes(), checkpoint.seconds(), null, -1, Double.NaN);
        assertTrue(older.fingerprint().contains("aggregation-depth=2\n"), older.fingerprint());
        assertEquals(6, run(config("adam").epochs(6).build(), runDir, older).last().epoch());
        e = assertThrows(IllegalArgumentException.class,
                () -> run(config("adam").epochs(6).learningRate(0.05).build(), runDir, older));
        assertTrue(e.getMessage().contains("lr: checkpoint 0.02, now 0.05"), e.getMessage());
    }

    @Test
    void checkpointFilesRoundTripExactly() throws IOException {
        Path runDir = dir.resolve("roundtrip");
        run(config("lbfgs").epochs(8).build(), runDir, null);
        Path file = new CheckpointStore(runDir).list().get(0);
        Checkpoint read = CheckpointStore.read(file);
        assertArrayEquals(Files.readAllBytes(file), CheckpointStore.encode(read), "decode then encode gives the same bytes");
        assertEquals(8, read.epoch());
        assertEquals(9, read.history().size(), "metrics rows of epochs 0..8");
        assertEquals("lbfgs", read.optimizer().optimizer());
        assertTrue(read.optimizer().arrays().size() >= 2 && read.optimizer().arrays().size() % 2 == 0,
                "the L-BFGS history is saved as (s, y) pairs");
    }
}
