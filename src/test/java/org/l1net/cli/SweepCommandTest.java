package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.model.ModelFormat;

/**
 * {@code l1net sweep} end to end on sample-data/ (training rows, and test.csv as the validation set): the grid,
 * warm starts, the two choices recomputed from sweep.csv, and every saved model scored again by {@code evaluate}.
 */
class SweepCommandTest {
    private static final int STEPS = 4;
    private static final double MIN_RATIO = 0.01;
    private static final long VALIDATION_ROWS = 40;

    @TempDir
    static Path shared;
    static Path run;
    static Cli.Result result;
    static List<String[]> rows;
    static List<String> header;

    @TempDir
    Path dir;

    @BeforeAll
    static void sweep() throws IOException {
        run = shared.resolve("sweep");
        result = Cli.runWithDefaults(Cli.SHIPPED_DEFAULTS, "sweep", "--train", "sample-data/train.csv",
                "--validation", "sample-data/test.csv", "--test", "sample-data/test.csv", "--out", run.toString(),
                "--epochs", "40", "--steps", Integer.toString(STEPS), "--l1-min-ratio", Double.toString(MIN_RATIO),
                "--master", "local[2]");
        assertEquals(0, result.status(), result.toString());
        List<String> lines = Files.readAllLines(run.resolve("sweep.csv"));
        header = List.of(lines.get(0).split(","));
        rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(",", -1));
        }
    }

    private static String field(String[] row, String column) {
        int i = header.indexOf(column);
        assertTrue(i >= 0, "sweep.csv has no column " + column + ": " + header);
        return row[i];
    }

    /** The lambda's metrics.csv lines, header first. */
    private static List<String> metrics(String[] row) throws IOException {
        return Files.readAllLines(run.resolve(field(row, "model")).resolveSibling("metrics.csv"));
    }

    private static double number(String[] row, String column) {
        return Double.parseDouble(field(row, column));
    }

    @Test
    void theAutoGridStartsAtThePrintedLambdaAndIsLogSpacedAndDescending() {
        Matcher m = Pattern.compile("starts at max \\|dLoss/dw\\| at the seeded weights = ([0-9.e-]+)").matcher(result.out());
        assertTrue(m.find(), result.out());
        double start = Double.parseDouble(m.group(1));
        assertEquals(STEPS, rows.size());
        assertEquals(start, number(rows.get(0), "lambda"), start * 1e-5);
        for (int i = 1; i < rows.size(); i++) {
            double ratio = number(rows.get(i), "lambda") / number(rows.get(i - 1), "lambda");
            assertEquals(Math.pow(MIN_RATIO, 1.0 / (STEPS - 1)), ratio, 1e-12, "row " + i);
        }
        assertEquals(MIN_RATIO, number(rows.get(STEPS - 1), "lambda") / number(rows.get(0), "lambda"), 1e-12);
    }

    /** A warm lambda's epoch 0 (its metrics.csv) is the previous lambda's last epoch, in data loss and zeros. */
    @Test
    void warmLambdasStartFromThePreviousLambdasLastModel() throws IOException {
        int warm = 0;
        for (int i = 1; i < rows.size(); i++) {
            if (!field(rows.get(i), "start").equals("warm")) {
                assertEquals("seeded", field(rows.get(i), "start"));
                continue;
            }
            warm++;
            List<String> previous = metrics(rows.get(i - 1));
            String[] last = previous.get(previous.size() - 1).split(",");
            String[] first = metrics(rows.get(i)).get(1).split(",");
            assertEquals("0", first[0]);
            assertEquals(last[1], first[1], "data loss, lambda " + i);
            assertEquals(last[6], first[6], "nonzero weights, lambda " + i);
            assertEquals(last[1], field(rows.get(i - 1), "train_loss"), "sweep.csv's train loss is the last epoch's");
        }
        assertTrue(warm >= 2, "most of the path is warm: " + result.out());
    }

    @Test
    void theChoicesAreRecomputedFromSweepCsv() throws IOException {
        int best = 0;
        for (int i = 1; i < rows.size(); i++) {
            if (number(rows.get(i), "validation_accuracy") > number(rows.get(best), "validation_accuracy")) {
                best = i;
            }
        }
        double acc = number(rows.get(best), "validation_accuracy");
        double se = Math.sqrt(acc * (1 - acc) / VALIDATION_ROWS);
        int oneSe = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (number(rows.get(i), "validation_accuracy") < acc - se) {
                continue;
            }
            if (oneSe < 0 || number(rows.get(i), "nonzero_weights") < number(rows.get(oneSe), "nonzero_weights")
                    || number(rows.get(i), "nonzero_weights") == number(rows.get(oneSe), "nonzero_weights")
                    && number(rows.get(i), "validation_accuracy") > number(rows.get(oneSe), "validation_accuracy")) {
                oneSe = i;
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            String expected = i == best && i == oneSe ? "best+one-se" : i == best ? "best" : i == oneSe ? "one-se" : "";
            assertEquals(expected, field(rows.get(i), "choice"), "row " + i);
        }
        JsonNode summary = new ObjectMapper().readTree(run.resolve("sweep.json").toFile());
        assertEquals(best, summary.get("best").get("index").asInt());
        assertEquals(oneSe, summary.get("one_se").get("index").asInt());
        assertEquals(se, summary.get("standard_error").asDouble(), 1e-15);
        assertEquals(VALIDATION_ROWS, summary.get("validation_rows").asLong());
        assertTrue(summary.get("best").get("test_accuracy").isNumber(), "--test scores the chosen models");
        assertArrayEquals(ModelFormat.read(run.resolve(field(rows.get(best), "model"))).parameters(),
                ModelFormat.read(run.resolve("model.json")).parameters(), "model.json is the best lambda's");
        assertArrayEquals(ModelFormat.read(run.resolve(field(rows.get(oneSe), "model"))).parameters(),
                ModelFormat.read(run.resolve("model-1se.json")).parameters(), "model-1se.json is the one-SE lambda's");
    }

    /** Every lambda's nonzero counts add up, and the inputs it reads match inspect's pruned inputs. */
    @Test
    void perLayerCountsAndSurvivingInputsAgreeWithInspect() {
        for (String[] row : rows) {
            long perLayer = (long) (number(row, "nonzero_layer_1") + number(row, "nonzero_layer_2"));
            assertEquals(perLayer, (long) number(row, "nonzero_weights"));
            assertEquals(112, (long) number(row, "total_weights"));
            Cli.Result inspect = Cli.withoutSpark("inspect", "--model", run.resolve(field(row, "model")).toString());
            Matcher m = Pattern.compile("pruned inputs \\(every first-layer weight zero\\): (\\d+) of 10").matcher(inspect.out());
            assertTrue(m.find(), inspect.toString());
            assertEquals(10 - Integer.parseInt(m.group(1)), (int) number(row, "surviving_inputs"));
        }
    }

    /** Each saved model, scored on its own by evaluate, has its row's validation accuracy. */
    @Test
    void everySavedModelReproducesItsValidationAccuracy() {
        for (String[] row : rows) {
            Cli.Result evaluate = Cli.run("evaluate", "--model", run.resolve(field(row, "model")).toString(),
                    "--data", "sample-data/test.csv", "--master", "local[2]");
            assertEquals(0, evaluate.status(), evaluate.toString());
            Matcher m = Pattern.compile("rows 40  accuracy ([0-9.]+)").matcher(evaluate.out());
            assertTrue(m.find(), evaluate.out());
            assertEquals(number(row, "validation_accuracy"), Double.parseDouble(m.group(1)), 0.00005, field(row, "model"));
        }
    }

    @Test
    void writesTheSweepFiles() throws IOException {
        for (String name : List.of("sweep.csv", "sweep.json", "report.html", "model.json", "model-1se.json")) {
            assertTrue(Files.isRegularFile(run.resolve(name)), name);
        }
        for (String[] row : rows) {
            Path folder = run.resolve(field(row, "model")).getParent();
            assertTrue(Files.isRegularFile(folder.resolve("metrics.csv")), folder.toString());
            assertEquals(40 + 2, Files.readAllLines(folder.resolve("metrics.csv")).size(), "epochs 0..40 per lambda");
        }
        String html = Files.readString(run.resolve("report.html"));
        for (String id : List.of("accuracy", "nonzero", "inputs", "loss")) {
            assertTrue(html.contains("<figure data-chart=\"" + id + "\">"), id);
        }
    }

    @Test
    void anExplicitListRunsLargestFirstAndAnOldSweepIsKeptWithoutOverwrite() throws IOException {
        Path out = dir.resolve("list");
        Cli.Result r = Cli.run("sweep", "--train", "sample-data/train.csv", "--validation", "sample-data/test.csv",
                "--out", out.toString(), "--epochs", "3", "--l1", "0.001,0.03", "--master", "local[2]");
        assertEquals(0, r.status(), r.toString());
        List<String> lines = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).startsWith("0,0.03,seeded,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("1,0.001,warm,"), lines.get(2));
        assertTrue(Files.isRegularFile(out.resolve("lambda-00-0.03000/model.json")));

        Cli.Result again = Cli.withoutSpark("sweep", "--train", "sample-data/train.csv", "--validation",
                "sample-data/test.csv", "--out", out.toString(), "--l1", "0.01");
        assertEquals(Main.USAGE_ERROR, again.status(), again.toString());
        assertTrue(again.err().contains("already holds a run"), again.toString());
        Cli.Result bad = Cli.withoutSpark("sweep", "--train", "sample-data/train.csv", "--validation",
                "sample-data/test.csv", "--out", dir.resolve("bad").toString(), "--l1", "0.1,-1");
        assertEquals(Main.USAGE_ERROR, bad.status(), bad.toString());
        assertTrue(bad.err().contains("positive"), bad.toString());
        assertFalse(Files.exists(dir.resolve("bad")));
    }
}
