package org.l1net.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.collection.immutable.ArraySeq;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.l1net.data.BadRowTally;
import org.l1net.data.DataBlock;
import org.l1net.data.Datasets;
import org.l1net.data.ReadOptions;
import org.l1net.data.TableReader;
import org.l1net.data.TableSpec;
import org.l1net.model.AtomicFiles;
import org.l1net.model.ConfusionAggregator;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code l1net predict}: one output row per input row, in input order: the predicted class and
 * the class probabilities. Scoring runs on the executors; for CSV the driver streams the rows, partition
 * by partition, into one file that appears atomically; Parquet is written by the executors.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score data with a saved model.")
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "A model.json written by train.")
    Path modelFile;

    @Option(names = "--data", required = true, description = "Rows to score: the features, with or without a label column.")
    String dataPath;

    @Option(names = "--out", required = true, description = "The file to write: CSV prediction,prob_0,...,prob_(K-1) "
            + "(class names instead of indices when the labels were names), or a Parquet folder.")
    Path outFile;

    @Option(names = "--out-format", defaultValue = "auto", description = "csv, parquet (columns prediction and probability, "
            + "written by the executors), or auto: parquet when --out ends with .parquet (default: ${DEFAULT-VALUE}).")
    String outFormat;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        L1NetModel model = ModelFormat.read(modelFile);
        boolean parquet = parquetOut();
        if (parquet && Files.exists(outFile) && !Files.exists(outFile.resolve("_SUCCESS"))) {
            throw new IllegalArgumentException("--out " + outFile + " exists and is not an earlier Parquet output "
                    + "(no _SUCCESS file); choose a new folder");
        }
        SparkSession spark = SparkSessions.create("l1net predict", common.master, common.verbose);
        try {
            ReadOptions options = common.readOptions();
            TableReader reader = Datasets.reader(spark, dataPath, options);
            TableSpec tableSpec = reader.inspectLike(spark, dataPath, options,
                    new TableReader.Expected(model.featureNames(), model.classNames()), true);
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Broadcast<L1NetModel> shared = context.broadcast(model);
            BadRowTally tally = Datasets.tally(spark, options);
            JavaRDD<DataBlock> blocks = Datasets.readInOrder(spark, reader, tableSpec, options, model.classCount(),
                    model.standardizer(), tally);
            long rows = parquet ? writeParquet(spark, blocks, shared, model) : writeCsv(spark, blocks, shared, model);
            shared.destroy();
            if (tally != null) {
                out.println(Datasets.skippedMessage(spark, tally) + "; they have no prediction");
            }
            out.println("wrote " + rows + " predictions to " + outFile);
            return 0;
        } finally {
            spark.stop();
        }
    }

    private boolean parquetOut() {
        return switch (outFormat.trim().toLowerCase(Locale.ROOT)) {
            case "parquet" -> true;
            case "csv" -> false;
            case "auto" -> outFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
            default -> throw new IllegalArgumentException("--out-format '" + outFormat + "': expected csv, parquet or auto");
        };
    }

    /** Streams the rows, partition by partition, through the driver into one CSV file that appears atomically. */
    private long writeCsv(SparkSession spark, JavaRDD<DataBlock> blocks, Broadcast<L1NetModel> shared, L1NetModel model) {
        int classes = model.classCount();
        Iterator<String> lines = blocks.mapPartitions(b -> scoreLines(b, shared.value())).toLocalIterator();
        long[] rows = {0};
        Datasets.withRowLocations(spark, () -> {
            try {
                AtomicFiles.write(outFile, stream -> {
                    StringBuilder head = new StringBuilder("prediction");
                    for (int c = 0; c < classes; c++) {
                        head.append(',').append(csvField("prob_" + model.className(c)));
                    }
                    stream.write(head.append('\n').toString().getBytes(StandardCharsets.UTF_8));
                    while (lines.hasNext()) {
                        String chunk = lines.next();
                        stream.write(chunk.getBytes(StandardCharsets.UTF_8));
                        rows[0] += chunk.chars().filter(ch -> ch == '\n').count();
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        return rows[0];
    }

    /**
     * Writes Parquet from the executors through a Dataset: "prediction" (the class name, or the class index
     * when the labels were indices) and "probability" (K doubles), one row per input row, the part files in
     * input order.
     */
    private long writeParquet(SparkSession spark, JavaRDD<DataBlock> blocks, Broadcast<L1NetModel> shared,
                              L1NetModel model) {
        boolean names = model.classNames() != null;
        StructType schema = new StructType()
                .add("prediction", names ? DataTypes.StringType : DataTypes.IntegerType, false)
                .add("probability", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        JavaRDD<Row> rows = blocks.mapPartitions(b -> scoreRows(b, shared.value()));
        Datasets.withRowLocations(spark, () -> {
            spark.createDataFrame(rows, schema).write().mode(SaveMode.Overwrite).parquet(outFile.toString());
            return null;
        });
        return spark.read().parquet(outFile.toString()).count();
    }

    /** A CSV field, quoted when it holds a comma, a quote or a line break. */
    static String csvField(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** One row per scored row: (prediction, probability). */
    private static Iterator<Row> scoreRows(Iterator<DataBlock> blocks, L1NetModel model) {
        L1NetModel.Scorer scorer = model.scorer();
        int classes = model.classCount();
        boolean names = model.classNames() != null;
        List<Row> buffer = new ArrayList<>();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                while (next >= buffer.size() && blocks.hasNext()) {
                    buffer.clear();
                    next = 0;
                    DataBlock block = blocks.next();
                    double[] p = scorer.probabilities(block.x(), block.rows());
                    for (int r = 0; r < block.rows(); r++) {
                        int best = ConfusionAggregator.argmax(p, r * classes, classes);
                        double[] probability = new double[classes];
                        for (int c = 0; c < classes; c++) {
                            probability[c] = p[r * classes + c];
                        }
                        buffer.add(RowFactory.create(names ? model.className(best) : (Object) best, ArraySeq.unsafeWrapArray(probability)));
                    }
                }
                return next < buffer.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return buffer.get(next++);
            }
        };
    }

    /** One text chunk per block: "class,p0,...,pK-1" per row. */
    private static Iterator<String> scoreLines(Iterator<DataBlock> blocks, L1NetModel model) {
        L1NetModel.Scorer scorer = model.scorer();
        int classes = model.classCount();
        List<String> chunks = new ArrayList<>();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return blocks.hasNext();
            }

            @Override
            public String next() {
                DataBlock block = blocks.next();
                double[] p = scorer.probabilities(block.x(), block.rows());
                StringBuilder sb = new StringBuilder(block.rows() * (8 + 20 * classes));
                for (int r = 0; r < block.rows(); r++) {
                    sb.append(csvField(model.className(ConfusionAggregator.argmax(p, r * classes, classes))));
                    for (int c = 0; c < classes; c++) {
                        sb.append(',').append(p[r * classes + c]);
                    }
                    sb.append('\n');
                }
                return sb.toString();
            }
        };
    }
}
