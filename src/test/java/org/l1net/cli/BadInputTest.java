package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;

/**
 * Every kind of bad input, through the real command line: exit status 2, a message that names the
 * file, the 1-based line and what is wrong, and nothing written to --out. Line numbers are counted
 * here from the file's bytes, independently of the reader's own bookkeeping.
 */
class BadInputTest {
    private static final Path SAMPLE_TRAIN = Path.of("sample-data", "train.csv");
    private static final Path SAMPLE_TEST = Path.of("sample-data", "test.csv");

    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeModel() throws IOException {
        // A 10-8-4 model with arbitrary weights: enough for evaluate and predict to read data with.
        Topology topology = new Topology(new int[] {10, 8, 4}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        double[] params = new double[topology.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = Math.sin(i + 1.0);
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < 10; j++) {
            names.add("x" + j);
        }
        model = shared.resolve("model.json");
        ModelFormat.write(new L1NetModel(topology, params, names, "label", Map.of(), Map.of()), model);
    }

    /** (what, 1-based line to replace, how the line is changed, what the message must say) */
    static Stream<Arguments> badTrainingRows() {
        return Stream.of(
                Arguments.of("too few columns", 12, "drop-last", "expected 11 comma-separated values, found 10"),
                Arguments.of("too many columns", 40, "append:0.5", "expected 11 comma-separated values, found 12"),
                Arguments.of("text for a number", 77, "col3:abc", "column 4 is 'abc', not a number"),
                Arguments.of("an empty value", 55, "col2:", "column 3 is empty"),
                Arguments.of("NaN", 101, "col1:NaN", "column 2 is 'NaN': NaN and infinite values are not allowed"),
                Arguments.of("Inf", 3, "col0:Inf", "column 1 is 'Inf': NaN and infinite values are not allowed"),
                Arguments.of("Infinity", 198, "col9:-Infinity",
                        "column 10 is '-Infinity': NaN and infinite values are not allowed"),
                Arguments.of("an overflowing number", 160, "col5:1e999", "column 6 is '1e999', which overflows a double"),
                Arguments.of("a fractional label", 64, "col10:1.5", "label '1.5' in column 11 is not a class index"),
                Arguments.of("a negative label", 201, "col10:-1", "label '-1' in column 11 is not a class index"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTrainingRows")
    void badTrainingRowIsRefusedWithItsLine(String what, int line, String change, String reason) throws IOException {
        List<String> lines = Files.readAllLines(SAMPLE_TRAIN);
        lines.set(line - 1, changed(lines.get(line - 1), change));
        Path train = write("train.csv", lines, "\n");

        Cli.Result r = train(train);

        assertRefused(r, train + " line " + line + ": " + reason);
    }

    @Test
    void labelBeyondTheLayersOutputIsRefused() throws IOException {
        List<String> lines = Files.readAllLines(SAMPLE_TRAIN);
        lines.set(149, changed(lines.get(149), "col10:4"));
        Path train = write("train.csv", lines, "\n");

        Cli.Result r = train(train, "--layers", "10,8,4");

        assertRefused(r, train + " line 150: label 4 in column 11 is outside 0..3");
    }

    @Test
    void testLabelBeyondTheTrainingClassesIsRefused() throws IOException {
        // The training labels are 0..3, so K = 4 and a test label 4 has no output to go to.
        List<String> lines = Files.readAllLines(SAMPLE_TEST);
        lines.set(19, changed(lines.get(19), "col10:4"));
        Path test = write("test.csv", lines, "\n");

        Cli.Result r = train(SAMPLE_TRAIN, "--test", test.toString());

        assertRefused(r, test + " line 20: label 4 in column 11 is outside 0..3");
    }

    /**
     * Without a header, a NaN or a typo in the first row must fail as a bad row, not be taken for
     * a header line (which would drop the row and name the features after its values).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"col4:NaN", "col0:abc", "col10:Inf"})
    void badFirstRowOfAHeaderlessFileIsNotTakenForAHeader(String change) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(SAMPLE_TRAIN).subList(1, 201));
        lines.set(0, changed(lines.get(0), change));
        Path train = write("train.csv", lines, "\n");

        Cli.Result r = train(train);

        String column = "column " + (Integer.parseInt(change.substring(3, change.indexOf(':'))) + 1) + " is '";
        assertRefused(r, train + " line 1: " + column);
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path train = write("train.csv", List.of(), "\n");

        Cli.Result r = train(train);

        assertRefused(r, train + ": the file is empty");
    }

    @Test
    void headerOnlyFileIsRefused() throws IOException {
        Path train = write("train.csv", List.of(Files.readAllLines(SAMPLE_TRAIN).get(0)), "\n");

        Cli.Result r = train(train);

        assertRefused(r, train + ": no data rows after the header");
    }

    @Test
    void missingTrainingPathIsRefused() throws IOException {
        Path missing = dir.resolve("no-such.csv");

        Cli.Result r = train(missing);

        assertRefused(r, missing + ": no such file or directory");
    }

    @Test
    void missingTestPathIsRefusedBeforeTraining() throws IOException {
        Path missing = dir.resolve("no-such-test.csv");

        Cli.Result r = train(SAMPLE_TRAIN, "--test", missing.toString());

        assertRefused(r, missing + ": no such file or directory");
        assertFalse(r.out().contains("epoch"), "training started before the test set was checked\n" + r);
    }

    @Test
    void unknownLabelColumnNameIsRefused() throws IOException {
        Cli.Result r = train(SAMPLE_TRAIN, "--label-col", "target");

        assertRefused(r, "--label-col 'target': no such column in the header of " + SAMPLE_TRAIN.toAbsolutePath());
    }

    @Test
    void labelColumnIndexOutOfRangeIsRefused() throws IOException {
        Cli.Result r = train(SAMPLE_TRAIN, "--label-col", "11");

        assertRefused(r, "--label-col 11: " + SAMPLE_TRAIN.toAbsolutePath() + " has columns 0..10");
    }

    @Test
    void headerFalseOnAFileWithAHeaderFailsAtLine1() throws IOException {
        Cli.Result r = train(SAMPLE_TRAIN, "--header", "false");

        assertRefused(r, SAMPLE_TRAIN.toAbsolutePath() + " line 1: column 1 is 'x0', not a number");
    }

    @Test
    void testSetOfAnotherWidthIsRefusedBeforeTraining() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(SAMPLE_TEST)) {
            lines.add(line.substring(line.indexOf(',') + 1)); // 9 features and the label
        }
        Path test = write("narrow.csv", lines, "\n");

        Cli.Result r = train(SAMPLE_TRAIN, "--test", test.toString());

        assertRefused(r, test + " line 1: expected 11 comma-separated values (10 features and a label), found 10");
        assertFalse(r.out().contains("epoch"), r.toString());
    }

    @Test
    void badRowDeepInsideASplitFileIsReportedAtItsLine() throws IOException {
        assertDeepRowLocated("\n");
    }

    @Test
    void badRowDeepInsideASplitCrlfFileIsReportedAtItsLine() throws IOException {
        assertDeepRowLocated("\r\n");
    }

    /**
     * A file read as several splits (maxPartitionBytes 2 KB on the session the command picks up),
     * with the bad row well past the first split: the line comes from the split's start and the
     * row's place in it, and must agree with a count of the file's own line terminators.
     */
    private void assertDeepRowLocated(String eol) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(SAMPLE_TRAIN));
        List<String> body = lines.subList(1, lines.size());
        lines.addAll(new ArrayList<>(body)); // 401 lines, about 35 KB
        int badIndex = 337; // 0-based
        lines.set(badIndex, changed(lines.get(badIndex), "col6:oops"));
        Path train = write("train.csv", lines, eol);
        byte[] bytes = Files.readAllBytes(train);
        int badOffset = new String(bytes, StandardCharsets.UTF_8).indexOf("oops");
        long expectedLine = 1 + countTerminatorsBefore(bytes, badOffset);
        assertEquals(badIndex + 1, expectedLine, "the test's own line count");

        org.apache.spark.sql.SparkSession spark = org.l1net.TestSpark.session();
        spark.conf().set("spark.sql.files.maxPartitionBytes", "2048");
        List<Long> splitStarts = spark.read().text(train.toString())
                .select("_metadata.file_block_start").distinct().as(org.apache.spark.sql.Encoders.LONG())
                .collectAsList();
        assertTrue(splitStarts.size() > 5, "the file should be read as many splits: " + splitStarts);
        assertTrue(splitStarts.stream().anyMatch(s -> s > 0 && s < badOffset - 4096),
                "the bad row should sit deep in a later split: " + splitStarts + ", row at byte " + badOffset);

        Cli.Result r = train(train);

        assertRefused(r, train + " line " + expectedLine + ": column 7 is 'oops', not a number");
    }

    @Test
    void directoryOfFilesTrainsOnAllRowsAndLocatesABadRowInItsOwnFile() throws IOException {
        List<String> lines = Files.readAllLines(SAMPLE_TRAIN);
        Path data = Files.createDirectories(dir.resolve("data"));
        write("data/part-0.csv", lines.subList(0, 101), "\n");
        List<String> second = new ArrayList<>(lines.subList(0, 1));
        second.addAll(lines.subList(101, 201));
        Path secondFile = write("data/part-1.csv", second, "\n");
        write("data/_SUCCESS", List.of(), "\n"); // as Hadoop and Spark jobs leave them: not data
        write("data/.part-1.csv.crc", List.of("\u0001binary"), "\n");
        Path out = dir.resolve("good");

        Cli.Result good = Cli.run("train", "--train", data.toString(), "--out", out.toString(), "--epochs", "1",
                "--master", "local[2]");

        assertEquals(0, good.status(), good.toString());
        assertTrue(good.out().contains(" 200 training rows "), "both files' rows, each file's header skipped\n" + good);

        second.set(6, changed(second.get(6), "col0:NaN"));
        write("data/part-1.csv", second, "\n");
        Path badOut = dir.resolve("bad");

        Cli.Result bad = Cli.run("train", "--train", data.toString(), "--out", badOut.toString(), "--epochs", "1",
                "--master", "local[2]");

        assertRefused(bad, badOut, secondFile + " line 7: column 1 is 'NaN'");
    }

    @Test
    void evaluateRefusesABadRowAndALabelOutsideTheModelsClasses() throws IOException {
        List<String> lines = Files.readAllLines(SAMPLE_TEST);
        lines.set(30, changed(lines.get(30), "col4:Infinity"));
        Path data = write("bad.csv", lines, "\n");

        Cli.Result r = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString(),
                "--master", "local[2]");

        assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
        assertTrue(r.err().contains(data + " line 31: column 5 is 'Infinity': NaN and infinite values are not allowed"),
                r.toString());

        lines = Files.readAllLines(SAMPLE_TEST);
        lines.set(8, changed(lines.get(8), "col10:7"));
        data = write("label.csv", lines, "\n");

        r = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--master", "local[2]");

        assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
        assertTrue(r.err().contains(data + " line 9: label 7 in column 11 is outside 0..3"), r.toString());
    }

    @Test
    void predictRefusesABadRowAndLeavesNoFileBehind() throws IOException {
        List<String> lines = Files.readAllLines(SAMPLE_TRAIN);
        lines.set(180, changed(lines.get(180), "col8:1.2.3"));
        Path data = write("bad.csv", lines, "\n");
        Path outDir = Files.createDirectories(dir.resolve("predictions"));
        Path out = outDir.resolve("p.csv");

        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", data.toString(),
                "--out", out.toString(), "--master", "local[2]");

        assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
        assertTrue(r.err().contains(data + " line 181: column 9 is '1.2.3', not a number"), r.toString());
        try (Stream<Path> left = Files.list(outDir)) {
            assertEquals(List.of(), left.toList(), "predict left files behind");
        }
    }

    @Test
    void predictRefusesDataOfAnotherWidth() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(SAMPLE_TRAIN)) {
            lines.add(line.substring(0, line.indexOf(',')) + "," + line); // 12 columns for a 10-input model
        }
        Path data = write("wide.csv", lines, "\n");
        Path out = dir.resolve("p.csv");

        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", data.toString(),
                "--out", out.toString(), "--master", "local[2]");

        assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
        assertTrue(r.err().contains(data + " line 1: expected 11 comma-separated values"), r.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownClassNameInACsvTestFileIsABadRowAtItsLine() throws IOException {
        Path train = write("train.csv", named(Files.readAllLines(SAMPLE_TRAIN)), "\n");
        List<String> lines = named(Files.readAllLines(SAMPLE_TEST));
        lines.set(19, changed(lines.get(19), "col10:up"));
        Path test = write("test.csv", lines, "\n");
        String reason = test + " line 20: label 'up' in column 11 is not one of the 4 classes [east, north, south, west]";

        Cli.Result r = train(train, "--test", test.toString());

        assertRefused(r, reason);

        Cli.Result skipped = train(train, "--test", test.toString(), "--on-bad-rows", "skip");

        assertEquals(0, skipped.status(), skipped.toString());
        assertTrue(skipped.out().contains(", 39 test rows"), skipped.toString());
        assertTrue(skipped.out().contains("test data: skipped 1 bad row (the first: " + reason + ")"), skipped.toString());
    }

    @Test
    void csvLabelsThatMixNamesAndNumbersAreRefusedWithOneOfEachOrSkipped() throws IOException {
        List<String> lines = named(Files.readAllLines(SAMPLE_TRAIN));
        lines.set(149, changed(lines.get(149), "col10:3"));
        Path train = write("train.csv", lines, "\n");
        String message = train + " line 150: label '3' in column 11 is a number, but the first label, 'north' on line 2 of "
                + train + ", is a class name; CSV labels are all class indices or all class names";

        assertRefused(train(train), message);

        Cli.Result skipped = train(train, "--on-bad-rows", "skip");
        assertEquals(0, skipped.status(), skipped.toString());
        // Skipped by the pass that collects the names, the number is then read against them.
        assertTrue(skipped.out().contains("skipped 1 bad row (the first: " + train + " line 150: label '3' in column 11"
                + " is not one of the 4 classes [east, north, south, west])"), skipped.toString());
    }

    @Test
    void aModelOfClassIndicesRefusesCsvWhoseLabelsAreNames() throws IOException {
        Path data = write("named.csv", named(Files.readAllLines(SAMPLE_TEST)), "\n");

        Cli.Result r = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--master", "local[2]");

        assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
        String first = NAMES.get(Integer.parseInt(Files.readAllLines(SAMPLE_TEST).get(1).replaceFirst(".*,", "")));
        assertTrue(r.err().contains("label '" + first + "' on line 2 of " + data
                + " is a class name, but the model's classes are class indices"), r.toString());
    }

    /** Class c of the sample data as a name; sorted they are east, north, south, west, not in class order. */
    private static final List<String> NAMES = List.of("north", "east", "south", "west");

    /** The sample CSV lines with each label c (after the header) replaced by the c-th name. */
    private static List<String> named(List<String> lines) {
        List<String> out = new ArrayList<>(lines.subList(0, 1));
        for (String line : lines.subList(1, lines.size())) {
            out.add(changed(line, "col10:" + NAMES.get(Integer.parseInt(line.substring(line.lastIndexOf(',') + 1)))));
        }
        return out;
    }

    /** {@code train --train data --out DIR/run --epochs 1 --master local[2]} and the given options. */
    private Cli.Result train(Path data, String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--out", runFolder().toString(),
                "--epochs", "1", "--master", "local[2]"));
        args.addAll(List.of(options));
        return Cli.run(args.toArray(String[]::new));
    }

    private Path runFolder() {
        return dir.resolve("run");
    }

    /** Exit status 2, the message on stderr, and a run folder that was never made or is empty. */
    private void assertRefused(Cli.Result r, String message) throws IOException {
        assertRefused(r, runFolder(), message);
    }

    /** Exit status 2, the message on stderr, and an --out folder that was never made or is empty. */
    static void assertRefused(Cli.Result r, Path out, String message) throws IOException {
        assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
        assertTrue(r.err().contains(message), "expected the message\n  " + message + "\n" + r);
        assertTrue(r.err().startsWith("l1net "), r.toString());
        if (Files.exists(out)) {
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of(), files.toList(), "files were written to --out " + out);
            }
        }
    }

    /**
     * Applies a change to one CSV line: "drop-last" removes the last value, "append:v" adds one,
     * "colN:v" sets the 0-based column N to v.
     */
    static String changed(String line, String change) {
        List<String> fields = new ArrayList<>(List.of(line.split(",", -1)));
        if (change.equals("drop-last")) {
            fields.remove(fields.size() - 1);
        } else if (change.startsWith("append:")) {
            fields.add(change.substring("append:".length()));
        } else {
            int colon = change.indexOf(':');
            fields.set(Integer.parseInt(change.substring(3, colon)), change.substring(colon + 1));
        }
        return String.join(",", fields);
    }

    private Path write(String name, List<String> lines, String eol) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append(eol);
        }
        Path file = dir.resolve(name);
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return file;
    }

    /** Lines that end before {@code offset}: \n, \r\n and a lone \r each end one. */
    static long countTerminatorsBefore(byte[] bytes, int offset) {
        long n = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
                n++;
            }
        }
        return n;
    }
}
