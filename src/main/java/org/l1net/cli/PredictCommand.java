package org.l1net.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.l1net.data.CsvReader;
import org.l1net.data.DataBlock;
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
 * the class probabilities. Scoring runs on the executors; the driver streams the rows, partition
 * by partition, into one CSV file that appears atomically.
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

    @Option(names = "--out", required = true, description = "The CSV file to write: prediction,prob_0,...,prob_(K-1).")
    Path outFile;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        L1NetModel model = ModelFormat.read(modelFile);
        SparkSession spark = SparkSessions.create("l1net predict", common.master, common.verbose);
        try {
            TableSpec tableSpec = CsvReader.inspectLike(spark, dataPath, common.readOptions(),
                    model.topology().inputSize(), true);
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Broadcast<L1NetModel> shared = context.broadcast(model);
            int classes = model.classCount();
            Iterator<String> lines = CsvReader.readInOrder(spark, tableSpec, common.readOptions(), classes)
                    .mapPartitions(blocks -> scoreLines(blocks, shared.value()))
                    .toLocalIterator();
            long[] rows = {0};
            CsvReader.withRowLocations(spark, () -> {
                try {
                    AtomicFiles.write(outFile, stream -> {
                        StringBuilder head = new StringBuilder("prediction");
                        for (int c = 0; c < classes; c++) {
                            head.append(",prob_").append(c);
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
            shared.destroy();
            out.println("wrote " + rows[0] + " predictions to " + outFile);
            return 0;
        } finally {
            spark.stop();
        }
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
                    sb.append(ConfusionAggregator.argmax(p, r * classes, classes));
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
