package org.l1net.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import static org.apache.spark.sql.functions.col;

/**
 * Reads comma-separated files through Spark SQL's text source into cached blocks.
 *
 * <p>Each line arrives with {@code _metadata.file_path} and {@code _metadata.file_block_start}, so
 * a bad row is reported by file and line even inside a split of a large file. Rows are then
 * hash-partitioned and sorted by a hash of their values, which makes the blocks a function of the
 * data and the partition count alone: the same blocks (and the same floating-point sums) in local
 * mode and on any cluster, whatever the file splits were.
 */
public final class CsvReader {
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
        if (!spec.hasLabel()) {
            throw new IllegalArgumentException(spec.path() + " has no label column");
        }
        int partitions = options.partitions() > 0 ? options.partitions() : spark.sparkContext().defaultParallelism();
        int features = spec.features();
        int blockRows = options.blockRowsFor(features);
        CsvRowParser parser = new CsvRowParser(spec.columns(), spec.labelIndex(), classes);
        JavaRDD<DataBlock> blocks = lines(spark, spec.path())
                .mapPartitions(new ParseSplit(parser, spec.hasHeader()))
                .mapToPair(row -> new Tuple2<>(RowHash.of(row), row))
                .repartitionAndSortWithinPartitions(new HashPartitioner(partitions))
                .values()
                .mapPartitions(rows -> new BlockPacker(rows, features, blockRows));
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long[] stats = withRowLocations(spark, () -> blocks
                    .map(b -> new long[] {b.rows(), maxLabel(b)})
                    .fold(new long[] {0, -1}, (a, b) -> new long[] {a[0] + b[0], Math.max(a[1], b[1])}));
            if (stats[0] == 0) {
                throw new InputException(spec.path() + ": no data rows" + (spec.hasHeader() ? " after the header" : ""));
            }
            return new LabeledBlocks(blocks, spec, stats[0], (int) stats[1], partitions);
        } catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
    }

    /**
     * The rows in file order, packed into blocks, for scoring: no shuffle, not cached. Labels are
     * -1 when the data has no label column. Errors surface when the RDD is consumed, through
     * {@link #withRowLocations}.
     */
    public static JavaRDD<DataBlock> readInOrder(SparkSession spark, TableSpec spec, ReadOptions options, int classes) {
        CsvRowParser parser = new CsvRowParser(spec.columns(), spec.labelIndex(), classes);
        int features = spec.features();
        int blockRows = options.blockRowsFor(features);
        return lines(spark, spec.path())
                .mapPartitions(new ParseSplit(parser, spec.hasHeader()))
                .mapPartitions(rows -> new BlockPacker(rows, features, blockRows));
    }

    private static JavaRDD<Row> lines(SparkSession spark, String path) {
        return spark.read().text(path)
                .select(col("value"), col("_metadata.file_path"), col("_metadata.file_block_start"))
                .javaRDD();
    }

    private static long maxLabel(DataBlock block) {
        int max = -1;
        for (int label : block.labels()) {
            max = Math.max(max, label);
        }
        return max;
    }

    /**
     * Runs a Spark action; when a task failed on a bad row, rethrows it as an {@link InputException}
     * that names the file and the 1-based line.
     */
    public static <T> T withRowLocations(SparkSession spark, Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) {
            // Not RuntimeException: Scala throws the checked SparkException that wraps a failed task's
            // error without declaring it. Whatever is not a bad row is rethrown as it came.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BadRowException bad) {
                    throw locate(spark.sparkContext().hadoopConfiguration(), bad);
                }
            }
            throw e;
        }
    }

    private static InputException locate(Configuration conf, BadRowException bad) {
        String where;
        try {
            where = "line " + LineLocator.lineNumber(bad.file(), bad.splitStart(), bad.ordinalInSplit(), conf);
        } catch (IOException e) {
            where = "record " + (bad.ordinalInSplit() + 1) + " of the split at byte " + bad.splitStart();
        }
        return new InputException(display(bad.file()) + " " + where + ": " + bad.reason());
    }

    /** A local file as a plain path; any other URI as it is. */
    static String display(String file) {
        return file.startsWith("file:") ? new Path(file).toUri().getPath() : file;
    }

    private record FirstLine(String file, String text) {
    }

    /** The first line of the first data file (sorted by path) under a file, directory or glob. */
    private static FirstLine firstLine(SparkSession spark, String pathText) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            Path path = new Path(pathText);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(path);
            if (matches == null || matches.length == 0) {
                throw new InputException(pathText + ": no such file or directory");
            }
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus match : matches) {
                if (match.isDirectory()) {
                    for (FileStatus child : fs.listStatus(match.getPath())) {
                        String name = child.getPath().getName();
                        if (child.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                            files.add(child);
                        }
                    }
                } else {
                    files.add(match);
                }
            }
            if (files.isEmpty()) {
                throw new InputException(pathText + ": no data files in the directory");
            }
            files.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
            Path first = files.get(0).getPath();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(fs.open(first), StandardCharsets.UTF_8))) {
                String line = reader.readLine();
                if (line == null || line.isBlank()) {
                    throw new InputException(display(first.toString()) + ": the file is empty"
                            + (line == null ? "" : " (its first line is blank)"));
                }
                return new FirstLine(display(first.toString()), line);
            }
        } catch (IOException e) {
            throw new InputException(pathText + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * Parses the lines of one partition into rows [features..., label] (label -1 when absent),
     * tracking each line's place in its split for error messages. Blank lines are skipped.
     */
    private static final class ParseSplit implements FlatMapFunction<Iterator<Row>, double[]> {
        private static final long serialVersionUID = 1L;
        private final CsvRowParser parser;
        private final boolean header;

        ParseSplit(CsvRowParser parser, boolean header) {
            this.parser = parser;
            this.header = header;
        }

        @Override
        public Iterator<double[]> call(Iterator<Row> lines) {
            return new Iterator<>() {
                private String file;
                private long splitStart = -1;
                private long ordinal;
                private double[] next;

                @Override
                public boolean hasNext() {
                    while (next == null && lines.hasNext()) {
                        Row row = lines.next();
                        String rowFile = row.getString(1);
                        long rowStart = row.getLong(2);
                        if (rowStart != splitStart || !rowFile.equals(file)) {
                            file = rowFile;
                            splitStart = rowStart;
                            ordinal = 0;
                        } else {
                            ordinal++;
                        }
                        String text = row.getString(0);
                        if ((header && splitStart == 0 && ordinal == 0) || text.isBlank()) {
                            continue;
                        }
                        double[] parsed = new double[parser.features() + 1];
                        try {
                            parsed[parser.features()] = parser.parse(text, parsed);
                        } catch (IllegalArgumentException e) {
                            throw new BadRowException(file, splitStart, ordinal, e.getMessage());
                        }
                        next = parsed;
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
    }
}
