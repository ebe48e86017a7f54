package org.l1net.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.l1net.data.SyntheticData;
import org.l1net.data.SyntheticTables;
import org.l1net.model.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code l1net generate}: the article's synthetic data, DIR/train.csv and DIR/test.csv written by this
 * JVM, or with {@code --format parquet} DIR/train.parquet and DIR/test.parquet written by Spark's
 * executors, each filling its own range of rows.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write article-style synthetic data: uniform inputs, labels from a random teacher network.")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Folder for train.csv and test.csv (or train.parquet and test.parquet).")
    Path out;

    @Option(names = "--format", defaultValue = "csv", description = "csv (written by this process) or parquet "
            + "(folders of part files, written by Spark's executors; for large row counts) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Parquet: partitions (part files) per split; 0 = Spark's default parallelism. The rows do not "
                    + "depend on it (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--master", description = "Parquet: Spark master URL (default: local[*], or what spark-submit set).")
    String master;

    @Option(names = "--verbose", description = "Parquet: show Spark's INFO logging (default: off).")
    boolean verbose;

    @Option(names = "--train-rows", defaultValue = "200", description = "Training rows (default: ${DEFAULT-VALUE}).")
    long trainRows;

    @Option(names = "--test-rows", defaultValue = "40", description = "Test rows (default: ${DEFAULT-VALUE}).")
    long testRows;

    @Option(names = "--features", defaultValue = "10", description = "Input features (default: ${DEFAULT-VALUE}).")
    int features;

    @Option(names = "--classes", defaultValue = "4", description = "Classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--teacher-hidden", defaultValue = "8", description = "Hidden units of the teacher (default: ${DEFAULT-VALUE}).")
    int teacherHidden;

    @Option(names = "--teacher-scale", defaultValue = "2.0",
            description = "Teacher weights are uniform in [-s, s] (default: ${DEFAULT-VALUE}).")
    double teacherScale;

    @Option(names = "--noise", defaultValue = "0.1", description = "Fraction of labels replaced at random (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the teacher and the rows (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (trainRows < 1 || testRows < 0) {
            throw new IllegalArgumentException("--train-rows must be >= 1 and --test-rows >= 0");
        }
        String kind = format.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("csv") && !kind.equals("parquet")) {
            throw new IllegalArgumentException("--format must be csv or parquet, got '" + format + "'");
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
        }
        SyntheticData data = new SyntheticData(features, classes, teacherHidden, teacherScale, noise, seed);
        if (kind.equals("parquet")) {
            return writeParquet(data);
        }
        AtomicFiles.write(out.resolve("train.csv"), stream -> data.writeCsv(SyntheticData.TRAIN_SPLIT, trainRows, stream));
        AtomicFiles.write(out.resolve("test.csv"), stream -> data.writeCsv(SyntheticData.TEST_SPLIT, testRows, stream));
        PrintWriter w = spec.commandLine().getOut();
        w.printf("wrote %d training rows to %s and %d test rows to %s%n", trainRows, out.resolve("train.csv"),
                testRows, out.resolve("test.csv"));
        return 0;
    }

    private int writeParquet(SyntheticData data) {
        SparkSession spark = SparkSessions.create("l1net generate", master, verbose);
        try {
            int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
            Path train = out.resolve("train.parquet");
            Path test = out.resolve("test.parquet");
            SyntheticTables.rows(spark, data, SyntheticData.TRAIN_SPLIT, trainRows, parts)
                    .write().mode(SaveMode.Overwrite).parquet(train.toString());
            SyntheticTables.rows(spark, data, SyntheticData.TEST_SPLIT, testRows, parts)
                    .write().mode(SaveMode.Overwrite).parquet(test.toString());
            spec.commandLine().getOut().printf("wrote %d training rows to %s and %d test rows to %s (%d partitions)%n",
                    trainRows, train, testRows, test, parts);
            return 0;
        } finally {
            spark.stop();
        }
    }
}
