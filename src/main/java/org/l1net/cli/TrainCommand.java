package org.l1net.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.l1net.data.CacheInfo;
import org.l1net.data.Datasets;
import org.l1net.data.LabeledBlocks;
import org.l1net.data.OnBadRows;
import org.l1net.data.ReadOptions;
import org.l1net.data.TableSpec;
import org.l1net.data.TrainingData;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;
import org.l1net.model.Versions;
import org.l1net.nn.Topology;
import org.l1net.report.RunFiles;
import org.l1net.report.TrainReport;
import org.l1net.train.Checkpoint;
import org.l1net.train.CheckpointStore;
import org.l1net.train.DistributedObjective;
import org.l1net.train.EpochMetrics;
import org.l1net.train.TrainConfig;
import org.l1net.train.Trainer;
import org.l1net.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code l1net train}: reads the data, trains, writes model.json, metrics.csv and summary.json. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a classifier with L1 regularization on Spark.")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--train", required = true, description = "Training data (a file, directory or glob of --format).")
    String trainPath;

    @Option(names = "--test", description = "Test data, evaluated every --eval-every epochs (default: none).")
    String testPath;

    @Option(names = "--out", required = true, description = "Run folder for model.json, metrics.csv, summary.json.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the files of an earlier run in --out (default: off).")
    boolean overwrite;

    @Mixin
    ModelOptions network;

    @Option(names = "--l1", defaultValue = "0.01", description = "L1 strength lambda in mean loss + lambda * sum|w| (default: ${DEFAULT-VALUE}).")
    double l1;

    @Mixin
    PenaltyOptions penalty;

    @Option(names = "--eval-every", defaultValue = "1", description = "Evaluate the test set every N epochs (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Write the whole training state to "
            + "--out/checkpoints every N epochs; 0 is never (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Go on from the newest valid checkpoint in --out/checkpoints (default: off).")
    boolean resume;

    @Option(names = "--patience", defaultValue = "0", description = "Stop when --patience-on has not improved for N epochs; "
            + "model.json is then the best epoch's model, model-last.json the last; 0 is never (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--patience-on", defaultValue = "test-loss",
            description = "Early-stopping metric: test-loss or test-accuracy (default: ${DEFAULT-VALUE}).")
    String patienceOn;

    @Mixin
    TrainingDataOptions prep;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        TrainConfig config = network.config(penalty, l1, common, evalEvery, checkpointEvery, patience, patienceOn);
        if (testPath != null && prep.splits()) {
            throw new IllegalArgumentException("--validation-fraction splits a test set off the training data: "
                    + "give it or --test, not both");
        }
        prep.check();
        if (patience > 0 && testPath == null && !prep.splits()) {
            throw new IllegalArgumentException("--patience needs a --test set to watch");
        }
        ReadOptions readOptions = common.readOptions();
        network.layerSizes(); // a bad --layers or --hidden fails here, before Spark starts
        network.hiddenSizes();
        checkRunFolder();

        SparkSession spark = SparkSessions.create("l1net train", common.master, common.verbose);
        LabeledBlocks train = null;
        LabeledBlocks test = null;
        try {
            TrainingInputs inputs = TrainingInputs.read(spark, trainPath, readOptions, network, config, prep);
            TrainingData data = inputs.data();
            TableSpec trainSpec = inputs.trainSpec();
            Topology topology = inputs.topology();
            train = data.train();
            test = data.validation();
            removeOldCheckpoints();
            if (testPath != null) {
                test = inputs.readLike(spark, testPath, readOptions);
            }
            console.printf(Locale.ROOT, "l1net %s: %s network, %d parameters (%d weights); %d training rows in %d partitions%s%n",
                    Versions.l1net(), topology.describe(), topology.parameterCount(), topology.weightCount(), train.rows(),
                    train.partitions(), test == null ? "" : ", " + test.rows() + (testPath == null ? " validation rows" : " test rows"));
            printSkipped(console, readOptions, train, test);
            console.printf(Locale.ROOT, "optimizer %s, l1 %s (%s), %d epochs, Spark %s %s%n", describeOptimizer(config), l1,
                    config.optimizer().equals("lbfgs") ? (l1 > 0 ? "OWL-QN" : "none") : config.l1Mode(), config.epochs(), spark.version(),
                    spark.sparkContext().master());
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            // The count the trainer's DistributedObjective reads, so the line describes the passes it runs.
            int blockPartitions = train.blocks().getNumPartitions();
            int depth = DistributedObjective.depthFor(context, blockPartitions, topology.parameterCount(), config.aggregationDepth());
            console.printf(Locale.ROOT, "gradient sums: treeAggregate depth %d%s, %s%n", depth,
                    config.aggregationDepth() == TrainConfig.AUTO_DEPTH ? " (auto)" : "",
                    DistributedObjective.describeAggregation(blockPartitions, depth));
            // Spark's own figures for the cached training blocks: part of them is on disk when memory is short.
            console.println("cached training blocks: " + CacheInfo.of(spark.sparkContext(), train).describe());

            CheckpointStore checkpoints = new CheckpointStore(out);
            Checkpoint resumeFrom = resume ? newestCheckpoint(checkpoints, config, topology, train) : null;
            if (resumeFrom != null) {
                console.printf(Locale.ROOT, "resuming from %s: epoch %d, %d passes so far%n",
                        checkpoints.directory().resolve(String.format(Locale.ROOT, "epoch-%06d.ckpt", resumeFrom.epoch())),
                        resumeFrom.epoch(), resumeFrom.passes());
                console.println(RunFiles.progressLine(resumeFrom.history().get(resumeFrom.history().size() - 1), config.epochs()));
            }
            TrainingResult result = new Trainer(context)
                    .train(config, topology, train, test, checkpointEvery > 0 ? checkpoints : null, resumeFrom,
                            m -> console.println(RunFiles.progressLine(m, config.epochs())));
            // Reading a block from disk puts it back in memory when there is room, so the figures can change.
            console.println("cached training blocks at the end: " + CacheInfo.of(spark.sparkContext(), train).describe());

            Files.createDirectories(out);
            L1NetModel last = inputs.model(result.parameters(), config, provenance(spark, trainSpec, depth));
            L1NetModel model = last;
            if (result.bestParameters() != null) {
                model = inputs.model(result.bestParameters(), config, provenance(spark, trainSpec, depth));
                ModelFormat.write(last, out.resolve("model-last.json"));
            }
            ModelFormat.write(model, out.resolve("model.json"));
            RunFiles.write(out, result);
            TrainReport.write(out, model, result);
            printSummary(console, result);
            return 0;
        } finally {
            if (train != null) {
                train.release();
            }
            if (test != null) {
                test.release();
            }
            spark.stop();
        }
    }

    private static String describeOptimizer(TrainConfig c) {
        String batches = c.batchFraction() < 1.0
                ? String.format(Locale.ROOT, ", mini-batches of %s (%d steps per epoch)", c.batchFraction(), c.stepsPerEpoch()) : "";
        return switch (c.optimizer()) {
            case "lbfgs" -> "lbfgs memory " + c.lbfgsMemory() + " tol " + c.tolerance();
            case "sgd" -> "sgd lr " + c.learningRate() + " momentum " + c.momentum() + batches;
            default -> c.optimizer() + " lr " + c.learningRate() + batches;
        };
    }

    private void checkRunFolder() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a folder");
        }
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume goes on with the run in --out, --overwrite starts it again: give one");
        }
        if (resume) {
            return;
        }
        if (!overwrite && (Files.exists(out.resolve("model.json")) || Files.exists(out.resolve("summary.json")))) {
            throw new IllegalArgumentException("--out " + out + " already holds a run; choose another folder or add --overwrite");
        }
        CheckpointStore checkpoints = new CheckpointStore(out);
        if (!checkpoints.list().isEmpty()) {
            if (!overwrite) {
                throw new IllegalArgumentException("--out " + out + " holds the checkpoints of an unfinished run; add --resume "
                        + "to go on with it, or --overwrite to start again");
            }
        }
    }

    /** The newest checkpoint that reads back whole and fits this run, or null (with a warning) when there is none. */
    private Checkpoint newestCheckpoint(CheckpointStore checkpoints, TrainConfig config, Topology topology,
                                        LabeledBlocks train) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Checkpoint> found = checkpoints.newestValid(warning -> err.println("l1net train: warning: " + warning));
        if (found.isEmpty()) {
            err.println("l1net train: warning: --resume: no valid checkpoint in " + checkpoints.directory()
                    + "; starting from epoch 0");
            return null;
        }
        found.get().checkResumableBy(Trainer.fingerprint(config, topology, train));
        return found.get();
    }

    /** An --overwrite run starts with no checkpoints of the run it replaces; called once the data has been read. */
    private void removeOldCheckpoints() throws IOException {
        if (overwrite) {
            for (Path old : new CheckpointStore(out).list()) {
                Files.deleteIfExists(old);
            }
        }
    }

    /** With --on-bad-rows skip: how many rows each set left out, and the first of them. */
    private static void printSkipped(PrintWriter console, ReadOptions options, LabeledBlocks train, LabeledBlocks test) {
        if (options.onBadRows() == OnBadRows.SKIP) {
            console.println("training data: " + Datasets.skippedMessage(train.skippedRows(), train.firstSkipped()));
            if (test != null && !test.derivation().contains("validation")) {
                console.println("test data: " + Datasets.skippedMessage(test.skippedRows(), test.firstSkipped()));
            }
        }
    }

    /** @param depth the treeAggregate depth the passes used: the configuration may say only "auto" */
    private Map<String, Object> provenance(SparkSession spark, TableSpec trainSpec, int depth) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("seed", penalty.seed);
        p.put("trainData", trainPath);
        p.put("testData", testPath);
        p.put("format", trainSpec.format().cliName());
        prep.putProvenance(p);
        p.put("l1netVersion", Versions.l1net());
        p.put("sparkVersion", spark.version());
        p.put("javaVersion", System.getProperty("java.version"));
        p.put("master", spark.sparkContext().master());
        p.put("aggregationDepth", depth);
        p.put("createdAt", Instant.now().toString());
        return p;
    }

    private void printSummary(PrintWriter out, TrainingResult result) {
        EpochMetrics last = result.last();
        out.printf(Locale.ROOT, "done: train %.4f%s  loss %.4f  l1 %.4f  objective %.4f  nonzero %d/%d (%.1f%% zero)  "
                        + "%d passes in %.1fs%n",
                last.trainAccuracy(), last.hasTest() ? String.format(Locale.ROOT, "  test %.4f", last.testAccuracy()) : "",
                last.dataLoss(), last.l1Penalty(), last.objective(), last.nonzeroWeights(), last.totalWeights(),
                100.0 * (last.totalWeights() - last.nonzeroWeights()) / last.totalWeights(), result.passes(), result.seconds());
        switch (result.stopReason()) {
            case "converged" -> out.printf(Locale.ROOT, "stopped at epoch %d: the objective fell by less than --tol %s%n",
                    last.epoch(), network.tolerance);
            case "no-descent" -> out.printf(Locale.ROOT, "stopped after epoch %d: the line search found no lower objective "
                    + "(a minimum, to the precision of the passes)%n", last.epoch());
            case "patience" -> out.printf(Locale.ROOT, "stopped at epoch %d: %s has not improved for %d epochs%n",
                    last.epoch(), patienceOn, patience);
            default -> { }
        }
        if (result.bestParameters() != null) {
            EpochMetrics best = result.best();
            out.printf(Locale.ROOT, "best epoch %d by %s: train %.4f  test %.4f  test loss %.4f  nonzero %d/%d%n",
                    best.epoch(), patienceOn, best.trainAccuracy(), best.testAccuracy(), best.testLoss(),
                    best.nonzeroWeights(), best.totalWeights());
            out.println("wrote " + this.out.resolve("model.json") + " (best epoch), model-last.json, metrics.csv, summary.json, "
                    + TrainReport.FILE);
        } else {
            out.println("wrote " + this.out.resolve("model.json") + ", metrics.csv, summary.json, " + TrainReport.FILE);
        }
    }
}
