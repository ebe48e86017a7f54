package org.l1net.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One small labeled table written in every format l1net reads, with the values as exact doubles in
 * each: CSV and LIBSVM by Double.toString (which reads back bit for bit), Parquet, JSON and ORC by Spark.
 * Columns a0..a5 (alphabetical order is column order, as JSON's inferred schema sorts them) and label.
 */
public final class TestTables {
    public static final int FEATURES = 6;
    public static final int CLASSES = 3;

    private TestTables() {
    }

    /** Rows [a0..a5, label]: features uniform in [-2, 2] (no exact zeros), labels from a fixed linear rule. */
    public static List<double[]> rows(int count, long seed) {
        Random random = new Random(seed);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] row = new double[FEATURES + 1];
            double score = 0;
            for (int j = 0; j < FEATURES; j++) {
                row[j] = random.nextDouble() * 4 - 2;
                if (row[j] == 0) {
                    row[j] = 0.5;
                }
                score += (j % 2 == 0 ? 1 : -0.5) * row[j];
            }
            row[FEATURES] = score < -0.7 ? 0 : score < 0.7 ? 1 : 2;
            rows.add(row);
        }
        return rows;
    }

    public static StructType schema() {
        return schema(null);
    }

    /** The columns; the label an int, or a string when there are class names. */
    private static StructType schema(List<String> classNames) {
        StructType schema = new StructType();
        for (int j = 0; j < FEATURES; j++) {
            schema = schema.add("a" + j, DataTypes.DoubleType, false);
        }
        return schema.add("label", classNames == null ? DataTypes.IntegerType : DataTypes.StringType, false);
    }

    public static List<Row> sparkRows(List<double[]> rows) {
        return sparkRows(rows, null);
    }

    /** The rows for Spark, label c as c or, given class names, as the c-th name. */
    private static List<Row> sparkRows(List<double[]> rows, List<String> classNames) {
        List<Row> out = new ArrayList<>();
        for (double[] row : rows) {
            Object[] values = new Object[FEATURES + 1];
            for (int j = 0; j < FEATURES; j++) {
                values[j] = row[j];
            }
            values[FEATURES] = label(row, classNames);
            out.add(RowFactory.create(values));
        }
        return out;
    }

    private static Object label(double[] row, List<String> classNames) {
        int c = (int) row[FEATURES];
        return classNames == null ? (Object) c : classNames.get(c);
    }

    public static void writeCsv(List<double[]> rows, Path file) throws IOException {
        writeCsv(rows, file, null);
    }

    /** The table as CSV with a header; label c written as c or, given class names, as the c-th name. */
    public static void writeCsv(List<double[]> rows, Path file, List<String> classNames) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < FEATURES; j++) {
            sb.append('a').append(j).append(',');
        }
        sb.append("label\n");
        for (double[] row : rows) {
            for (int j = 0; j < FEATURES; j++) {
                sb.append(row[j]).append(',');
            }
            sb.append(label(row, classNames)).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    public static void writeLibsvm(List<double[]> rows, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (double[] row : rows) {
            sb.append((int) row[FEATURES]);
            for (int j = 0; j < FEATURES; j++) {
                if (row[j] != 0) {
                    sb.append(' ').append(j + 1).append(':').append(row[j]);
                }
            }
            sb.append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /**
     * The table with its features in one Spark ML vector column "features" (every other row sparse), as
     * Parquet; spark-mllib is a test dependency only.
     */
    public static void writeVectors(SparkSession spark, List<double[]> rows, Path dir) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double[] x = java.util.Arrays.copyOf(rows.get(i), FEATURES);
            var dense = org.apache.spark.ml.linalg.Vectors.dense(x);
            out.add(RowFactory.create((int) rows.get(i)[FEATURES], i % 2 == 0 ? dense : dense.toSparse()));
        }
        spark.createDataFrame(out, new StructType().add("label", DataTypes.IntegerType)
                .add("features", new org.apache.spark.ml.linalg.VectorUDT())).write().parquet(dir.toString());
    }

    /** The table with its features in an array column "pixels", as Parquet. */
    public static void writeArrays(SparkSession spark, List<double[]> rows, Path dir) {
        List<Row> out = new ArrayList<>();
        for (double[] row : rows) {
            List<Double> values = new ArrayList<>();
            for (int j = 0; j < FEATURES; j++) {
                values.add(row[j]);
            }
            out.add(RowFactory.create(values, (int) row[FEATURES]));
        }
        spark.createDataFrame(out, new StructType().add("pixels", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.IntegerType)).write().parquet(dir.toString());
    }

    /**
     * The table with its features in a struct column of a vector's stored form {type, size, indices,
     * values} (what a Parquet file holds for a VectorUDT), dense and sparse rows alternating.
     */
    public static void writeStructs(SparkSession spark, List<double[]> rows, Path dir) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            List<Double> values = new ArrayList<>();
            List<Integer> indices = new ArrayList<>();
            for (int j = 0; j < FEATURES; j++) {
                values.add(rows.get(i)[j]);
                indices.add(j);
            }
            out.add(RowFactory.create((int) rows.get(i)[FEATURES], i % 2 == 0
                    ? RowFactory.create((byte) 1, null, null, values)
                    : RowFactory.create((byte) 0, FEATURES, indices, values)));
        }
        StructType vector = new StructType().add("type", DataTypes.ByteType).add("size", DataTypes.IntegerType)
                .add("indices", DataTypes.createArrayType(DataTypes.IntegerType))
                .add("values", DataTypes.createArrayType(DataTypes.DoubleType));
        spark.createDataFrame(out, new StructType().add("label", DataTypes.IntegerType).add("features", vector))
                .write().parquet(dir.toString());
    }

    /** Writes the table as {@code format} (parquet, json or orc) into the folder {@code dir}, in 3 part files. */
    public static void writeWithSpark(SparkSession spark, List<double[]> rows, String format, Path dir) {
        writeWithSpark(spark, rows, format, dir, null);
    }

    /** As {@link #writeWithSpark(SparkSession, List, String, Path)}, the labels as class names when given. */
    public static void writeWithSpark(SparkSession spark, List<double[]> rows, String format, Path dir,
                                      List<String> classNames) {
        spark.createDataFrame(sparkRows(rows, classNames), schema(classNames)).repartition(3).write().format(format)
                .save(dir.toString());
    }
}
