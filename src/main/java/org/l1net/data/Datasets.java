package org.l1net.data;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The one path from any format's rows to cached blocks: rows are keyed by a hash of their values,
 * hash-partitioned and sorted by it, optionally split into training and validation rows by that hash,
 * optionally standardized, packed into float32 blocks, cached (MEMORY_AND_DISK) and counted. The blocks
 * are therefore a function of the data and the partition count alone, whatever the format, the file
 * splits or the cluster.
 */
public final class Datasets {
    private Datasets() {
    }

    /** The reader of a format. */
    public static TableReader reader(InputFormat format) {
        return switch (format) {
            case CSV -> CsvReader.INSTANCE;
            case LIBSVM -> LibsvmReader.INSTANCE;
            case PARQUET, JSON, ORC -> new FrameReader(format);
        };
    }

    /**
     * The format of {@code path}: {@code options.format()} when given, else from the name of the path or of
     * its first data file (a directory or glob), else CSV.
     */
    public static InputFormat formatOf(SparkSession spark, String path, ReadOptions options) {
        if (options.format() != null) {
            return options.format();
        }
        InputFormat byName = InputFormat.fromFileName(stripSlash(path));
        if (byName != null) {
            return byName;
        }
        InputFormat byFile = InputFormat.fromFileName(
                DataFiles.list(spark.sparkContext().hadoopConfiguration(), path).get(0).getName());
        return byFile != null ? byFile : InputFormat.CSV;
    }

    /**
     * The reader for {@code path} (see {@link #formatOf}). Options the format has no use for are refused
     * rather than ignored.
     */
    public static TableReader reader(SparkSession spark, String path, ReadOptions options) {
        InputFormat format = formatOf(spark, path, options);
        if (options.features() != null && (format == InputFormat.CSV || format == InputFormat.LIBSVM)) {
            throw new IllegalArgumentException("--features chooses columns of Parquet, JSON or ORC data; " + path
                    + " is read as " + format.cliName() + ", whose features are every column but the label");
        }
        if (options.numFeatures() > 0 && format == InputFormat.CSV) {
            throw new IllegalArgumentException("--num-features is for LIBSVM data and vector or array columns; " + path
                    + " is read as csv, whose features are every column but the label");
        }
        return reader(format);
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Reads training data in one shuffle: the rows that {@link RowHash#inValidation} puts in the
     * validation share (when {@code validationFraction} > 0) become the validation set, the rest the
     * training set; with {@code standardize}, the training rows' mean and standard deviation are
     * computed first (one more pass over the shuffled rows, not over the input) and applied to both.
     * Nothing is left cached when it fails.
     *
     * @param classes K when known, 0 to learn it from the data
     */
    public static TrainingData readTraining(SparkSession spark, TableReader reader, TableSpec spec, ReadOptions options,
                                            int classes, boolean standardize, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("--validation-fraction must be in [0, 1), got " + validationFraction);
        }
        requireLabel(spec);
        BadRowTally tally = tally(spark, options);
        int partitions = partitions(spark, options);
        JavaPairRDD<Long, double[]> sorted = sortedByHash(reader.rows(spark, spec, options, classes, tally), partitions);
        JavaRDD<double[]> trainRows = validationFraction > 0
                ? sorted.filter(t -> !RowHash.inValidation(t._1(), seed, validationFraction)).values()
                : sorted.values();
        Standardizer standardizer = standardize
                ? withRowLocations(spark, () -> Standardizer.fit(trainRows, spec.features())) : null;
        String derivation = (standardize ? "standardized" : "")
                + (validationFraction > 0 ? (standardize ? "," : "") + "validation-fraction=" + validationFraction
                + ",seed=" + seed : "");
        LabeledBlocks train = cache(spark, trainRows, spec, options, partitions, standardizer, tally, derivation,
                "data rows");
        if (validationFraction == 0) {
            return new TrainingData(train, null, standardizer);
        }
        try {
            JavaRDD<double[]> validationRows =
                    sorted.filter(t -> RowHash.inValidation(t._1(), seed, validationFraction)).values();
            LabeledBlocks validation = cache(spark, validationRows, spec, options, partitions, standardizer, null,
                    derivation, "validation rows (--validation-fraction " + validationFraction + ")");
            return new TrainingData(train, validation, standardizer);
        } catch (RuntimeException e) {
            train.release();
            throw e;
        }
    }

    /**
     * Reads labeled data (a test set, or data to evaluate), standardized with {@code standardizer} when
     * it is not null, into cached blocks.
     */
    public static LabeledBlocks readLabeled(SparkSession spark, TableReader reader, TableSpec spec, ReadOptions options,
                                            int classes, Standardizer standardizer) {
        requireLabel(spec);
        BadRowTally tally = tally(spark, options);
        int partitions = partitions(spark, options);
        JavaRDD<double[]> rows = sortedByHash(reader.rows(spark, spec, options, classes, tally), partitions).values();
        return cache(spark, rows, spec, options, partitions, standardizer, tally, "", "data rows");
    }

    /**
     * The rows in the files' order, packed into blocks, for scoring: no shuffle, not cached. Labels are
     * -1 when the data has no label column. Errors surface when the RDD is consumed, through
     * {@link #withRowLocations}; skipped rows are counted in {@code tally} (null: fail on them).
     */
    public static JavaRDD<DataBlock> readInOrder(SparkSession spark, TableReader reader, TableSpec spec,
                                                 ReadOptions options, int classes, Standardizer standardizer,
                                                 BadRowTally tally) {
        int features = spec.features();
        int blockRows = options.blockRowsFor(features);
        return reader.rows(spark, spec, options, classes, tally)
                .mapPartitions(rows -> new BlockPacker(rows, features, blockRows, standardizer));
    }

    /** A registered tally when bad rows are skipped, else null. */
    public static BadRowTally tally(SparkSession spark, ReadOptions options) {
        if (options.onBadRows() != OnBadRows.SKIP) {
            return null;
        }
        BadRowTally tally = new BadRowTally();
        spark.sparkContext().register(tally, "l1net skipped rows");
        return tally;
    }

    private static void requireLabel(TableSpec spec) {
        if (!spec.hasLabel()) {
            throw new IllegalArgumentException(spec.path() + " has no label column");
        }
    }

    private static int partitions(SparkSession spark, ReadOptions options) {
        return options.partitions() > 0 ? options.partitions() : spark.sparkContext().defaultParallelism();
    }

    private static JavaPairRDD<Long, double[]> sortedByHash(JavaRDD<double[]> rows, int partitions) {
        return rows.mapToPair(row -> new Tuple2<>(RowHash.of(row), row))
                .repartitionAndSortWithinPartitions(new HashPartitioner(partitions));
    }

    /** Packs, caches and counts in one pass; nothing stays cached when it fails. */
    private static LabeledBlocks cache(SparkSession spark, JavaRDD<double[]> rows, TableSpec spec, ReadOptions options,
                                       int partitions, Standardizer standardizer, BadRowTally tally, String derivation,
                                       String what) {
        int features = spec.features();
        int blockRows = options.blockRowsFor(features);
        JavaRDD<DataBlock> blocks = rows.mapPartitions(r -> new BlockPacker(r, features, blockRows, standardizer));
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long[] stats = withRowLocations(spark, () -> blocks
                    .map(b -> new long[] {b.rows(), maxLabel(b)})
                    .fold(new long[] {0, -1}, (a, b) -> new long[] {a[0] + b[0], Math.max(a[1], b[1])}));
            if (stats[0] == 0) {
                throw new InputException(spec.path() + ": no " + what
                        + (spec.hasHeader() ? " after the header" : "")
                        + (tally != null && tally.count() > 0 ? " (" + skippedMessage(spark, tally) + ")" : ""));
            }
            return new LabeledBlocks(blocks, spec, stats[0], (int) stats[1], partitions,
                    tally == null ? 0 : tally.count(), tally == null ? null : firstSkipped(spark, tally), derivation);
        } catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
    }

    private static long maxLabel(DataBlock block) {
        int max = -1;
        for (int label : block.labels()) {
            max = Math.max(max, label);
        }
        return max;
    }

    /** Where the first skipped row is and what was wrong with it, or null when none was skipped. */
    public static String firstSkipped(SparkSession spark, BadRowTally tally) {
        RuntimeException first = tally.first();
        return first == null ? null : located(spark.sparkContext().hadoopConfiguration(), first).getMessage();
    }

    /** "skipped N bad rows (the first: ...)", or "no bad rows". */
    public static String skippedMessage(SparkSession spark, BadRowTally tally) {
        return skippedMessage(tally.count(), firstSkipped(spark, tally));
    }

    /** "skipped N bad rows (the first: ...)". */
    public static String skippedMessage(long count, String first) {
        return String.format(Locale.ROOT, "skipped %d bad row%s%s", count, count == 1 ? "" : "s",
                first == null ? "" : " (the first: " + first + ")");
    }

    /**
     * Runs a Spark action; when a task failed on a bad row, rethrows it as an {@link InputException}
     * that names the file and the row (the 1-based line for the line formats).
     */
    public static <T> T withRowLocations(SparkSession spark, Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) {
            // Not RuntimeException: Scala throws the checked SparkException that wraps a failed task's
            // error without declaring it. Whatever is not a bad row is rethrown as it came.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BadRowException || t instanceof BadRecordException) {
                    throw located(spark.sparkContext().hadoopConfiguration(), (RuntimeException) t);
                }
            }
            throw e;
        }
    }

    private static InputException located(Configuration conf, RuntimeException badRow) {
        if (badRow instanceof BadRecordException bad) {
            return new InputException(display(bad.file()) + ": " + bad.row() + ": " + bad.reason());
        }
        BadRowException bad = (BadRowException) badRow;
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
}
