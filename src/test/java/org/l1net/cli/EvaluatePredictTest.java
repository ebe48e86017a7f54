package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.TestSpark;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;
import org.l1net.nn.ReferenceNetwork;

/**
 * {@code l1net evaluate} and {@code l1net predict} on a model trained here: evaluate's figures
 * must follow from predict's rows and the file's labels, and predict's rows must be the plain
 * reference forward pass of each input row, in input order.
 */
class EvaluatePredictTest {
    private static final Path SAMPLE_TRAIN = Path.of("sample-data", "train.csv");
    private static final Path SAMPLE_TEST = Path.of("sample-data", "test.csv");
    private static final Pattern HEADLINE =
            Pattern.compile("rows (\\d+)  accuracy (\\d\\.\\d{4})  mean loss \\(cross-entropy\\) (\\d+\\.\\d{6})");

    @TempDir
    static Path shared;
    static Path modelFile;
    static L1NetModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws IOException {
        Path run = shared.resolve("run");
        Cli.Result r = Cli.run("train", "--train", SAMPLE_TRAIN.toString(), "--out", run.toString(), "--epochs", "20",
                "--lr", "0.05", "--master", "local[2]");
        assertEquals(0, r.status(), r.toString());
        modelFile = run.resolve("model.json");
        model = ModelFormat.read(modelFile);
    }

    @Test
    void evaluateAgreesWithPredictionsAndTheFilesLabels() throws IOException {
        Cli.Result evaluation = Cli.run("evaluate", "--model", modelFile.toString(), "--data", SAMPLE_TEST.toString(),
                "--master", "local[2]");
        Path predictions = dir.resolve("p.csv");
        Cli.Result prediction = Cli.run("predict", "--model", modelFile.toString(), "--data", SAMPLE_TEST.toString(),
                "--out", predictions.toString(), "--master", "local[2]");
        assertEquals(0, evaluation.status(), evaluation.toString());
        assertEquals(0, prediction.status(), prediction.toString());

        int[] labels = labels(SAMPLE_TEST);
        List<double[]> rows = predictionRows(predictions);
        assertEquals(labels.length, rows.size());
        long[][] confusion = new long[4][4];
        double lossSum = 0;
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            int predicted = (int) rows.get(r)[0];
            confusion[labels[r]][predicted]++;
            correct += predicted == labels[r] ? 1 : 0;
            lossSum -= Math.log(rows.get(r)[1 + labels[r]]);
        }

        Matcher head = HEADLINE.matcher(evaluation.out().lines().findFirst().orElse(""));
        assertTrue(head.matches(), evaluation.toString());
        assertEquals(labels.length, Integer.parseInt(head.group(1)));
        assertEquals(String.format(Locale.ROOT, "%.4f", (double) correct / labels.length), head.group(2));
        assertEquals(lossSum / labels.length, Double.parseDouble(head.group(3)), 5.1e-7);
        long[][] printed = confusionMatrix(evaluation.out(), 4);
        assertArrayEquals(confusion, printed, evaluation.out());
        assertEquals(labels.length, java.util.Arrays.stream(printed).flatMapToLong(java.util.Arrays::stream).sum(),
                "the matrix sums to the row count");
    }

    @Test
    void evaluateOnTheTrainingDataReproducesTheRunsFinalFigures() throws IOException {
        Cli.Result evaluation = Cli.run("evaluate", "--model", modelFile.toString(), "--data", SAMPLE_TRAIN.toString(),
                "--master", "local[2]");
        assertEquals(0, evaluation.status(), evaluation.toString());
        var summary = new ObjectMapper().readTree(modelFile.resolveSibling("summary.json").toFile());
        Matcher head = HEADLINE.matcher(evaluation.out().lines().findFirst().orElse(""));
        assertTrue(head.matches(), evaluation.toString());
        assertEquals("200", head.group(1));
        assertEquals(String.format(Locale.ROOT, "%.4f", summary.get("train_accuracy").asDouble()), head.group(2));
        assertEquals(summary.get("data_loss").asDouble(), Double.parseDouble(head.group(3)), 5.1e-7);
    }

    /**
     * Read as many splits (maxPartitionBytes 1 KB), so the order of the output rows depends on the
     * partitions being written in order; every row is checked against the reference forward pass
     * of the input row at the same position.
     */
    @Test
    void predictWritesEveryRowInInputOrder() throws IOException {
        TestSpark.session().conf().set("spark.sql.files.maxPartitionBytes", "1024");
        Path predictions = dir.resolve("p.csv");

        Cli.Result r = Cli.run("predict", "--model", modelFile.toString(), "--data", SAMPLE_TRAIN.toString(),
                "--out", predictions.toString(), "--master", "local[2]");

        assertEquals(0, r.status(), r.toString());
        assertEquals("prediction,prob_0,prob_1,prob_2,prob_3", Files.readAllLines(predictions).get(0));
        List<double[]> features = features(SAMPLE_TRAIN);
        List<double[]> rows = predictionRows(predictions);
        assertEquals(features.size(), rows.size(), "one output row per input row");
        ReferenceNetwork reference =
                new ReferenceNetwork(model.topology().sizes(), "tanh", "cross-entropy", model.parameters());
        for (int i = 0; i < rows.size(); i++) {
            double[] x = features.get(i);
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) x[j]; // blocks hold float32 features
            }
            double[] expected = reference.probabilities(x);
            double[] row = rows.get(i);
            int predicted = (int) row[0];
            double sum = 0;
            for (int k = 0; k < 4; k++) {
                assertEquals(expected[k], row[1 + k], 1e-12, "row " + i + " class " + k);
                assertTrue(row[1 + predicted] >= row[1 + k], "row " + i + ": the prediction is the most probable class");
                sum += row[1 + k];
            }
            assertEquals(1.0, sum, 1e-12);
        }
        assertTrue(r.out().contains("wrote 200 predictions to " + predictions), r.toString());
    }

    @Test
    void predictScoresFilesWithoutALabelColumnTheSame() throws IOException {
        List<String> withLabel = Files.readAllLines(SAMPLE_TEST);
        List<String> featuresOnly = new ArrayList<>();
        for (String line : withLabel) {
            featuresOnly.add(line.substring(0, line.lastIndexOf(',')));
        }
        Path withHeader = Files.write(dir.resolve("features.csv"), featuresOnly);
        Path withoutHeader = Files.write(dir.resolve("bare.csv"), featuresOnly.subList(1, featuresOnly.size()));

        String reference = predict(SAMPLE_TEST);

        assertEquals(reference, predict(withHeader));
        assertEquals(reference, predict(withoutHeader));
        assertEquals(withLabel.size(), reference.lines().count(), "a header and a row per input row");
    }

    private String predict(Path data) throws IOException {
        Path out = dir.resolve("predictions-" + data.getFileName());
        Cli.Result r = Cli.run("predict", "--model", modelFile.toString(), "--data", data.toString(),
                "--out", out.toString(), "--master", "local[2]");
        assertEquals(0, r.status(), r.toString());
        return Files.readString(out);
    }

    /** The label column (last) of a CSV with a header. */
    static int[] labels(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int[] labels = new int[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            labels[i - 1] = Integer.parseInt(line.substring(line.lastIndexOf(',') + 1));
        }
        return labels;
    }

    /** The feature columns (all but the last) of a CSV with a header. */
    static List<double[]> features(Path csv) throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",");
            double[] x = new double[f.length - 1];
            for (int j = 0; j < x.length; j++) {
                x[j] = Double.parseDouble(f[j]);
            }
            rows.add(x);
        }
        return rows;
    }

    /** predict's rows after the header: [prediction, p_0, ..., p_(K-1)]. */
    static List<double[]> predictionRows(Path file) throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double[] row = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                row[j] = Double.parseDouble(f[j]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The "true k" rows of evaluate's printed matrix. */
    private static long[][] confusionMatrix(String out, int classes) {
        long[][] m = new long[classes][];
        for (String line : out.lines().toList()) {
            Matcher row = Pattern.compile("\\s*true (\\d+)((?:\\s+\\d+)+)\\s*").matcher(line);
            if (row.matches()) {
                m[Integer.parseInt(row.group(1))] =
                        java.util.Arrays.stream(row.group(2).trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
            }
        }
        return m;
    }
}
