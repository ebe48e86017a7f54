package org.l1net.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.l1net.data.Datasets;
import org.l1net.data.LabeledBlocks;
import org.l1net.data.OnBadRows;
import org.l1net.data.ReadOptions;
import org.l1net.data.TableReader;
import org.l1net.data.TableSpec;
import org.l1net.model.ConfusionAggregator;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code l1net evaluate}: accuracy, mean loss and the confusion matrix of a model on labeled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a saved model on labeled data.")
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "A model.json written by train.")
    Path modelFile;

    @Option(names = "--data", required = true, description = "Labeled data (a file, directory or glob of --format).")
    String dataPath;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        L1NetModel model = ModelFormat.read(modelFile);
        SparkSession spark = SparkSessions.create("l1net evaluate", common.master, common.verbose);
        LabeledBlocks data = null;
        try {
            ReadOptions options = common.readOptions();
            TableReader reader = Datasets.reader(spark, dataPath, options);
            TableSpec tableSpec = reader.inspectLike(spark, dataPath, options,
                    new TableReader.Expected(model.featureNames(), model.classNames()), false);
            data = Datasets.readLabeled(spark, reader, tableSpec, options, model.classCount(), model.standardizer());
            if (options.onBadRows() == OnBadRows.SKIP) {
                out.println(Datasets.skippedMessage(data.skippedRows(), data.firstSkipped()));
            }
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Broadcast<L1NetModel> shared = context.broadcast(model);
            int classes = model.classCount();
            ConfusionAggregator result = data.blocks().treeAggregate(new ConfusionAggregator(classes),
                    (agg, block) -> agg.add(block, shared.value()), ConfusionAggregator::merge, 2);
            shared.destroy();
            out.printf(Locale.ROOT, "rows %d  accuracy %.4f  mean loss (%s) %.6f%n", result.rows(), result.accuracy(),
                    model.topology().loss().cliName(), result.meanLoss());
            out.println("confusion matrix (rows: true class, columns: predicted class)");
            long[][] m = result.matrix();
            // columns as wide as the longest class name needs ("pred 0" at the least, as before)
            int width = 9;
            for (int c = 0; c < classes; c++) {
                width = Math.max(width, model.className(c).length() + 7);
            }
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%" + (width - 1) + "s", ""));
            for (int c = 0; c < classes; c++) {
                head.append(String.format(Locale.ROOT, "%" + width + "s", "pred " + model.className(c)));
            }
            out.println(head);
            for (int t = 0; t < classes; t++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%" + (width - 1) + "s",
                        "true " + model.className(t)));
                for (int p = 0; p < classes; p++) {
                    row.append(String.format(Locale.ROOT, "%" + width + "d", m[t][p]));
                }
                out.println(row);
            }
            return 0;
        } finally {
            if (data != null) {
                data.release();
            }
            spark.stop();
        }
    }
}
