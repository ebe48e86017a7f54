package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.TestSpark;
import org.l1net.data.DataBlock;
import org.l1net.data.Datasets;
import org.l1net.data.HeaderMode;
import org.l1net.data.ReadOptions;
import org.l1net.data.TableReader;
import org.l1net.data.TrainingData;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;

/**
 * {@code l1net sweep --validation-fraction} and {@code --standardize}: the split is train's seeded split, the
 * standardization is fitted on the training rows, and every saved model scores raw data as the sweep did.
 */
class SweepDataOptionsTest {
    private static final Path SAMPLE_TRAIN = Path.of("sample-data", "train.csv");
    private static final Path SAMPLE_TEST = Path.of("sample-data", "test.csv");
    private static final int SAMPLE_ROWS = 200;
    private static final double FRACTION = 0.25;
    private static final Pattern ACCURACY = Pattern.compile("rows (\\d+)  accuracy ([0-9.]+)");

    @TempDir
    Path dir;

    private static Cli.Result sweep(Path train, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("sweep", "--train", train.toString(), "--out", out.toString(),
                "--l1", "0.003,0.0003", "--epochs", "30", "--lr", "0.05", "--master", "local[2]"));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    private static JsonNode summary(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
    }

    /** evaluate's accuracy of {@code model} on {@code data}, and the row count it read. */
    private static double evaluate(Path model, Path data, long expectedRows) {
        Cli.Result r = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--master", "local[2]");
        assertEquals(0, r.status(), r.toString());
        Matcher m = ACCURACY.matcher(r.out());
        assertTrue(m.find(), r.toString());
        assertEquals(expectedRows, Long.parseLong(m.group(1)), r.toString());
        return Double.parseDouble(m.group(2));
    }

    /**
     * The lines of {@code csv} that the seeded split holds out, as the data layer splits them: its blocks give
     * each row's float32 features and label, matched back to the file's own lines (identical rows always fall
     * on the same side, so a set of keys is enough).
     */
    private static List<String> heldOutLines(Path csv, long seed) throws IOException {
        SparkSession spark = TestSpark.session();
        ReadOptions options = new ReadOptions(HeaderMode.AUTO, "last", 2, 64);
        TableReader reader = Datasets.reader(spark, csv.toString(), options);
        TrainingData data = Datasets.readTraining(spark, reader, reader.inspect(spark, csv.toString(), options), options,
                0, false, FRACTION, seed);
        Set<String> keys = new HashSet<>();
        try {
            for (DataBlock b : data.validation().blocks().collect()) {
                for (int r = 0; r < b.rows(); r++) {
                    keys.add(Arrays.toString(Arrays.copyOfRange(b.x(), r * b.features(), (r + 1) * b.features()))
                            + b.labels()[r]);
                }
            }
        } finally {
            data.release();
        }
        List<String> lines = Files.readAllLines(csv);
        List<String> held = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            float[] x = new float[fields.length - 1];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) Double.parseDouble(fields[j]);
            }
            if (keys.contains(Arrays.toString(x) + Integer.parseInt(fields[x.length]))) {
                held.add(line);
            }
        }
        return held;
    }

    @Test
    void aValidationFractionIsTrainsSeededSplitAndTheSameSeedGivesTheSameSweep() throws IOException {
        Path first = dir.resolve("seed1");
        Path again = dir.resolve("seed1-again");
        Path other = dir.resolve("seed2");
        Cli.Result r = sweep(SAMPLE_TRAIN, first, "--validation-fraction", Double.toString(FRACTION), "--standardize", "--seed", "1");
        sweep(SAMPLE_TRAIN, again, "--validation-fraction", Double.toString(FRACTION), "--standardize", "--seed", "1");
        Cli.Result cold = sweep(SAMPLE_TRAIN, other, "--validation-fraction", Double.toString(FRACTION), "--standardize",
                "--seed", "2", "--start", "cold");
        assertTrue(cold.out().contains(" cold starts, "), cold.toString());

        List<String> heldOut1 = heldOutLines(SAMPLE_TRAIN, 1);
        List<String> heldOut2 = heldOutLines(SAMPLE_TRAIN, 2);
        long validationRows = heldOut1.size() - 1;
        assertTrue(validationRows > 20 && validationRows < 80, "about a quarter of 200: " + validationRows);
        assertNotEquals(heldOut1, heldOut2, "another seed holds out other rows");

        JsonNode s = summary(first);
        assertEquals(validationRows, s.get("validation_rows").asLong());
        assertEquals(SAMPLE_ROWS, s.get("training_rows").asLong() + s.get("validation_rows").asLong(),
                "the split partitions the input rows");
        assertTrue(s.get("validation_data").isNull(), s.toString());
        assertEquals(FRACTION, s.get("validation_fraction").asDouble());
        assertTrue(s.get("standardize").asBoolean(), s.toString());
        assertTrue(r.out().contains(String.format(Locale.ROOT, "%d training rows in 2 partitions, %d validation rows split off "
                + "the training data (--validation-fraction %s, --seed 1)", SAMPLE_ROWS - validationRows, validationRows,
                FRACTION)), r.toString());
        assertTrue(r.out().contains(" warm starts, standardized inputs, "), r.toString());
        assertTrue(Files.readString(first.resolve("report.html")).contains(String.format(Locale.ROOT,
                "validation split off the training data (--validation-fraction %s, --seed 1)", FRACTION)));
        assertEquals(heldOut2.size() - 1, summary(other).get("validation_rows").asLong());

        JsonNode s2 = summary(again);
        assertEquals(s.get("best").get("index"), s2.get("best").get("index"));
        assertEquals(s.get("one_se").get("index"), s2.get("one_se").get("index"));
        L1NetModel model = ModelFormat.read(first.resolve("model.json"));
        L1NetModel model2 = ModelFormat.read(again.resolve("model.json"));
        assertArrayEquals(model.parameters(), model2.parameters(), "the same seed, the same weights");
        assertEquals(model.standardizer(), model2.standardizer());
        assertEquals(Boolean.TRUE, model.provenance().get("standardize"));
        assertEquals(FRACTION, ((Number) model.provenance().get("validationFraction")).doubleValue());
        assertNull(model.provenance().get("validationData"));
        // "auto" over 2 partitions of 124-parameter sums in local mode: depth 1 (far below maxResultSize / 2)
        assertEquals(1, ((Number) model.provenance().get("aggregationDepth")).intValue());

        // The held-out rows, raw, scored by the chosen model on its own: the accuracy the sweep chose it by.
        Path held = Files.write(dir.resolve("held-out-1.csv"), heldOut1);
        assertEquals(s.get("best").get("validation_accuracy").asDouble(),
                evaluate(first.resolve("model.json"), held, validationRows), 0.00005);
        Path held2 = Files.write(dir.resolve("held-out-2.csv"), heldOut2);
        assertEquals(summary(other).get("best").get("validation_accuracy").asDouble(),
                evaluate(other.resolve("model.json"), held2, heldOut2.size() - 1), 0.00005);
    }

    /** sample-data with feature j scaled by 10^(j % 4) and shifted by 50 (j + 1): a network cannot use it unscaled. */
    private Path scaled(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < fields.length - 1; j++) {
                b.append(Double.parseDouble(fields[j]) * Math.pow(10, j % 4) + 50.0 * (j + 1)).append(',');
            }
            out.add(b.append(fields[fields.length - 1]).toString());
        }
        return Files.write(dir.resolve("scaled-" + csv.getFileName()), out);
    }

    private static double[] columnMeans(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        double[] sum = null;
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            sum = sum == null ? new double[fields.length - 1] : sum;
            for (int j = 0; j < sum.length; j++) {
                sum[j] += Double.parseDouble(fields[j]);
            }
        }
        for (int j = 0; j < sum.length; j++) {
            sum[j] /= lines.size() - 1;
        }
        return sum;
    }

    @Test
    void standardizedSweepModelsScoreRawValidationDataAsTheSweepDid() throws IOException {
        Path train = scaled(SAMPLE_TRAIN);
        Path validation = scaled(SAMPLE_TEST);
        Path out = dir.resolve("standardized");
        Cli.Result r = sweep(train, out, "--validation", validation.toString(), "--test", validation.toString(), "--standardize");
        assertTrue(r.out().contains("40 validation rows from " + validation), r.toString());
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("validation from " + validation), "the report names the validation file");
        assertTrue(report.contains("standardized: each feature"), "and says the inputs were standardized");

        JsonNode s = summary(out);
        assertEquals(validation.toString(), s.get("validation_data").asText());
        assertEquals(0.0, s.get("validation_fraction").asDouble());
        assertTrue(s.get("standardize").asBoolean());
        assertEquals(SAMPLE_ROWS, s.get("training_rows").asLong());
        JsonNode best = s.get("best");
        assertEquals(best.get("validation_accuracy").asDouble(), best.get("test_accuracy").asDouble(), 1e-12,
                "--test is standardized as the validation set is");

        L1NetModel chosen = ModelFormat.read(out.resolve("model.json"));
        assertNotNull(chosen.standardizer(), "the chosen model carries the standardization");
        double[] trainMeans = columnMeans(train);
        for (int j = 0; j < trainMeans.length; j++) {
            assertEquals(trainMeans[j], chosen.standardizer().mean()[j], 1e-9 * Math.abs(trainMeans[j]),
                    "fitted on the training rows (not the validation rows), feature " + j);
        }
        for (String folder : List.of(best.get("model").asText(), s.get("one_se").get("model").asText())) {
            assertEquals(chosen.standardizer(), ModelFormat.read(out.resolve(folder)).standardizer(), folder);
        }

        double sweepAccuracy = best.get("validation_accuracy").asDouble();
        assertEquals(sweepAccuracy, evaluate(out.resolve("model.json"), validation, 40), 0.00005);

        // Without its standardization the same weights score the raw rows otherwise: the check above can fail.
        Path bare = out.resolve("no-standardizer.json");
        ModelFormat.write(new L1NetModel(chosen.topology(), chosen.parameters(), chosen.featureNames(), chosen.labelName(),
                chosen.config(), chosen.provenance(), chosen.classNames(), null), bare);
        assertNotEquals(sweepAccuracy, evaluate(bare, validation, 40), 0.00005);
    }

    @Test
    void theValidationSetComesFromExactlyOnePlace() {
        Path out = dir.resolve("none");
        Cli.Result both = Cli.withoutSpark("sweep", "--train", SAMPLE_TRAIN.toString(), "--out", out.toString(),
                "--validation", SAMPLE_TEST.toString(), "--validation-fraction", "0.2");
        assertEquals(Main.USAGE_ERROR, both.status(), both.toString());
        assertTrue(both.err().contains("--validation and --validation-fraction"), both.toString());

        Cli.Result neither = Cli.withoutSpark("sweep", "--train", SAMPLE_TRAIN.toString(), "--out", out.toString());
        assertEquals(Main.USAGE_ERROR, neither.status(), neither.toString());
        assertTrue(neither.err().contains("--validation PATH or --validation-fraction f"), neither.toString());

        Cli.Result outOfRange = Cli.withoutSpark("sweep", "--train", SAMPLE_TRAIN.toString(), "--out", out.toString(),
                "--validation-fraction", "1.5");
        assertEquals(Main.USAGE_ERROR, outOfRange.status(), outOfRange.toString());
        assertTrue(outOfRange.err().contains("--validation-fraction must be in [0, 1), got 1.5"), outOfRange.toString());
        assertFalse(Files.exists(out), "nothing ran");
    }
}
