package org.l1net.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;

/**
 * Parquet, JSON and ORC through Spark SQL's sources. The features are the {@code --features} columns, or
 * by default every numeric column but the label (or, when there is none, the vector and array columns);
 * the label is {@code --label-col} ("last": the column named "label" if there is one, else the last
 * column), of whole numbers (class indices) or strings (class names, sorted). A bad row's error names its
 * file ({@code _metadata.file_path}) and the row by its values.
 */
final class FrameReader implements TableReader {
    private static final String CORRUPT = "_corrupt_record";

    private final InputFormat format;

    FrameReader(InputFormat format) {
        this.format = format;
    }

    private Dataset<Row> load(SparkSession spark, String path) {
        DataFiles.list(spark.sparkContext().hadoopConfiguration(), path);
        return spark.read().format(format.cliName()).load(path);
    }

    @Override
    public TableSpec inspect(SparkSession spark, String path, ReadOptions options) {
        Dataset<Row> frame = load(spark, path);
        StructType schema = frame.schema();
        StructField label = schema.fields()[labelIndex(options.labelColumn(), schema, path, true)];
        List<FeatureColumn> columns = new ArrayList<>();
        for (StructField field : chooseFeatures(options.features(), schema, label.name(), null, path)) {
            FeatureColumn.Kind kind = FrameRowParser.kindOf(field.dataType());
            int width = kind == FeatureColumn.Kind.SCALAR ? 1 : widthFromData(frame, field, kind, options, path);
            columns.add(FrameRowParser.column(field, width));
        }
        List<String> classNames = null;
        if (label.dataType() instanceof StringType) {
            classNames = classNames(frame, label.name(), path);
        } else if (!(label.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("label column '" + label.name() + "' of " + path + " is "
                    + label.dataType().simpleString() + "; expected whole numbers (class indices) or strings (class names)");
        }
        return new TableSpec(path, false, schema.size(), schema.fieldIndex(label.name()),
                FrameRowParser.featureNames(columns), label.name(), format, classNames, columns);
    }

    @Override
    public TableSpec inspectLike(SparkSession spark, String path, ReadOptions options, Expected expected,
                                 boolean labelOptional) {
        Dataset<Row> frame = load(spark, path);
        StructType schema = frame.schema();
        int labelIndex = labelIndex(options.labelColumn(), schema, path, !labelOptional);
        String labelName = labelIndex < 0 ? null : schema.fields()[labelIndex].name();
        List<StructField> fields = chooseFeatures(options.features(), schema, labelName, expected, path);
        if (labelName != null && fields.stream().anyMatch(f -> f.name().equals(labelName))) {
            if (!labelOptional) {
                throw new IllegalArgumentException("label column '" + labelName + "' of " + path + " is also a feature");
            }
            labelIndex = -1;
        }
        int scalars = (int) fields.stream().filter(f -> FrameRowParser.kindOf(f.dataType()) == FeatureColumn.Kind.SCALAR).count();
        int wide = fields.size() - scalars;
        List<FeatureColumn> columns = new ArrayList<>();
        for (StructField field : fields) {
            FeatureColumn.Kind kind = FrameRowParser.kindOf(field.dataType());
            int width = kind == FeatureColumn.Kind.SCALAR ? 1
                    : wide == 1 ? expected.features() - scalars : widthFromData(frame, field, kind, options, path);
            if (width < 1) {
                throw new IllegalArgumentException(path + ": the features " + names(fields) + " do not give the "
                        + expected.features() + " the model takes");
            }
            columns.add(FrameRowParser.column(field, width));
        }
        int features = columns.stream().mapToInt(FeatureColumn::width).sum();
        if (features != expected.features()) {
            throw new IllegalArgumentException(path + ": the feature columns " + names(fields) + " hold " + features
                    + " features; the model takes " + expected.features() + " (choose them with --features)");
        }
        if (labelIndex >= 0) {
            StructField label = schema.fields()[labelIndex];
            boolean names = label.dataType() instanceof StringType;
            if (expected.classNames() != null && !names) {
                throw new IllegalArgumentException("label column '" + label.name() + "' of " + path + " is "
                        + label.dataType().simpleString() + ", but the model's classes are names: "
                        + String.join(", ", expected.classNames()));
            }
            if (expected.classNames() == null && !(label.dataType() instanceof NumericType)) {
                throw new IllegalArgumentException("label column '" + label.name() + "' of " + path + " is "
                        + label.dataType().simpleString() + ", but the model's classes are class indices");
            }
        }
        return new TableSpec(path, false, schema.size(), labelIndex, FrameRowParser.featureNames(columns), labelName,
                format, expected.classNames(), columns);
    }

    @Override
    public JavaRDD<double[]> rows(SparkSession spark, TableSpec spec, ReadOptions options, int classes,
                                  BadRowTally skipped) {
        Dataset<Row> frame = load(spark, spec.path());
        List<Column> selected = new ArrayList<>();
        int[] positions = new int[spec.featureColumns().size()];
        for (int c = 0; c < positions.length; c++) {
            positions[c] = selected.size();
            selected.add(col(quote(spec.featureColumns().get(c).name())));
        }
        int labelPosition = -1;
        if (spec.hasLabel()) {
            labelPosition = selected.size();
            selected.add(col(quote(spec.labelName())));
        }
        int filePosition = selected.size();
        selected.add(col("_metadata.file_path"));
        int corruptPosition = -1;
        if (List.of(frame.schema().fieldNames()).contains(CORRUPT)) {
            corruptPosition = selected.size();
            selected.add(col(CORRUPT));
        }
        FrameRowParser parser = new FrameRowParser(spec.featureColumns(), positions, labelPosition, spec.labelName(),
                spec.classNames(), classes);
        int corrupt = corruptPosition;
        return frame.select(selected.toArray(new Column[0])).javaRDD()
                .mapPartitions(rows -> parse(rows, parser, filePosition, corrupt, skipped));
    }

    private static Iterator<double[]> parse(Iterator<Row> rows, FrameRowParser parser, int filePosition,
                                            int corruptPosition, BadRowTally skipped) {
        return new Iterator<>() {
            private double[] next;

            @Override
            public boolean hasNext() {
                while (next == null && rows.hasNext()) {
                    Row row = rows.next();
                    try {
                        if (corruptPosition >= 0 && !row.isNullAt(corruptPosition)) {
                            throw new IllegalArgumentException("not a valid record: " + row.getString(corruptPosition).trim());
                        }
                        next = parser.parse(row);
                    } catch (IllegalArgumentException e) {
                        BadRecordException bad = new BadRecordException(row.getString(filePosition), parser.describe(row),
                                e.getMessage());
                        if (skipped == null) {
                            throw bad;
                        }
                        skipped.add(bad);
                    }
                }
                return next != null;
            }

            @Override
            public double[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                double[] out = next;
                next = null;
                return out;
            }
        };
    }

    /** The label's column index; -1 when {@code required} is false and "last" finds no usable column. */
    private static int labelIndex(String labelColumn, StructType schema, String path, boolean required) {
        String wanted = labelColumn == null ? "last" : labelColumn.trim();
        List<String> names = dataColumns(schema);
        if (wanted.equals("last")) {
            if (names.contains("label")) {
                return schema.fieldIndex("label");
            }
            if (!required || names.isEmpty()) {
                return -1;
            }
            return schema.fieldIndex(names.get(names.size() - 1));
        }
        if (wanted.matches("-?\\d+")) {
            int index = Integer.parseInt(wanted);
            if (index < 0 || index >= names.size()) {
                throw new IllegalArgumentException("--label-col " + wanted + ": " + path + " has columns 0.."
                        + (names.size() - 1) + " " + names);
            }
            return schema.fieldIndex(names.get(index));
        }
        if (!names.contains(wanted)) {
            throw new IllegalArgumentException("--label-col '" + wanted + "': no such column in " + path + " " + names);
        }
        return schema.fieldIndex(wanted);
    }

    /**
     * The feature columns: {@code --features}; else (with a model) the model's feature names when the data
     * has them as columns, or the one vector or array column they name; else every numeric column but the
     * label, or when there is none, every vector and array column.
     */
    private static List<StructField> chooseFeatures(List<String> wanted, StructType schema, String label,
                                                    Expected expected, String path) {
        List<String> names = dataColumns(schema);
        List<StructField> fields = new ArrayList<>();
        if (wanted != null && !wanted.isEmpty()) {
            for (String name : wanted) {
                if (!names.contains(name)) {
                    throw new IllegalArgumentException("--features: no column '" + name + "' in " + path + " " + names);
                }
                StructField field = schema.fields()[schema.fieldIndex(name)];
                if (FrameRowParser.kindOf(field.dataType()) == null) {
                    throw new IllegalArgumentException("--features: column '" + name + "' of " + path + " is "
                            + field.dataType().simpleString() + ", not a number, an array of numbers or a vector");
                }
                fields.add(field);
            }
            return fields;
        }
        if (expected != null) {
            if (names.containsAll(expected.featureNames())
                    && expected.featureNames().stream().allMatch(n -> FrameRowParser.kindOf(
                            schema.fields()[schema.fieldIndex(n)].dataType()) == FeatureColumn.Kind.SCALAR)) {
                for (String name : expected.featureNames()) {
                    fields.add(schema.fields()[schema.fieldIndex(name)]);
                }
                return fields;
            }
            String first = expected.featureNames().get(0);
            if (first.endsWith("[0]")) {
                String vector = first.substring(0, first.length() - 3);
                if (names.contains(vector)) {
                    StructField field = schema.fields()[schema.fieldIndex(vector)];
                    FeatureColumn.Kind kind = FrameRowParser.kindOf(field.dataType());
                    if (kind != null && kind != FeatureColumn.Kind.SCALAR) {
                        return List.of(field);
                    }
                }
            }
        }
        for (String name : names) {
            StructField field = schema.fields()[schema.fieldIndex(name)];
            if (!name.equals(label) && FrameRowParser.kindOf(field.dataType()) == FeatureColumn.Kind.SCALAR) {
                fields.add(field);
            }
        }
        if (fields.isEmpty()) {
            for (String name : names) {
                StructField field = schema.fields()[schema.fieldIndex(name)];
                if (!name.equals(label) && FrameRowParser.kindOf(field.dataType()) != null) {
                    fields.add(field);
                }
            }
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException(path + ": no numeric, array or vector column besides the label "
                    + schema.simpleString());
        }
        return fields;
    }

    /** The width of a vector or array column: --num-features, else its first non-null value's. */
    private static int widthFromData(Dataset<Row> frame, StructField field, FeatureColumn.Kind kind,
                                     ReadOptions options, String path) {
        if (options.numFeatures() > 0) {
            return options.numFeatures();
        }
        Column c = col(quote(field.name()));
        List<Row> first = frame.select(c).where(c.isNotNull()).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new InputException(path + ": column '" + field.name() + "' has no values");
        }
        FeatureColumn probe = FrameRowParser.column(field, 1);
        return FrameRowParser.widthOf(first.get(0).get(0), kind, probe.udt());
    }

    /** The distinct values of a string label column as classes ({@link ClassNames#of}). */
    private static List<String> classNames(Dataset<Row> frame, String label, String path) {
        Column c = col(quote(label));
        List<Row> rows = frame.select(c).where(c.isNotNull()).distinct().limit(ClassNames.MAX + 1).collectAsList();
        List<String> names = new ArrayList<>();
        for (Row row : rows) {
            names.add(row.getString(0));
        }
        return ClassNames.of(names, path, label);
    }

    private static List<String> dataColumns(StructType schema) {
        List<String> names = new ArrayList<>();
        for (String name : schema.fieldNames()) {
            if (!name.equals(CORRUPT)) {
                names.add(name);
            }
        }
        return names;
    }

    private static List<String> names(List<StructField> fields) {
        return fields.stream().map(StructField::name).toList();
    }

    /** A column name as col() reads it literally (dots and backticks in names). */
    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
