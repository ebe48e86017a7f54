package org.l1net.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * Reads comma-separated files through Spark SQL's text source into cached blocks.
 *
 * <p>Each line arrives with {@code _metadata.file_path} and {@code _metadata.file_block_start}, so
 * a bad row is reported by file and line even inside a split of a large file. Rows are then
 * hash-partitioned and sorted by a hash of their values, which makes the blocks a function of the
 * data and the partition count alone: the same blocks (and the same floating-point sums) in local
 * mode and on any cluster, whatever the file splits were (see {@link Datasets}).
 */
public final class CsvReader implements TableReader {
    /** The reader; the static methods are the CSV-only entry points. */
    static final CsvReader INSTANCE = new CsvReader();

    private CsvReader() {
    }

    /** Learns the layout of the training data from the first line of its first file. */
    public static TableSpec inspectTraining(SparkSession spark, String path, ReadOptions options) {
        FirstLine first = firstLine(spark, path);
        String[] fields = first.text.split(",", -1);
        boolean header = hasHeader(options.header(), first.text);
        if (fields.length < 2) {
            throw new InputException(first.file + " line 1: expected at least 2 comma-separated values "
                    + "(features and a label), found " + fields.length);
        }
        int labelIndex = resolveLabelColumn(options.labelColumn(), fields, header, first.file);
        return spec(path, header, fields, labelIndex);
    }

    /**
     * The layout of data read with a model or a training set already known: the same feature count,
     * and a label column unless {@code labelOptional} allows files of features only.
     */
    public static TableSpec inspectLike(SparkSession spark, String path, ReadOptions options, int features,
                                        boolean labelOptional) {
        FirstLine first = firstLine(spark, path);
        String[] fields = first.text.split(",", -1);
        boolean header = hasHeader(options.header(), first.text);
        if (fields.length == features + 1) {
            return spec(path, header, fields, resolveLabelColumn(options.labelColumn(), fields, header, first.file));
        }
        if (labelOptional && fields.length == features) {
            return spec(path, header, fields, -1);
        }
        throw new InputException(first.file + " line 1: expected " + (features + 1) + " comma-separated values ("
                + features + " features and a label" + (labelOptional ? ", or the " + features + " features alone" : "")
                + "), found " + fields.length);
    }

    private static TableSpec spec(String path, boolean header, String[] fields, int labelIndex) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            if (i != labelIndex) {
                names.add(header ? fields[i].trim() : "x" + names.size());
            }
        }
        String labelName = labelIndex < 0 ? null : (header ? fields[labelIndex].trim() : "label");
        return new TableSpec(path, header, fields.length, labelIndex, List.copyOf(names), labelName);
    }

    private static boolean hasHeader(HeaderMode mode, String firstLine) {
        return switch (mode) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> CsvRowParser.looksLikeHeader(firstLine);
        };
    }

    private static int resolveLabelColumn(String labelColumn, String[] fields, boolean header, String file) {
        String wanted = labelColumn == null ? "last" : labelColumn.trim();
        if (wanted.equals("last")) {
            return fields.length - 1;
        }
        if (wanted.matches("-?\\d+")) {
            int index = Integer.parseInt(wanted);
            if (index < 0 || index >= fields.length) {
                throw new IllegalArgumentException("--label-col " + wanted + ": " + file + " has columns 0.."
                        + (fields.length - 1));
            }
            return index;
        }
        if (!header) {
            throw new IllegalArgumentException("--label-col '" + wanted + "' is a name, but " + file
                    + " has no header line (use a 0-based column index, or --header true)");
        }
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].trim().equals(wanted)) {
                return i;
            }
        }
        throw new IllegalArgumentException("--label-col '" + wanted + "': no such column in the header of " + file
                + " " + Arrays.toString(Arrays.stream(fields).map(String::trim).toArray()));
    }

    /**
     * Parses, validates, partitions and packs the rows, caches the blocks (MEMORY_AND_DISK) and
     * counts them in one pass. Nothing is left cached when it fails.
     *
     * @param classes K when known (labels are checked against it), 0 to learn it from the data
     */
    public static LabeledBlocks readLabeled(SparkSession spark, TableSpec spec, ReadOptions options, int classes) {
        return Datasets.readLabeled(spark, INSTANCE, spec, options, classes, null);
    }

    /**
     * The rows in file order, packed into blocks, for scoring: no shuffle, not cached. Labels are
     * -1 when the data has no label column. Errors surface when the RDD is consumed, through
     * {@link #withRowLocations}.
     */
    public static JavaRDD<DataBlock> readInOrder(SparkSession spark, TableSpec spec, ReadOptions options, int classes) {
        return Datasets.readInOrder(spark, INSTANCE, spec, options, classes, null, null);
    }

    @Override
    public TableSpec inspect(SparkSession spark, String path, ReadOptions options) {
        return inspectTraining(spark, path, options);
    }

    @Override
    public TableSpec inspectLike(SparkSession spark, String path, ReadOptions options, Expected expected,
                                 boolean labelOptional) {
        if (expected.classNames() != null) {
            throw new IllegalArgumentException(path + ": the model's classes are names ("
                    + String.join(", ", expected.classNames()) + "), and CSV labels are class indices; "
                    + "read these rows as Parquet, JSON or ORC");
        }
        return inspectLike(spark, path, options, expected.features(), labelOptional);
    }

    @Override
    public JavaRDD<double[]> rows(SparkSession spark, TableSpec spec, ReadOptions options, int classes,
                                  BadRowTally skipped) {
        CsvRowParser parser = new CsvRowParser(spec.columns(), spec.labelIndex(), classes);
        int features = parser.features();
        return TextLines.parse(spark, spec.path(), spec.hasHeader(), skipped, line -> {
            double[] parsed = new double[features + 1];
            parsed[features] = parser.parse(line, parsed);
            return parsed;
        });
    }

    /**
     * Runs a Spark action; when a task failed on a bad row, rethrows it as an {@link InputException}
     * that names the file and the 1-based line.
     */
    public static <T> T withRowLocations(SparkSession spark, Supplier<T> action) {
        return Datasets.withRowLocations(spark, action);
    }

    /** A local file as a plain path; any other URI as it is. */
    static String display(String file) {
        return Datasets.display(file);
    }

    private record FirstLine(String file, String text) {
    }

    /** The first line of the first data file (sorted by path) under a file, directory or glob. */
    private static FirstLine firstLine(SparkSession spark, String pathText) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path first = DataFiles.list(conf, pathText).get(0);
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(first.getFileSystem(conf).open(first), StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            if (line == null || line.isBlank()) {
                throw new InputException(display(first.toString()) + ": the file is empty"
                        + (line == null ? "" : " (its first line is blank)"));
            }
            return new FirstLine(display(first.toString()), line);
        } catch (IOException e) {
            throw new InputException(pathText + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
