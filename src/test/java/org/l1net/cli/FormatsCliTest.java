package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.TestSpark;
import org.l1net.data.TestTables;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;

/**
 * train, evaluate and predict on every input format through the real command line: the same rows train
 * to the same weights bit for bit from CSV, LIBSVM, Parquet, JSON and ORC, with labels as class indices or
 * as class names; class names go in and come out; predict's Parquet and L1NetModel.transform give
 * predict's figures.
 */
class FormatsCliTest {
    @TempDir
    static Path dir;
    static List<double[]> rows;
    static final Map<String, List<String>> TABLES = new LinkedHashMap<>(); // name -> extra train options
    /** Class c of the test table as a name; sorted in class order, so the weights match the indices'. */
    static final List<String> NAMES = List.of("Iris setosa", "Iris versicolor", "Iris virginica");

    @BeforeAll
    static void writeTables() throws IOException {
        SparkSession spark = TestSpark.session();
        rows = TestTables.rows(300, 5);
        TestTables.writeCsv(rows, dir.resolve("t.csv"));
        TestTables.writeLibsvm(rows, dir.resolve("t.libsvm"));
        TestTables.writeWithSpark(spark, rows, "parquet", dir.resolve("t.parquet"));
        TestTables.writeWithSpark(spark, rows, "json", dir.resolve("t.json"));
        TestTables.writeWithSpark(spark, rows, "orc", dir.resolve("t.orc"));
        TestTables.writeVectors(spark, rows, dir.resolve("vectors.parquet"));
        TestTables.writeCsv(rows, dir.resolve("names.csv"), NAMES);
        TestTables.writeWithSpark(spark, rows, "parquet", dir.resolve("names.parquet"), NAMES);
        TABLES.put("t.csv", List.of());
        TABLES.put("t.libsvm", List.of());
        TABLES.put("t.parquet", List.of());
        TABLES.put("t.json", List.of());
        TABLES.put("t.orc", List.of());
        TABLES.put("names.csv", List.of());
        TABLES.put("names.parquet", List.of());
        // vector, array and struct-vector columns: DatasetsTest shows they pack into the same blocks
    }

    private static Cli.Result train(String table, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--train", dir.resolve(table).toString(), "--out",
                out.toString(), "--epochs", "8", "--hidden", "5", "--partitions", "3", "--master", "local[2]"));
        args.addAll(TABLES.getOrDefault(table, List.of()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    private static long[] bits(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Double.doubleToRawLongBits(values[i]);
        }
        return out;
    }

    @Test
    void theSameRowsTrainToTheSameWeightsFromEveryFormat() throws IOException {
        long[] reference = null;
        Map<String, String> summaries = new LinkedHashMap<>();
        for (String table : TABLES.keySet()) {
            Path out = dir.resolve("run-" + table);
            Cli.Result r = train(table, out, "--standardize");
            assertEquals(0, r.status(), table + ": " + r);
            assertTrue(r.out().contains("300 training rows in 3 partitions"), r.toString());
            assertTrue(r.out().contains("gradient sums: treeAggregate depth 1 (auto), every partition's sums straight to the driver"),
                    r.toString());
            L1NetModel model = ModelFormat.read(out.resolve("model.json"));
            assertEquals(TestTables.FEATURES, model.standardizer().features());
            assertEquals(table.startsWith("names.") ? NAMES : null, model.classNames(), table);
            long[] weights = bits(model.parameters());
            summaries.put(table, r.out().lines().filter(l -> l.startsWith("done:")).findFirst().orElse(""));
            if (reference == null) {
                reference = weights;
            } else {
                assertArrayEquals(reference, weights, table + " trains to other weights than t.csv: " + summaries);
            }
        }
    }

    @Test
    void classNamesGoInAndComeOutOfPredictAndTransform() throws IOException {
        SparkSession spark = TestSpark.session();
        String[] names = {"setosa", "versi,color", "virginica"}; // a comma: CSV output must quote it
        List<Row> named = new ArrayList<>();
        for (double[] row : rows) {
            Object[] values = new Object[TestTables.FEATURES + 1];
            for (int j = 0; j < TestTables.FEATURES; j++) {
                values[j] = row[j];
            }
            values[TestTables.FEATURES] = names[(int) row[TestTables.FEATURES]];
            named.add(RowFactory.create(values));
        }
        StructType schema = new StructType();
        for (int j = 0; j < TestTables.FEATURES; j++) {
            schema = schema.add("a" + j, DataTypes.DoubleType);
        }
        Path data = dir.resolve("named.parquet");
        spark.createDataFrame(named, schema.add("species", DataTypes.StringType)).write().parquet(data.toString());
        Path run = dir.resolve("run-named");
        Cli.Result trained = Cli.run("train", "--train", data.toString(), "--label-col", "species", "--out", run.toString(),
                "--epochs", "30", "--lr", "0.05", "--standardize", "--validation-fraction", "0.2", "--master", "local[2]");
        assertEquals(0, trained.status(), trained.toString());
        assertTrue(trained.out().matches("(?s).*l1net [^:]*: 6-8-3 network.* (2[0-9]{2}) training rows in \\d+ partitions, "
                + "([0-9]{2}) validation rows\n.*"), trained.toString());
        assertTrue(Files.readString(run.resolve("model.json")).contains("\"formatVersion\" : 3,"));
        L1NetModel model = ModelFormat.read(run.resolve("model.json"));
        assertEquals(List.of(names), model.classNames());

        Path csv = dir.resolve("named-predictions.csv");
        Cli.Result predicted = Cli.run("predict", "--model", run.resolve("model.json").toString(), "--data", data.toString(),
                "--out", csv.toString(), "--master", "local[2]");
        assertEquals(0, predicted.status(), predicted.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("prediction,prob_setosa,\"prob_versi,color\",prob_virginica", lines.get(0));
        assertEquals(301, lines.size());

        Path parquet = dir.resolve("named-predictions.parquet");
        Cli.Result predictedParquet = Cli.run("predict", "--model", run.resolve("model.json").toString(), "--data",
                data.toString(), "--out", parquet.toString(), "--master", "local[2]");
        assertEquals(0, predictedParquet.status(), predictedParquet.toString());
        assertTrue(predictedParquet.out().contains("wrote 300 predictions to " + parquet), predictedParquet.toString());

        spark = TestSpark.session();
        // predict's CSV rows, as "name|p0|p1|p2"
        List<String> fromCsv = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String name = line.startsWith("\"") ? line.substring(1, line.indexOf('"', 1)) : line.substring(0, line.indexOf(','));
            String[] p = line.substring(line.startsWith("\"") ? line.indexOf('"', 1) + 2 : line.indexOf(',') + 1).split(",");
            fromCsv.add(name + "|" + Double.parseDouble(p[0]) + "|" + Double.parseDouble(p[1]) + "|" + Double.parseDouble(p[2]));
        }
        List<String> fromParquet = new ArrayList<>();
        for (Row r : spark.read().parquet(parquet.toString()).collectAsList()) {
            List<Double> p = r.getList(1);
            fromParquet.add(r.getString(0) + "|" + p.get(0) + "|" + p.get(1) + "|" + p.get(2));
        }
        List<String> fromTransform = new ArrayList<>();
        Dataset<Row> transformed = model.transform(spark.read().parquet(data.toString()));
        assertEquals(schema.size() + 3, transformed.schema().size());
        for (Row r : transformed.collectAsList()) {
            List<Double> p = r.getList(r.fieldIndex("probability"));
            fromTransform.add(model.className((int) r.getDouble(r.fieldIndex("prediction"))) + "|" + p.get(0) + "|"
                    + p.get(1) + "|" + p.get(2));
        }
        assertEquals(fromCsv, fromTransform, "transform gives predict's rows, in input order");
        List<String> sortedCsv = new ArrayList<>(fromCsv);
        sortedCsv.sort(String::compareTo);
        fromParquet.sort(String::compareTo);
        assertEquals(sortedCsv, fromParquet, "predict's Parquet holds its CSV's rows");

        Cli.Result evaluated = Cli.run("evaluate", "--model", run.resolve("model.json").toString(), "--data", data.toString(),
                "--master", "local[2]");
        assertEquals(0, evaluated.status(), evaluated.toString());
        // predict's rows follow the order Spark reads the files in, which need not be the order written
        List<Row> labels = TestSpark.session().read().parquet(data.toString()).select("species").collectAsList();
        long correct = 0;
        for (int i = 0; i < rows.size(); i++) {
            correct += fromCsv.get(i).startsWith(labels.get(i).getString(0) + "|") ? 1 : 0;
        }
        assertTrue(evaluated.out().startsWith(String.format(java.util.Locale.ROOT, "rows 300  accuracy %.4f",
                correct / 300.0)), evaluated.toString());
        assertTrue(evaluated.out().lines().anyMatch(l -> l.matches(" +true setosa +\\d+ +\\d+ +\\d+")), evaluated.toString());
        assertTrue(evaluated.out().lines().anyMatch(l -> l.matches(" +pred setosa +pred versi,color +pred virginica")),
                evaluated.toString());
    }

    @Test
    void csvClassNamesComeOutOfPredictAndEvaluateAsParquetsDo() throws IOException {
        Path run = dir.resolve("run-names-csv");
        Cli.Result trained = train("names.csv", run, "--test", dir.resolve("names.parquet").toString());
        assertEquals(0, trained.status(), trained.toString());
        assertTrue(trained.out().contains("300 training rows in 3 partitions, 300 test rows"), trained.toString());
        String model = run.resolve("model.json").toString();
        assertEquals(NAMES, ModelFormat.read(run.resolve("model.json")).classNames());

        Map<String, List<String>> predictions = new LinkedHashMap<>();
        Map<String, String> evaluations = new LinkedHashMap<>();
        for (String table : List.of("names.csv", "names.parquet")) {
            Path csv = dir.resolve("predictions-" + table + ".csv");
            Cli.Result predicted = Cli.run("predict", "--model", model, "--data", dir.resolve(table).toString(),
                    "--out", csv.toString(), "--master", "local[2]");
            assertEquals(0, predicted.status(), predicted.toString());
            List<String> lines = Files.readAllLines(csv);
            assertEquals("prediction,prob_Iris setosa,prob_Iris versicolor,prob_Iris virginica", lines.get(0));
            List<String> body = new ArrayList<>(lines.subList(1, lines.size()));
            assertEquals(300, body.size());
            assertTrue(body.stream().allMatch(l -> NAMES.contains(l.substring(0, l.indexOf(',')))), table + ": " + body);
            body.sort(String::compareTo); // Spark reads the Parquet part files in its own order
            predictions.put(table, body);

            Cli.Result evaluated = Cli.run("evaluate", "--model", model, "--data", dir.resolve(table).toString(),
                    "--master", "local[2]");
            assertEquals(0, evaluated.status(), evaluated.toString());
            assertTrue(evaluated.out().lines().anyMatch(l -> l.matches(" +true Iris setosa( +\\d+){3}")),
                    evaluated.toString());
            evaluations.put(table, evaluated.out());
        }
        assertEquals(predictions.get("names.parquet"), predictions.get("names.csv"));
        assertEquals(evaluations.get("names.parquet"), evaluations.get("names.csv"));
        assertTrue(evaluations.get("names.csv").startsWith("rows 300  accuracy "), evaluations.toString());
        // the predictions hold more than one class: the names are not all class 0's
        assertTrue(predictions.get("names.csv").stream().map(l -> l.substring(0, l.indexOf(','))).distinct().count() > 1,
                predictions.toString());
    }

    @Test
    void transformReadsVectorColumnsLikePredict() throws IOException {
        Path run = dir.resolve("run-vectors");
        Cli.Result trained = train("vectors.parquet", run);
        assertEquals(0, trained.status(), trained.toString());
        L1NetModel model = ModelFormat.read(run.resolve("model.json"));
        assertEquals("features[0]", model.featureNames().get(0));
        Path csv = dir.resolve("vector-predictions.csv");
        Cli.Result predicted = Cli.run("predict", "--model", run.resolve("model.json").toString(), "--data",
                dir.resolve("vectors.parquet").toString(), "--out", csv.toString(), "--master", "local[2]");
        assertEquals(0, predicted.status(), predicted.toString());
        List<String> lines = Files.readAllLines(csv);
        Path parquet = dir.resolve("vector-predictions");
        Cli.Result predictedParquet = Cli.run("predict", "--model", run.resolve("model.json").toString(), "--data",
                dir.resolve("vectors.parquet").toString(), "--out", parquet.toString(), "--out-format", "parquet",
                "--master", "local[2]");
        assertEquals(0, predictedParquet.status(), predictedParquet.toString());
        SparkSession spark = TestSpark.session();
        Dataset<Row> written = spark.read().parquet(parquet.toString());
        assertEquals("struct<prediction:int,probability:array<double>>", written.schema().simpleString());
        List<String> fromParquet = new ArrayList<>();
        for (Row r : written.collectAsList()) {
            fromParquet.add(r.getInt(0) + "," + r.<Double>getList(1).stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(",")));
        }
        List<String> fromCsv = new ArrayList<>(lines.subList(1, lines.size()));
        fromCsv.sort(String::compareTo);
        fromParquet.sort(String::compareTo);
        assertEquals(fromCsv, fromParquet, "predict's Parquet holds its CSV's rows");
        List<Row> out = model.transformer().setFeaturesCol("features").setPredictionCol("p").setProbabilityCol("q")
                .transform(spark.read().parquet(dir.resolve("vectors.parquet").toString())).collectAsList();
        assertEquals(lines.size() - 1, out.size());
        for (int i = 0; i < out.size(); i++) {
            String[] f = lines.get(i + 1).split(",");
            Row r = out.get(i);
            assertEquals(Integer.parseInt(f[0]), (int) r.getDouble(r.fieldIndex("p")));
            List<Double> q = r.getList(r.fieldIndex("q"));
            for (int c = 0; c < q.size(); c++) {
                assertEquals(Double.parseDouble(f[1 + c]), q.get(c), 0.0, "row " + i);
            }
        }
    }

    @Test
    void resumeRefusesACheckpointOfOtherDataPreparation() {
        Path run = dir.resolve("run-resume");
        Cli.Result first = train("t.parquet", run, "--standardize", "--checkpoint-every", "2");
        assertEquals(0, first.status(), first.toString());
        Cli.Result plain = train("t.parquet", run, "--resume");
        assertEquals(2, plain.status(), plain.toString());
        assertTrue(plain.err().contains("training-data: checkpoint standardized, now (absent)"), plain.toString());
        Cli.Result split = train("t.parquet", run, "--resume", "--standardize",
                "--validation-fraction", "0.2");
        assertEquals(2, split.status(), split.toString());
        assertTrue(split.err().contains("training-data: checkpoint standardized, now standardized,validation-fraction=0.2,seed=1"),
                split.toString());
        Cli.Result same = train("t.parquet", run, "--resume", "--standardize");
        assertEquals(0, same.status(), same.toString());
        assertTrue(same.out().contains("resuming from"), same.toString());
    }

    @Test
    void libsvmLabelsThatAreNotClassIndicesAreClassNames() throws IOException {
        Path file = dir.resolve("pm.svm");
        StringBuilder sb = new StringBuilder();
        for (double[] row : rows) {
            sb.append(row[TestTables.FEATURES] == 2 ? "+1" : "-1");
            for (int j = 0; j < TestTables.FEATURES; j++) {
                sb.append(' ').append(j + 1).append(':').append(row[j]);
            }
            sb.append('\n');
        }
        Files.writeString(file, sb.toString());
        Path run = dir.resolve("run-pm");
        Cli.Result r = Cli.run("train", "--train", file.toString(), "--out", run.toString(), "--epochs", "5",
                "--num-features", "8", "--master", "local[2]");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("8-8-2 network"), r.toString());
        L1NetModel model = ModelFormat.read(run.resolve("model.json"));
        assertEquals(List.of("-1", "1"), model.classNames());
        Path csv = dir.resolve("pm.csv");
        assertEquals(0, Cli.run("predict", "--model", run.resolve("model.json").toString(), "--data", file.toString(),
                "--out", csv.toString(), "--master", "local[2]").status());
        assertTrue(Files.readAllLines(csv).stream().skip(1).allMatch(l -> l.startsWith("-1,") || l.startsWith("1,")));
    }

    @Test
    void skipPrintsHowManyRowsItSkipped() throws IOException {
        Path file = dir.resolve("bad.libsvm");
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("t.libsvm")));
        lines.set(3, "1 1:0.5 3:abc");
        lines.set(9, "2 4:0.5 2:0.25");
        Files.write(file, lines);
        Cli.Result failed = Cli.run("train", "--train", file.toString(), "--out", dir.resolve("run-bad").toString(),
                "--epochs", "2", "--master", "local[2]");
        assertEquals(2, failed.status(), failed.toString());
        assertTrue(failed.err().contains(file + " line 4: index 3 is 'abc', not a number"), failed.toString());
        Cli.Result skipped = Cli.run("train", "--train", file.toString(), "--out", dir.resolve("run-skip").toString(),
                "--epochs", "2", "--on-bad-rows", "skip", "--master", "local[2]");
        assertEquals(0, skipped.status(), skipped.toString());
        assertTrue(skipped.out().contains("298 training rows"), skipped.toString());
        assertTrue(skipped.out().contains("training data: skipped 2 bad rows (the first: " + file
                + " line 4: index 3 is 'abc', not a number)"), skipped.toString());
    }
}
