package org.l1net.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.TestSpark;

/**
 * The block pipeline behind every format, on real Spark: the same rows give the same blocks whatever the
 * format; the standardization statistics equal a plain loop's; the validation split does not depend on
 * the partitioning; skipped rows are counted.
 */
class DatasetsTest {
    @TempDir
    static Path dir;
    static List<double[]> rows;
    static Map<InputFormat, String> paths = new TreeMap<>();

    @BeforeAll
    static void writeTables() throws IOException {
        SparkSession spark = TestSpark.session();
        rows = TestTables.rows(500, 11);
        TestTables.writeCsv(rows, dir.resolve("t.csv"));
        TestTables.writeLibsvm(rows, dir.resolve("t.libsvm"));
        TestTables.writeWithSpark(spark, rows, "parquet", dir.resolve("t.parquet"));
        TestTables.writeWithSpark(spark, rows, "json", dir.resolve("t.json"));
        TestTables.writeWithSpark(spark, rows, "orc", dir.resolve("parts-orc")); // no extension: from the part files
        TestTables.writeVectors(spark, rows, dir.resolve("vectors.parquet"));
        TestTables.writeArrays(spark, rows, dir.resolve("arrays.parquet"));
        TestTables.writeStructs(spark, rows, dir.resolve("structs.parquet"));
        paths.put(InputFormat.CSV, dir.resolve("t.csv").toString());
        paths.put(InputFormat.LIBSVM, dir.resolve("t.libsvm").toString());
        paths.put(InputFormat.PARQUET, dir.resolve("t.parquet").toString());
        paths.put(InputFormat.JSON, dir.resolve("t.json").toString());
        paths.put(InputFormat.ORC, dir.resolve("parts-orc").toString());
    }

    private static ReadOptions options(int partitions) {
        return new ReadOptions(HeaderMode.AUTO, "last", partitions, 64);
    }

    private static TrainingData read(String path, ReadOptions options, boolean standardize, double fraction) {
        SparkSession spark = TestSpark.session();
        TableReader reader = Datasets.reader(spark, path, options);
        TableSpec spec = reader.inspect(spark, path, options);
        return Datasets.readTraining(spark, reader, spec, options, 0, standardize, fraction, 7);
    }

    /** Every block's features (as raw float bits) and labels, partition by partition, in order. */
    private static List<String> content(LabeledBlocks blocks) {
        List<String> out = new ArrayList<>();
        for (List<DataBlock> partition : blocks.blocks().glom().collect()) {
            StringBuilder sb = new StringBuilder();
            for (DataBlock b : partition) {
                for (float v : b.x()) {
                    sb.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
                }
                sb.append(java.util.Arrays.toString(b.labels())).append('|');
            }
            out.add(sb.toString());
        }
        return out;
    }

    /**
     * A gzipped CSV reads as the CSV does: the driver's look at its first lines (header, label kind)
     * decompresses as Spark's reader does, so the header is found and the blocks are the same. A CSV of
     * class names is the sharper case: read compressed, its first label must still be seen as a name.
     */
    @Test
    void gzippedCsvGivesTheBlocksOfTheCsv() throws IOException {
        for (String name : new String[] {"t.csv", "names.csv"}) {
            Path plain = dir.resolve(name);
            if (!Files.exists(plain)) {
                String text = Files.readString(dir.resolve("t.csv"));
                StringBuilder named = new StringBuilder();
                for (String line : text.split("\n")) {
                    int comma = line.lastIndexOf(',');
                    String label = line.substring(comma + 1);
                    named.append(line, 0, comma + 1).append(label.matches("\\d+") ? "class-" + label : label).append('\n');
                }
                Files.writeString(plain, named);
            }
            Path gz = dir.resolve(name + ".gz");
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write(Files.readAllBytes(plain));
            }
            TrainingData expected = read(plain.toString(), options(3), false, 0);
            TrainingData got = read(gz.toString(), options(3), false, 0);
            try {
                assertEquals(expected.train().rows(), got.train().rows(), name);
                assertEquals(expected.train().spec().hasHeader(), got.train().spec().hasHeader(), name);
                assertEquals(expected.train().spec().classNames(), got.train().spec().classNames(), name);
                assertEquals(content(expected.train()), content(got.train()), name);
            } finally {
                expected.release();
                got.release();
            }
        }
    }

    @Test
    void everyFormatGivesTheSameBlocks() {
        SparkSession spark = TestSpark.session();
        List<String> reference = null;
        for (Map.Entry<InputFormat, String> e : paths.entrySet()) {
            assertEquals(e.getKey(), Datasets.formatOf(spark, e.getValue(), options(3)), e.getValue());
            TrainingData data = read(e.getValue(), options(3), false, 0);
            try {
                assertEquals(500, data.train().rows(), e.getKey().toString());
                assertEquals(TestTables.FEATURES, data.train().spec().features(), e.getKey().toString());
                assertEquals(TestTables.CLASSES, data.classesSeen());
                assertNull(data.train().spec().classNames(), e.getKey() + ": labels 0, 1, 2 are class indices");
                List<String> content = content(data.train());
                assertEquals(3, content.size());
                if (reference == null) {
                    reference = content;
                } else {
                    assertEquals(reference, content, e.getKey() + " gives other blocks than the first format");
                }
            } finally {
                data.release();
            }
        }
        // the same features from a vector column, an array column (by --features) and a vector's struct form
        Map<String, ReadOptions> columns = new java.util.LinkedHashMap<>();
        columns.put("vectors.parquet", options(3));
        columns.put("arrays.parquet", new ReadOptions(HeaderMode.AUTO, "last", 3, 64, null, List.of("pixels"), 0,
                OnBadRows.FAIL));
        columns.put("structs.parquet", options(3));
        for (Map.Entry<String, ReadOptions> e : columns.entrySet()) {
            TrainingData data = read(dir.resolve(e.getKey()).toString(), e.getValue(), false, 0);
            try {
                assertEquals(reference, content(data.train()), e.getKey() + " gives other blocks than CSV");
                assertEquals(TestTables.FEATURES, data.train().spec().features());
            } finally {
                data.release();
            }
        }
        assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "a5"),
                Datasets.reader(InputFormat.PARQUET).inspect(spark, paths.get(InputFormat.PARQUET), options(3)).featureNames());
    }

    @Test
    void standardizationStatisticsEqualAPlainLoop() {
        // A constant feature: zero variance is only centered.
        List<double[]> constant = new ArrayList<>();
        for (double[] row : rows) {
            double[] copy = row.clone();
            copy[2] = 3.25;
            constant.add(copy);
        }
        Path file = dir.resolve("constant.csv");
        try {
            TestTables.writeCsv(constant, file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TrainingData data = read(file.toString(), options(3), true, 0);
        try {
            Standardizer s = data.standardizer();
            for (int j = 0; j < TestTables.FEATURES; j++) {
                double sum = 0;
                for (double[] row : constant) {
                    sum += row[j];
                }
                double mean = sum / constant.size();
                double squares = 0;
                for (double[] row : constant) {
                    squares += (row[j] - mean) * (row[j] - mean);
                }
                double std = Math.sqrt(squares / constant.size());
                assertEquals(mean, s.mean()[j], 1e-14 * Math.max(1, Math.abs(mean)), "mean of feature " + j);
                assertEquals(std, s.std()[j], 1e-13 * Math.max(1, std), "std of feature " + j);
            }
            assertEquals(0.0, s.std()[2]);
            assertEquals(3.25, s.mean()[2]);
            // the blocks hold the standardized values: feature 2 is 0 everywhere, the others have mean ~0
            double[] sums = new double[TestTables.FEATURES];
            for (DataBlock b : data.train().blocks().collect()) {
                for (int r = 0; r < b.rows(); r++) {
                    assertEquals(0.0f, b.x()[r * TestTables.FEATURES + 2]);
                    for (int j = 0; j < TestTables.FEATURES; j++) {
                        sums[j] += b.x()[r * TestTables.FEATURES + j];
                    }
                }
            }
            for (int j = 0; j < TestTables.FEATURES; j++) {
                assertEquals(0.0, sums[j] / constant.size(), 1e-6, "standardized mean of feature " + j);
            }
        } finally {
            data.release();
        }
    }

    /** The rows of a set as sorted text, to compare sets whatever their order. */
    private static List<String> rowSet(LabeledBlocks blocks) {
        List<String> out = new ArrayList<>();
        for (DataBlock b : blocks.blocks().collect()) {
            for (int r = 0; r < b.rows(); r++) {
                float[] x = java.util.Arrays.copyOfRange(b.x(), r * b.features(), (r + 1) * b.features());
                out.add(java.util.Arrays.toString(x) + b.labels()[r]);
            }
        }
        out.sort(String::compareTo);
        return out;
    }

    @Test
    void validationSplitIsSeededAndIndependentOfThePartitioning() {
        String path = paths.get(InputFormat.PARQUET);
        TrainingData two = read(path, options(2), false, 0.25);
        TrainingData five = read(path, options(5), false, 0.25);
        try {
            assertEquals(500, two.train().rows() + two.validation().rows());
            assertTrue(two.validation().rows() > 90 && two.validation().rows() < 160, "about a quarter: "
                    + two.validation().rows());
            assertEquals(rowSet(two.validation()), rowSet(five.validation()));
            assertEquals(rowSet(two.train()), rowSet(five.train()));
            List<String> all = new ArrayList<>(rowSet(two.train()));
            all.addAll(rowSet(two.validation()));
            all.sort(String::compareTo);
            TrainingData whole = read(path, options(2), false, 0);
            try {
                assertEquals(rowSet(whole.train()), all, "the two sets partition the rows");
            } finally {
                whole.release();
            }
            assertTrue(two.train().derivation().contains("validation-fraction=0.25"));
        } finally {
            two.release();
            five.release();
        }
        TrainingData otherSeed = null;
        SparkSession spark = TestSpark.session();
        TableReader reader = Datasets.reader(spark, path, options(2));
        TrainingData again = Datasets.readTraining(spark, reader, reader.inspect(spark, path, options(2)), options(2), 0,
                false, 0.25, 7);
        try {
            otherSeed = Datasets.readTraining(spark, reader, reader.inspect(spark, path, options(2)), options(2), 0,
                    false, 0.25, 8);
            assertNotEquals(rowSet(again.validation()), rowSet(otherSeed.validation()), "another seed, another split");
        } finally {
            again.release();
            if (otherSeed != null) {
                otherSeed.release();
            }
        }
    }

    @Test
    void skippedRowsAreCountedAndTheFirstIsNamed() throws IOException {
        Path file = dir.resolve("bad.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("t.csv")));
        lines.set(5, lines.get(5).replaceFirst("^[^,]*", "abc"));
        lines.set(100, lines.get(100).replaceFirst("^[^,]*", "NaN"));
        lines.set(300, lines.get(300) + ",1");
        Files.write(file, lines);
        ReadOptions skip = new ReadOptions(HeaderMode.AUTO, "last", 3, 64, null, null, 0, OnBadRows.SKIP);
        TrainingData data = read(file.toString(), skip, false, 0);
        try {
            assertEquals(497, data.train().rows());
            assertEquals(3, data.train().skippedRows());
            assertEquals(file + " line 6: column 1 is 'abc', not a number", data.train().firstSkipped());
        } finally {
            data.release();
        }
        InputException failed = assertThrows(InputException.class, () -> read(file.toString(), options(3), false, 0));
        assertEquals(file + " line 6: column 1 is 'abc', not a number", failed.getMessage());
    }

    @Test
    void badParquetRowsNameTheFileAndTheRow() {
        SparkSession spark = TestSpark.session();
        List<double[]> bad = TestTables.rows(40, 3);
        bad.get(7)[1] = Double.NaN;
        bad.get(20)[4] = Double.POSITIVE_INFINITY;
        Path folder = dir.resolve("bad.parquet");
        TestTables.writeWithSpark(spark, bad, "parquet", folder);
        InputException e = assertThrows(InputException.class, () -> read(folder.toString(), options(2), false, 0));
        assertTrue(e.getMessage().startsWith(folder.toString()) && e.getMessage().contains(".parquet: row {a0="),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("is NaN: NaN and infinite values are not allowed")
                || e.getMessage().endsWith("is Infinity: NaN and infinite values are not allowed"), e.getMessage());
        ReadOptions skip = new ReadOptions(HeaderMode.AUTO, "last", 2, 64, null, null, 0, OnBadRows.SKIP);
        TrainingData data = read(folder.toString(), skip, false, 0);
        try {
            assertEquals(38, data.train().rows());
            assertEquals(2, data.train().skippedRows());
        } finally {
            data.release();
        }
    }

    @Test
    void optionsAFormatCannotUseAreRefused() {
        SparkSession spark = TestSpark.session();
        String csv = paths.get(InputFormat.CSV);
        IllegalArgumentException features = assertThrows(IllegalArgumentException.class, () -> Datasets.reader(spark, csv,
                new ReadOptions(HeaderMode.AUTO, "last", 2, 0, null, List.of("a0"), 0, null)));
        assertEquals("--features chooses columns of Parquet, JSON or ORC data; " + csv + " is read as csv, whose "
                + "features are every column but the label", features.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> Datasets.reader(spark, csv,
                new ReadOptions(HeaderMode.AUTO, "last", 2, 0, null, null, 6, null)));
        assertTrue(count.getMessage().startsWith("--num-features is for LIBSVM data"), count.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> read(
                paths.get(InputFormat.PARQUET), new ReadOptions(HeaderMode.AUTO, "last", 2, 0, null, List.of("a0", "zz"), 0,
                        null), false, 0));
        assertTrue(missing.getMessage().startsWith("--features: no column 'zz' in " + paths.get(InputFormat.PARQUET)),
                missing.getMessage());
    }

    @Test
    void aLineThatIsNotJsonIsABadRowOfItsFile() throws IOException {
        Path folder = dir.resolve("broken.json");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("part-0.json"), "{\"a\": 1.5, \"b\": 2.0, \"label\": 1}\n"
                + "{\"a\": 0.5, \"b\": -1.0, \"label\": 0}\n");
        Files.writeString(folder.resolve("part-1.json"), "{\"a\": 1.0, \"b\": 2.0, \"label\": 1}\n"
                + "{\"a\": 1.0, \"b\": oops}\n");
        InputException e = assertThrows(InputException.class, () -> read(folder.toString(), options(2), false, 0));
        assertTrue(e.getMessage().startsWith(folder.resolve("part-1.json") + ": row {a=null, b=null, label=null}: "
                + "not a valid record: {\"a\": 1.0, \"b\": oops}"), e.getMessage());
        ReadOptions skip = new ReadOptions(HeaderMode.AUTO, "last", 2, 0, null, null, 0, OnBadRows.SKIP);
        TrainingData data = read(folder.toString(), skip, false, 0);
        try {
            assertEquals(3, data.train().rows());
            assertEquals(1, data.train().skippedRows());
            assertEquals(List.of("a", "b"), data.train().spec().featureNames());
        } finally {
            data.release();
        }
    }

    @Test
    void stringLabelsBecomeSortedClassIndices() {
        SparkSession spark = TestSpark.session();
        List<org.apache.spark.sql.Row> named = new ArrayList<>();
        String[] names = {"emu", "cat", "dog"};
        for (double[] row : rows.subList(0, 60)) {
            named.add(org.apache.spark.sql.RowFactory.create(row[0], row[1], names[(int) row[TestTables.FEATURES]]));
        }
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("x", "double").add("y", "double").add("species", "string");
        Path folder = dir.resolve("named.parquet");
        spark.createDataFrame(named, schema).write().parquet(folder.toString());
        ReadOptions byName = new ReadOptions(HeaderMode.AUTO, "species", 2, 0);
        TrainingData data = read(folder.toString(), byName, false, 0);
        try {
            assertEquals(List.of("cat", "dog", "emu"), data.train().spec().classNames());
            assertEquals(3, data.classesSeen());
            int[] counts = new int[3];
            for (DataBlock b : data.train().blocks().collect()) {
                for (int label : b.labels()) {
                    counts[label]++;
                }
            }
            int[] expected = new int[3];
            for (double[] row : rows.subList(0, 60)) {
                expected[List.of("cat", "dog", "emu").indexOf(names[(int) row[TestTables.FEATURES]])]++;
            }
            assertArrayEquals(expected, counts);
        } finally {
            data.release();
        }
        assertNull(read(paths.get(InputFormat.JSON), options(2), false, 0).train().spec().classNames());
    }

    @Test
    void csvStringLabelsBecomeTheSortedClassIndicesParquetGives() throws IOException {
        SparkSession spark = TestSpark.session();
        List<String> names = List.of("emu", "cat", "dog"); // label c written as the c-th: sorted, cat is class 0
        Path csv = dir.resolve("named.csv");
        TestTables.writeCsv(rows, csv, names);
        Path parquet = dir.resolve("named-labels.parquet");
        TestTables.writeWithSpark(spark, rows, "parquet", parquet, names);
        TrainingData fromCsv = read(csv.toString(), options(3), false, 0);
        TrainingData fromParquet = read(parquet.toString(), options(3), false, 0);
        try {
            assertEquals(List.of("cat", "dog", "emu"), fromCsv.train().spec().classNames());
            assertEquals(fromParquet.train().spec().classNames(), fromCsv.train().spec().classNames());
            assertEquals(3, fromCsv.classesSeen());
            assertEquals(content(fromParquet.train()), content(fromCsv.train()), "CSV names give Parquet's blocks");
            int[] counts = new int[3];
            for (DataBlock b : fromCsv.train().blocks().collect()) {
                for (int label : b.labels()) {
                    counts[label]++;
                }
            }
            int[] expected = new int[3];
            for (double[] row : rows) {
                expected[List.of("cat", "dog", "emu").indexOf(names.get((int) row[TestTables.FEATURES]))]++;
            }
            assertArrayEquals(expected, counts);
        } finally {
            fromCsv.release();
            fromParquet.release();
        }
    }

    /**
     * A label of the other kind than the first stops the read with a message naming both lines; with
     * --on-bad-rows skip it is a bad row like text in any number column: left out, counted, and the
     * first one reported with the same message.
     */
    @Test
    void csvLabelsThatMixNumbersAndNamesFailOrAreSkipped() throws IOException {
        ReadOptions skip = new ReadOptions(HeaderMode.AUTO, "last", 3, 64, null, null, 0, OnBadRows.SKIP);
        List<String> numeric = Files.readAllLines(dir.resolve("t.csv"));
        numeric.set(40, numeric.get(40).replaceFirst("[^,]*$", "cat"));
        Path numbersFirst = dir.resolve("numbers-then-a-name.csv");
        Files.write(numbersFirst, numeric);
        String firstNumber = numeric.get(1).substring(numeric.get(1).lastIndexOf(',') + 1);
        String message = numbersFirst + " line 41: label 'cat' in column 7 is a class name, but the first label, "
                + firstNumber + " on line 2 of " + numbersFirst + ", is a number (a class index); "
                + "CSV labels are all class indices or all class names";
        InputException failed = assertThrows(InputException.class, () -> read(numbersFirst.toString(), options(3), false, 0));
        assertEquals(message, failed.getMessage());
        assertSkippedOne(numbersFirst, skip, message, null);

        List<String> names = List.of("emu", "cat", "dog");
        Path named = dir.resolve("names-then-a-number.csv");
        TestTables.writeCsv(rows, named, names);
        List<String> lines = Files.readAllLines(named);
        lines.set(70, lines.get(70).replaceFirst("[^,]*$", "2"));
        Files.write(named, lines);
        String firstName = names.get((int) rows.get(0)[TestTables.FEATURES]);
        String namedMessage = named + " line 71: label '2' in column 7 is a number, but the first label, '" + firstName
                + "' on line 2 of " + named + ", is a class name; CSV labels are all class indices or all class names";
        failed = assertThrows(InputException.class, () -> read(named.toString(), options(3), false, 0));
        assertEquals(namedMessage, failed.getMessage());
        // Skipped by the pass that collects the names, the number is then read against them.
        assertSkippedOne(named, skip, named + " line 71: label '2' in column 7 is not one of the 3 classes [cat, dog, emu]",
                List.of("cat", "dog", "emu"));
    }

    private static void assertSkippedOne(Path file, ReadOptions skip, String message, List<String> classNames) {
        TrainingData data = read(file.toString(), skip, false, 0);
        try {
            assertEquals(499, data.train().rows(), file.toString());
            assertEquals(1, data.train().skippedRows(), file.toString());
            assertEquals(message, data.train().firstSkipped());
            assertEquals(classNames, data.train().spec().classNames(), "the skipped row brings no class");
        } finally {
            data.release();
        }
    }

    @Test
    void badRowsOfCsvClassNamesAreSkippedAndBringNoClass() throws IOException {
        Path named = dir.resolve("names-with-bad-rows.csv");
        TestTables.writeCsv(rows, named, List.of("emu", "cat", "dog"));
        List<String> lines = Files.readAllLines(named);
        lines.set(10, lines.get(10).replaceFirst("[^,]*$", ""));
        lines.set(20, lines.get(20).replaceFirst("^[^,]*", "abc").replaceFirst("[^,]*$", "zebra"));
        Files.write(named, lines);
        InputException failed = assertThrows(InputException.class, () -> read(named.toString(), options(3), false, 0));
        assertEquals(named + " line 11: column 7 is empty", failed.getMessage(),
                "the pass that collects the names stops at a bad row as the read pass does");
        ReadOptions skip = new ReadOptions(HeaderMode.AUTO, "last", 3, 64, null, null, 0, OnBadRows.SKIP);
        TrainingData data = read(named.toString(), skip, false, 0);
        try {
            assertEquals(List.of("cat", "dog", "emu"), data.train().spec().classNames(), "no class 'zebra'");
            assertEquals(498, data.train().rows());
            assertEquals(2, data.train().skippedRows());
            assertEquals(named + " line 11: column 7 is empty", data.train().firstSkipped());
        } finally {
            data.release();
        }
    }

    @Test
    void aBadFirstRowDoesNotDecideTheKindOfCsvLabels() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("t.csv")));
        lines.set(1, lines.get(1).replaceFirst("^[^,]*", "abc").replaceFirst("[^,]*$", "cat"));
        Path file = dir.resolve("bad-first-row.csv");
        Files.write(file, lines);
        InputException failed = assertThrows(InputException.class, () -> read(file.toString(), options(3), false, 0));
        assertEquals(file + " line 2: column 1 is 'abc', not a number", failed.getMessage());
        ReadOptions skip = new ReadOptions(HeaderMode.AUTO, "last", 3, 64, null, null, 0, OnBadRows.SKIP);
        TrainingData data = read(file.toString(), skip, false, 0);
        try {
            assertNull(data.train().spec().classNames(), "the first good row's label, a number, decides");
            assertEquals(499, data.train().rows());
            assertEquals(1, data.train().skippedRows());
        } finally {
            data.release();
        }
    }
}
