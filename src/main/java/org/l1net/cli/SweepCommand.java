package org.l1net.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.l1net.data.LabeledBlocks;
import org.l1net.data.ReadOptions;
import org.l1net.model.AtomicFiles;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;
import org.l1net.model.Versions;
import org.l1net.nn.Topology;
import org.l1net.report.ModelInspection;
import org.l1net.report.RunFiles;
import org.l1net.report.SweepReport;
import org.l1net.report.SweepRow;
import org.l1net.report.TrainReport;
import org.l1net.train.DistributedObjective;
import org.l1net.train.Evaluation;
import org.l1net.train.PathChoice;
import org.l1net.train.RegularizationPath;
import org.l1net.train.TrainConfig;
import org.l1net.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code l1net sweep}: a regularization path in one Spark application over data read and cached once;
 * lambda from large to small, each from the previous lambda's weights; chooses lambda on a validation set.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train along a regularization path (lambda large to small, warm starts) and choose lambda "
                + "on a validation set.")
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--train", required = true, description = "Training data (a file, directory or glob of --format).")
    String trainPath;

    @Option(names = "--validation", description = "Held-out labeled data on which lambda is chosen (a file, directory "
            + "or glob, read like --train); this or --validation-fraction (default: none).")
    String validationPath;

    @Mixin
    TrainingDataOptions prep;

    @Option(names = "--test", description = "Test data, evaluated only with the chosen models, at the end (default: none).")
    String testPath;

    @Option(names = "--out", required = true, description = "Sweep folder: sweep.csv, sweep.json, report.html, model.json "
            + "(the best lambda), model-1se.json and a folder per lambda.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the files of an earlier sweep in --out (default: off).")
    boolean overwrite;

    @Mixin
    ModelOptions network;

    @Option(names = "--l1", defaultValue = "auto", description = "auto (start at max |dLoss/dw| at the seeded weights, "
            + "then --steps log-spaced values down to --l1-min-ratio times it) or a list such as 0.1,0.03,0.01 "
            + "(default: ${DEFAULT-VALUE}).")
    String l1;

    @Option(names = "--steps", defaultValue = "10", description = "--l1 auto: lambdas on the path (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--l1-min-ratio", defaultValue = "1e-3",
            description = "--l1 auto: the smallest lambda as a fraction of the first (default: ${DEFAULT-VALUE}).")
    double minRatio;

    @Option(names = "--start", defaultValue = "warm", description = "warm (each lambda from the previous lambda's "
            + "weights) or cold (each from the seeded weights) (default: ${DEFAULT-VALUE}).")
    String start;

    @Mixin
    PenaltyOptions penalty;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        if (!start.equals("warm") && !start.equals("cold")) {
            throw new IllegalArgumentException("--start '" + start + "': expected warm or cold");
        }
        checkValidationSource();
        boolean auto = l1.trim().equalsIgnoreCase("auto");
        double[] lambdas = auto ? RegularizationPath.logGrid(1.0, minRatio, steps) : RegularizationPath.parseList(l1);
        // The validation set is evaluated once per lambda, after its last epoch: the choice needs no more.
        TrainConfig base = network.config(penalty, lambdas[0], common, Math.max(1, network.epochs), 0, 0, "test-loss");
        ReadOptions readOptions = common.readOptions();
        network.layerSizes(); // a bad --layers fails here, before Spark starts
        network.hiddenSizes();
        checkSweepFolder();

        SparkSession spark = SparkSessions.create("l1net sweep", common.master, common.verbose);
        LabeledBlocks train = null;
        LabeledBlocks validation = null;
        LabeledBlocks test = null;
        try {
            TrainingInputs inputs = TrainingInputs.read(spark, trainPath, readOptions, network, base, prep);
            Topology topology = inputs.topology();
            train = inputs.data().train();
            validation = inputs.data().validation();
            if (validationPath != null) {
                validation = inputs.readLike(spark, validationPath, readOptions);
            }
            if (testPath != null) {
                test = inputs.readLike(spark, testPath, readOptions);
            }
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            console.printf(Locale.ROOT, "l1net %s: %s network, %d parameters (%d weights); %d training rows in %d partitions, "
                    + "%d validation rows %s%s%n", Versions.l1net(), topology.describe(), topology.parameterCount(),
                    topology.weightCount(), train.rows(), train.partitions(), validation.rows(), validationSource(),
                    test == null ? "" : ", " + test.rows() + " test rows");
            if (auto) {
                double start = RegularizationPath.autoStart(context, base, topology, train);
                lambdas = RegularizationPath.logGrid(start, minRatio, steps);
                console.printf(Locale.ROOT, "lambda auto: starts at max |dLoss/dw| at the seeded weights = %.6g; %d steps down "
                        + "to %.6g%n", start, steps, lambdas[lambdas.length - 1]);
            }
            console.printf(Locale.ROOT, "%s, l1-mode %s, %d epochs per lambda, %s starts, %s, Spark %s %s%n",
                    base.optimizer().equals("lbfgs") ? "lbfgs (OWL-QN)" : base.optimizer() + " lr " + base.learningRate(),
                    base.l1Mode(), base.epochs(), start, prep.standardize ? "standardized inputs" : "inputs as read",
                    spark.version(), spark.sparkContext().master());
            console.println(SweepReport.tableHeader());

            Files.createDirectories(out);
            removeOldLambdaFolders();
            Map<String, Object> provenance = provenance(spark);
            // What the trainer's DistributedObjective resolves "auto" to for these blocks.
            provenance.put("aggregationDepth", DistributedObjective.depthFor(context, train.blocks().getNumPartitions(),
                    topology.parameterCount(), base.aggregationDepth()));
            List<SweepRow> rows = new ArrayList<>();
            List<L1NetModel> models = new ArrayList<>();
            List<RegularizationPath.Step> path = RegularizationPath.run(new Trainer(context), base, topology, train,
                    validation, lambdas, start.equals("warm"), (i, m) -> { }, step -> {
                        TrainConfig config = base.withL1(step.lambda());
                        Map<String, Object> p = new LinkedHashMap<>(provenance);
                        p.put("sweepIndex", step.index());
                        p.put("warmStart", step.warm() ? "lambda " + (step.index() - 1) : "seeded initialization");
                        L1NetModel model = inputs.model(step.result().parameters(), config, p);
                        String folder = String.format(Locale.ROOT, "lambda-%02d-%.4g", step.index(), step.lambda());
                        SweepRow row = SweepRow.of(step, ModelInspection.of(model), folder);
                        write(out.resolve(folder), model, step);
                        rows.add(row);
                        models.add(model);
                        console.println(SweepReport.tableLine(row));
                    });

            double[] accuracy = rows.stream().mapToDouble(SweepRow::validationAccuracy).toArray();
            long[] nonzero = rows.stream().mapToLong(SweepRow::nonzeroWeights).toArray();
            PathChoice choice = PathChoice.choose(accuracy, nonzero, validation.rows());
            Evaluation bestTest = null;
            Evaluation oneSeTest = null;
            if (test != null) {
                DistributedObjective testObjective = new DistributedObjective(context, test.blocks(), topology,
                        base.aggregationDepth());
                bestTest = testObjective.evaluate(path.get(choice.best()).result().parameters(), false);
                oneSeTest = testObjective.evaluate(path.get(choice.oneSe()).result().parameters(), false);
            }
            ModelFormat.write(models.get(choice.best()), out.resolve("model.json"));
            ModelFormat.write(models.get(choice.oneSe()), out.resolve("model-1se.json"));
            AtomicFiles.writeString(out.resolve(SweepReport.CSV), SweepReport.csv(rows, choice));
            AtomicFiles.writeString(out.resolve("sweep.json"), RunFiles.toJson(summary(rows, choice, train.rows(),
                    validation.rows(), bestTest, oneSeTest, auto)));
            SweepReport.page("l1net sweep: " + topology.describe() + " " + topology.activation().cliName() + ", "
                    + rows.size() + " lambdas", facts(topology, base, rows, choice, validation.rows(), bestTest, oneSeTest),
                    rows, choice).write(out.resolve(TrainReport.FILE));

            printChoice(console, "best", rows.get(choice.best()), bestTest);
            printChoice(console, "one-se", rows.get(choice.oneSe()), oneSeTest);
            console.printf(Locale.ROOT, "  (one standard error of the best validation accuracy: %.4f over %d rows)%n",
                    choice.standardError(), validation.rows());
            console.println("wrote " + out.resolve("model.json") + " (best), model-1se.json, sweep.csv, sweep.json, "
                    + TrainReport.FILE + " and " + rows.size() + " lambda-* folders");
            return 0;
        } finally {
            for (LabeledBlocks b : new LabeledBlocks[] {train, validation, test}) {
                if (b != null) {
                    b.release();
                }
            }
            spark.stop();
        }
    }

    private static void write(Path folder, L1NetModel model, RegularizationPath.Step step) {
        try {
            ModelFormat.write(model, folder.resolve("model.json"));
            AtomicFiles.writeString(folder.resolve("metrics.csv"), RunFiles.metricsCsv(step.result().history()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot write " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void printChoice(PrintWriter console, String which, SweepRow r, Evaluation test) {
        console.printf(Locale.ROOT, "%-7s lambda %.4g (#%d): validation %.4f  train %.4f  nonzero %d/%d  inputs %d/%d%s%n",
                which, r.lambda(), r.index(), r.validationAccuracy(), r.trainAccuracy(), r.nonzeroWeights(), r.totalWeights(),
                r.survivingInputs(), r.inputs(), test == null ? ""
                        : String.format(Locale.ROOT, "  test %.4f (loss %.4f)", test.accuracy(), test.meanLoss()));
    }

    private Map<String, Object> summary(List<SweepRow> rows, PathChoice choice, long trainingRows, long validationRows,
                                        Evaluation bestTest, Evaluation oneSeTest, boolean auto) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("lambdas", rows.stream().map(SweepRow::lambda).toList());
        s.put("auto_start", auto);
        s.put("training_rows", trainingRows);
        s.put("validation_rows", validationRows);
        // Where the validation rows came from: a file, or a share of the training data that the data, the
        // fraction and the seed fix (training_rows then excludes them), so the choice can be checked again.
        s.put("validation_data", validationPath);
        s.put("validation_fraction", prep.validationFraction);
        s.put("seed", penalty.seed);
        s.put("standardize", prep.standardize);
        s.put("standard_error", choice.standardError());
        s.put("best", choiceMap(rows.get(choice.best()), bestTest));
        s.put("one_se", choiceMap(rows.get(choice.oneSe()), oneSeTest));
        return s;
    }

    private static Map<String, Object> choiceMap(SweepRow r, Evaluation test) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", r.index());
        m.put("lambda", r.lambda());
        m.put("validation_accuracy", r.validationAccuracy());
        m.put("train_accuracy", r.trainAccuracy());
        m.put("nonzero_weights", r.nonzeroWeights());
        m.put("surviving_inputs", r.survivingInputs());
        m.put("test_accuracy", test == null ? null : test.accuracy());
        m.put("test_loss", test == null ? null : test.meanLoss());
        m.put("model", r.folder() + "/model.json");
        return m;
    }

    private Map<String, String> facts(Topology topology, TrainConfig base, List<SweepRow> rows, PathChoice choice,
                                      long validationRows, Evaluation bestTest, Evaluation oneSeTest) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("network", topology.describe() + ", " + topology.activation().cliName() + " hidden units, "
                + topology.loss().cliName() + " loss");
        f.put("path", String.format(Locale.ROOT, "%d lambdas from %.4g to %.4g, %d epochs each, each from %s", rows.size(),
                rows.get(0).lambda(), rows.get(rows.size() - 1).lambda(), base.epochs(),
                start.equals("warm") ? "the previous lambda's weights" : "the seeded weights"));
        f.put("best lambda", describe(rows.get(choice.best()), bestTest));
        f.put("one-SE lambda", describe(rows.get(choice.oneSe()), oneSeTest));
        f.put("standard error", String.format(Locale.ROOT, "%.4f (validation accuracy, %d rows)", choice.standardError(),
                validationRows));
        f.put("options", base.toMap().entrySet().stream().filter(e -> e.getValue() != null && !e.getKey().equals("l1"))
                .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse(""));
        f.put("data", "train " + trainPath + ", validation " + validationSource() + (testPath == null ? "" : ", test " + testPath));
        f.put("inputs", prep.standardize ? "standardized: each feature (x - mean) / std with the training rows' statistics, "
                + "stored in every model" : "as read (no --standardize)");
        return f;
    }

    private static String describe(SweepRow r, Evaluation test) {
        return String.format(Locale.ROOT, "%.4g (#%d): validation %.4f, train %.4f, %d of %d weights nonzero, %d of %d "
                + "inputs read%s", r.lambda(), r.index(), r.validationAccuracy(), r.trainAccuracy(), r.nonzeroWeights(),
                r.totalWeights(), r.survivingInputs(), r.inputs(),
                test == null ? "" : String.format(Locale.ROOT, "; test %.4f", test.accuracy()));
    }

    /** Lambda is chosen on rows from exactly one place: a file, or a share of the training data. */
    private void checkValidationSource() {
        prep.check();
        if (validationPath != null && prep.splits()) {
            throw new IllegalArgumentException("--validation and --validation-fraction both give the validation set: "
                    + "give one");
        }
        if (validationPath == null && !prep.splits()) {
            throw new IllegalArgumentException("sweep chooses lambda on a validation set: give --validation PATH or "
                    + "--validation-fraction f (a share of the training rows)");
        }
    }

    /** Where the validation rows came from, for the console and the report. */
    private String validationSource() {
        return validationPath != null ? "from " + validationPath : String.format(Locale.ROOT,
                "split off the training data (--validation-fraction %s, --seed %d)", prep.validationFraction, penalty.seed);
    }

    private void checkSweepFolder() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a folder");
        }
        if (!overwrite && (Files.exists(out.resolve("model.json")) || Files.exists(out.resolve(SweepReport.CSV)))) {
            throw new IllegalArgumentException("--out " + out + " already holds a run; choose another folder or add --overwrite");
        }
    }

    /** An --overwrite sweep leaves no lambda folder of the sweep it replaces (it may have had more lambdas). */
    private void removeOldLambdaFolders() throws IOException {
        List<Path> old;
        try (var listing = Files.list(out)) {
            old = listing.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("lambda-\\d+-.*")).toList();
        }
        for (Path folder : old) {
            for (String name : List.of("model.json", "metrics.csv")) {
                Files.deleteIfExists(folder.resolve(name));
            }
            try {
                Files.delete(folder);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                throw new IllegalArgumentException("--overwrite: " + folder + " holds files l1net did not write; "
                        + "remove them or choose another --out");
            }
        }
    }

    /** What every model of the sweep records of where it came from; the data keys are train's. */
    private Map<String, Object> provenance(SparkSession spark) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("seed", penalty.seed);
        p.put("trainData", trainPath);
        p.put("validationData", validationPath);
        p.put("testData", testPath);
        prep.putProvenance(p);
        p.put("l1netVersion", Versions.l1net());
        p.put("sparkVersion", spark.version());
        p.put("javaVersion", System.getProperty("java.version"));
        p.put("master", spark.sparkContext().master());
        p.put("createdAt", Instant.now().toString());
        return p;
    }
}
