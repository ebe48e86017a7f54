package org.l1net.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
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
 *
 * <p>Labels are class indices, or class names when the first label is a name, not a number: then one more pass
 * collects the distinct names, which become classes in {@link ClassNames#of}'s order, as string labels
 * of Parquet, JSON and ORC do. Data whose first label is a number is read as it always was, without that
 * pass. A label of the other kind than the first is an error ({@link MixedLabelsException}).
 */
public final class CsvReader implements TableReader {
    /** The reader; the static methods are the CSV-only entry points. */
    static final CsvReader INSTANCE = new CsvReader();

    /** Lines the driver reads looking for the first label: far more than blank or label-less lines at the top. */
    private static final int FIRST_LABEL_LINES = 1000;

    private CsvReader() {
    }

    /**
     * Learns the layout of the training data from the first line of its first file, and its class names
     * (one pass over the data) when its first label is a class name.
     */
    public static TableSpec inspectTraining(SparkSession spark, String path, ReadOptions options) {
        FirstLine first = firstLine(spark, path);
        String[] fields = first.text.split(",", -1);
        boolean header = hasHeader(options.header(), first.text);
        if (fields.length < 2) {
            throw new InputException(first.file + " line 1: expected at least 2 comma-separated values "
                    + "(features and a label), found " + fields.length);
        }
        int labelIndex = resolveLabelColumn(options.labelColumn(), fields, header, first.file);
        TableSpec spec = spec(path, header, fields, labelIndex);
        FirstLabel firstLabel = firstLabel(spark, spec);
        if (firstLabel == null || !CsvRowParser.isName(firstLabel.text())) {
            return spec;
        }
        return spec.withClassNames(classNames(spark, spec, options, firstLabel));
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

    /**
     * The layout as {@link #inspectLike(SparkSession, String, ReadOptions, int, boolean)} finds it, with the
     * labels coded as the model's: looked up among its class names, or class indices, when data whose
     * first label is a class name is refused here rather than at its second row.
     */
    @Override
    public TableSpec inspectLike(SparkSession spark, String path, ReadOptions options, Expected expected,
                                 boolean labelOptional) {
        TableSpec spec = inspectLike(spark, path, options, expected.features(), labelOptional);
        if (spec.hasLabel() && expected.classNames() == null) {
            FirstLabel first = firstLabel(spark, spec);
            if (first != null && CsvRowParser.isName(first.text())) {
                throw new IllegalArgumentException("label " + first.describe()
                        + " is a class name, but the model's classes are class indices");
            }
        }
        return spec.withClassNames(expected.classNames());
    }

    @Override
    public JavaRDD<double[]> rows(SparkSession spark, TableSpec spec, ReadOptions options, int classes,
                                  BadRowTally skipped) {
        // Class indices: the first label only goes into the message for a class name among them.
        FirstLabel first = spec.classNames() == null ? firstLabel(spark, spec) : null;
        String example = first == null || CsvRowParser.isName(first.text()) ? null : first.describe();
        CsvRowParser parser = new CsvRowParser(spec.columns(), spec.labelIndex(), classes, spec.classNames(), example);
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

    /**
     * The distinct class names, in one pass over the lines. Bad rows fail here as they would in the read
     * pass, or are passed over when skipped (the read pass counts them), so a skipped row brings no class;
     * a number among the names fails ({@link CsvRowParser#parseName}).
     */
    private static List<String> classNames(SparkSession spark, TableSpec spec, ReadOptions options, FirstLabel first) {
        CsvRowParser parser = new CsvRowParser(spec.columns(), spec.labelIndex(), 0, null, first.describe());
        int features = parser.features();
        JavaRDD<String> labels = TextLines.parse(spark, spec.path(), spec.hasHeader(), Datasets.tally(spark, options),
                line -> parser.parseName(line, new double[features]));
        List<List<String>> parts = Datasets.withRowLocations(spark, () -> labels.mapPartitions(names -> {
            // one past the cap is enough to refuse the data
            Set<String> distinct = new HashSet<>();
            while (names.hasNext() && distinct.size() <= ClassNames.MAX) {
                distinct.add(names.next());
            }
            return List.<List<String>>of(new ArrayList<>(distinct)).iterator();
        }).collect());
        Set<String> distinct = new HashSet<>();
        parts.forEach(distinct::addAll);
        return ClassNames.of(distinct, spec.path(), spec.labelName());
    }

    private record FirstLine(String file, String text) {
    }

    /** The first label of the data, where it is, and its text (trimmed). */
    private record FirstLabel(String text, String file, long line) {
        /** "0 on line 2 of /data/t.csv"; a class name quoted. */
        String describe() {
            return (CsvRowParser.isName(text) ? "'" + text + "'" : text) + " on line " + line + " of " + file;
        }
    }

    /**
     * The label of the first good row in the lines the read pass parses (files sorted by path, each file's
     * header line and blank lines passed over): the right number of values, every feature a number, the
     * label not empty. A bad first row, which the read pass fails on or skips, does not decide the kind of
     * the labels. Null when the data has no label column or the first {@value #FIRST_LABEL_LINES} lines
     * hold no good row.
     */
    private static FirstLabel firstLabel(SparkSession spark, TableSpec spec) {
        if (!spec.hasLabel()) {
            return null;
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        int read = 0;
        for (Path file : DataFiles.list(conf, spec.path())) {
            try (BufferedReader reader = open(conf, file)) {
                long number = 0;
                String line;
                while ((line = reader.readLine()) != null && read++ < FIRST_LABEL_LINES) {
                    number++;
                    if ((spec.hasHeader() && number == 1) || line.isBlank()) {
                        continue;
                    }
                    String[] fields = line.split(",", -1);
                    if (fields.length == spec.columns() && !fields[spec.labelIndex()].isBlank()
                            && featuresParse(fields, spec.labelIndex())) {
                        return new FirstLabel(fields[spec.labelIndex()].trim(), display(file.toString()), number);
                    }
                }
            } catch (IOException e) {
                throw new InputException(display(file.toString()) + ": cannot be read (" + e.getMessage() + ")");
            }
            if (read >= FIRST_LABEL_LINES) {
                break;
            }
        }
        return null;
    }

    private static boolean featuresParse(String[] fields, int labelIndex) {
        for (int c = 0; c < fields.length; c++) {
            if (c != labelIndex) {
                try {
                    CsvRowParser.parseNumber(fields[c], c);
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The file's text, decompressed as Spark's text reader does when its extension names a codec (.gz, .bz2, ...). */
    private static BufferedReader open(Configuration conf, Path file) throws IOException {
        InputStream in = file.getFileSystem(conf).open(file);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
        if (codec != null) {
            try {
                in = codec.createInputStream(in);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The first line of the first data file (sorted by path) under a file, directory or glob. */
    private static FirstLine firstLine(SparkSession spark, String pathText) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path first = DataFiles.list(conf, pathText).get(0);
        try (BufferedReader reader = open(conf, first)) {
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
