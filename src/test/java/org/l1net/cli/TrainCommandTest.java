package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;

/**
 * {@code l1net train} end to end on sample-data/, with the shipped job defaults the way the
 * launcher passes them: the run folder's three files, their layout (issue 2's columns and keys),
 * their agreement with each other and with the progress lines, and the --overwrite rules.
 */
class TrainCommandTest {
    private static final int EPOCHS = 20;
    private static final int EVAL_EVERY = 3;
    private static final int TRAIN_ROWS = 200;
    private static final int TEST_ROWS = 40;
    /** 10-8-4: connection weights, biases not counted. */
    private static final int WEIGHTS = 10 * 8 + 8 * 4;

    @TempDir
    static Path shared;
    static Path run;
    static Cli.Result result;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        run = shared.resolve("run");
        result = Cli.runWithDefaults(Cli.SHIPPED_DEFAULTS, "train", "--train", "sample-data/train.csv",
                "--test", "sample-data/test.csv", "--out", run.toString(), "--epochs", Integer.toString(EPOCHS),
                "--eval-every", Integer.toString(EVAL_EVERY), "--master", "local[2]");
    }

    @Test
    void writesTheRunFilesAndNothingElse() throws IOException {
        assertEquals(0, result.status(), result.toString());
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(List.of("metrics.csv", "model.json", "report.html", "summary.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void metricsHaveIssue2sColumnsAndOneRowPerEpoch() throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("epoch,data_loss,l1_penalty,objective,train_accuracy,test_accuracy,nonzero_weights,"
                + "total_weights,seconds,passes,step_size,gradient_norm,test_loss", lines.get(0));
        assertEquals(EPOCHS + 2, lines.size(), "a header and epochs 0.." + EPOCHS);
        long passesBefore = 0;
        for (int e = 0; e <= EPOCHS; e++) {
            String[] f = lines.get(e + 1).split(",", -1);
            assertEquals(13, f.length, lines.get(e + 1));
            boolean tested = e % EVAL_EVERY == 0 || e == EPOCHS;
            // Full batch: one training pass per epoch (epoch 0's included), and one test pass when the test set was evaluated.
            long passes = Long.parseLong(f[9]);
            assertEquals(passesBefore + 1 + (tested ? 1 : 0), passes, "passes of epoch " + e);
            passesBefore = passes;
            assertEquals(e == 0 ? "" : "0.01", f[10], "step_size is the learning rate, empty for the initial model");
            assertTrue(Double.parseDouble(f[11]) > 0, "gradient_norm " + f[11]);
            assertEquals(tested, !f[12].isEmpty(), "test_loss of epoch " + e);
            assertEquals(e, Integer.parseInt(f[0]));
            double loss = Double.parseDouble(f[1]);
            double l1 = Double.parseDouble(f[2]);
            assertEquals(loss + l1, Double.parseDouble(f[3]), 1e-12 * (loss + l1), "objective = data_loss + l1_penalty");
            assertCountOf(Double.parseDouble(f[4]), TRAIN_ROWS, "train_accuracy");
            boolean evaluated = e % EVAL_EVERY == 0 || e == EPOCHS;
            assertEquals(evaluated, !f[5].isEmpty(), "test_accuracy of epoch " + e + " with --eval-every " + EVAL_EVERY);
            if (evaluated) {
                assertCountOf(Double.parseDouble(f[5]), TEST_ROWS, "test_accuracy");
            }
            int nonzero = Integer.parseInt(f[6]);
            assertTrue(nonzero >= 0 && nonzero <= WEIGHTS, lines.get(e + 1));
            assertEquals(WEIGHTS, Integer.parseInt(f[7]));
            assertTrue(Double.parseDouble(f[8]) >= 0);
        }
    }

    @Test
    void summaryIsTheLastMetricsRow() throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        String[] header = lines.get(0).split(",");
        String[] last = lines.get(lines.size() - 1).split(",", -1);
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        for (String key : List.of("train_accuracy", "test_accuracy", "data_loss", "l1_penalty", "objective",
                "nonzero_weights", "total_weights")) {
            int column = List.of(header).indexOf(key);
            assertEquals(Double.parseDouble(last[column]), summary.get(key).asDouble(), 0.0, key);
        }
        assertEquals(EPOCHS, summary.get("epochs").asInt());
        assertTrue(summary.get("seconds").asDouble() > 0);
        List<String> keys = new ArrayList<>();
        summary.fieldNames().forEachRemaining(keys::add);
        assertTrue(keys.containsAll(List.of("train_accuracy", "test_accuracy", "data_loss", "l1_penalty", "objective",
                "nonzero_weights", "total_weights", "epochs", "seconds")), keys.toString());
    }

    /** {@code epoch 37/500  loss 0.4123  l1 0.0311  train 0.905  test 0.850  nonzero 61/112  0.08s} */
    @Test
    void progressLinesFollowTheFormatAndMatchTheMetrics() throws IOException {
        Pattern format = Pattern.compile("epoch +(\\d+)/" + EPOCHS + "  loss (\\d+\\.\\d{4})  l1 (\\d+\\.\\d{4})  "
                + "train (\\d\\.\\d{3})(?:  test (\\d\\.\\d{3}))?  nonzero (\\d+)/" + WEIGHTS + "  \\d+\\.\\d{2}s");
        List<String> progress = result.out().lines().filter(l -> l.startsWith("epoch")).toList();
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(EPOCHS + 1, progress.size(), result.toString());
        for (int e = 0; e <= EPOCHS; e++) {
            Matcher m = format.matcher(progress.get(e));
            assertTrue(m.matches(), "progress line: '" + progress.get(e) + "'");
            String[] f = metrics.get(e + 1).split(",", -1);
            assertEquals(e, Integer.parseInt(m.group(1)));
            assertEquals(String.format(Locale.ROOT, "%.4f", Double.parseDouble(f[1])), m.group(2));
            assertEquals(String.format(Locale.ROOT, "%.4f", Double.parseDouble(f[2])), m.group(3));
            assertEquals(String.format(Locale.ROOT, "%.3f", Double.parseDouble(f[4])), m.group(4));
            assertEquals(f[5].isEmpty() ? null : String.format(Locale.ROOT, "%.3f", Double.parseDouble(f[5])), m.group(5));
            assertEquals(f[6], m.group(6));
        }
        assertTrue(result.out().contains("wrote " + run.resolve("model.json")), result.toString());
    }

    @Test
    void modelDescribesTheRunAndHoldsTheReportedZeros() throws IOException {
        L1NetModel model = ModelFormat.read(run.resolve("model.json"));
        assertArrayEquals(new int[] {10, 8, 4}, model.topology().sizes());
        assertEquals("tanh", model.topology().activation().cliName());
        assertEquals(List.of("x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"), model.featureNames());
        assertEquals("label", model.labelName());
        assertEquals(EPOCHS, ((Number) model.config().get("epochs")).intValue());
        assertEquals(EVAL_EVERY, ((Number) model.config().get("eval-every")).intValue());
        assertEquals(0.01, ((Number) model.config().get("l1")).doubleValue(), 0.0, "lambda from the job defaults");
        assertEquals("sample-data/train.csv", model.provenance().get("trainData"));
        assertEquals("sample-data/test.csv", model.provenance().get("testData"));
        for (String key : List.of("seed", "l1netVersion", "sparkVersion", "javaVersion", "master", "createdAt")) {
            assertTrue(model.provenance().get(key) != null, "provenance lacks " + key);
        }
        // auto in local mode: two partitions of 124-parameter sums are far below half of the default 1 GiB
        // spark.driver.maxResultSize, so the passes ran at depth 1 while the configuration says only "auto"
        assertEquals("auto", model.config().get("aggregation-depth"));
        assertEquals(1, ((Number) model.provenance().get("aggregationDepth")).intValue());
        // connection weights that are not zero, found from the documented layout: per layer W [out x in], then b [out]
        double[] p = model.parameters();
        int[] sizes = {10, 8, 4};
        int offset = 0;
        int nonzero = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            for (int i = 0; i < sizes[l] * sizes[l + 1]; i++) {
                nonzero += p[offset + i] != 0.0 ? 1 : 0;
            }
            offset += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals(summary.get("nonzero_weights").asInt(), nonzero);
        assertTrue(nonzero < WEIGHTS, "proximal L1 at the shipped lambda should zero some weights in 20 epochs");
    }

    @Test
    void anExistingRunIsKeptUnlessOverwriteIsGiven() throws IOException {
        Path out = dir.resolve("run");
        Cli.Result first = Cli.run("train", "--train", "sample-data/train.csv", "--out", out.toString(), "--epochs", "2",
                "--master", "local[2]");
        assertEquals(0, first.status(), first.toString());
        byte[] model = Files.readAllBytes(out.resolve("model.json"));
        byte[] metrics = Files.readAllBytes(out.resolve("metrics.csv"));

        Cli.Result again = Cli.run("train", "--train", "sample-data/train.csv", "--out", out.toString(), "--epochs", "2",
                "--master", "local[2]");

        assertEquals(Main.USAGE_ERROR, again.status(), again.toString());
        assertTrue(again.err().contains("--out " + out + " already holds a run; choose another folder or add --overwrite"),
                again.toString());
        assertArrayEquals(model, Files.readAllBytes(out.resolve("model.json")));

        Cli.Result badData = Cli.run("train", "--train", dir.resolve("missing.csv").toString(), "--out", out.toString(),
                "--overwrite", "--master", "local[2]");

        assertEquals(Main.USAGE_ERROR, badData.status(), badData.toString());
        assertArrayEquals(model, Files.readAllBytes(out.resolve("model.json")), "a failed --overwrite run loses nothing");
        assertArrayEquals(metrics, Files.readAllBytes(out.resolve("metrics.csv")));

        Cli.Result overwritten = Cli.run("train", "--train", "sample-data/train.csv", "--out", out.toString(),
                "--epochs", "3", "--seed", "5", "--overwrite", "--master", "local[2]");

        assertEquals(0, overwritten.status(), overwritten.toString());
        assertEquals(3 + 2, Files.readAllLines(out.resolve("metrics.csv")).size(), "the new run's epochs 0..3");
        assertNotEquals(new String(model), Files.readString(out.resolve("model.json")));
        assertEquals(5L, ((Number) ModelFormat.read(out.resolve("model.json")).provenance().get("seed")).longValue());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(4, files.count(), "no temporary files left");
        }
    }

    @Test
    void anOutThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Cli.Result r = Cli.run("train", "--train", "sample-data/train.csv", "--out", file.toString(), "--epochs", "1",
                "--master", "local[2]");
        assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
        assertTrue(r.err().contains("--out " + file + " is a file, not a folder"), r.toString());
        assertEquals("x", Files.readString(file));
        assertFalse(r.out().contains("epoch"));
    }

    @Test
    void theLabelColumnCanBeNamedAnywhere() throws IOException {
        List<String> moved = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("sample-data", "train.csv"))) {
            int cut = line.lastIndexOf(',');
            moved.add(line.substring(cut + 1) + "," + line.substring(0, cut)); // label first
        }
        Path train = Files.write(dir.resolve("label-first.csv"), moved);
        Path out = dir.resolve("run");

        Cli.Result r = Cli.run("train", "--train", train.toString(), "--label-col", "label", "--out", out.toString(),
                "--epochs", "1", "--master", "local[2]");

        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("10-8-4 network"), r.toString());
        L1NetModel model = ModelFormat.read(out.resolve("model.json"));
        assertEquals("x0", model.featureNames().get(0));
        assertEquals("label", model.labelName());
    }

    /** An accuracy over n rows is a count of correct rows divided by n. */
    private static void assertCountOf(double accuracy, int rows, String what) {
        assertTrue(accuracy >= 0 && accuracy <= 1, what + " " + accuracy);
        assertEquals(Math.rint(accuracy * rows), accuracy * rows, 1e-9, what + " " + accuracy + " is not k/" + rows);
    }
}
