package org.l1net.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.l1net.model.L1NetModel;
import org.l1net.nn.Topology;
import org.l1net.train.EpochMetrics;
import org.l1net.train.TrainingResult;

/**
 * {@code DIR/report.html} of a training run: the run's facts, the loss, objective, accuracy and
 * nonzero-fraction curves per epoch, the final |w| histogram, and for image-shaped inputs (a square
 * of at least 8 x 8) a picture of the inputs that keep weights.
 *
 * <p>The charts are hand-written SVG rather than a chart library's: five chart shapes need about 400
 * lines, the page stays one small file with no script, and the jar gains no dependency to shade.
 */
public final class TrainReport {
    public static final String FILE = "report.html";

    public static final String TRAIN_COLOR = "#1f77b4";
    public static final String TEST_COLOR = "#d62728";
    public static final String L1_COLOR = "#7f7f7f";

    private TrainReport() {
    }

    /** The ids of the charts a run's page holds, in page order. */
    public static List<String> chartIds(int inputs) {
        List<String> ids = new ArrayList<>(List.of("loss", "objective", "accuracy", "nonzero", "weights"));
        if (PixelMap.side(inputs) > 0) {
            ids.add("inputs");
        }
        return ids;
    }

    /** Writes {@code runDir/report.html} atomically. */
    public static void write(Path runDir, L1NetModel model, TrainingResult result) throws IOException {
        page(model, result.history(), result.passes(), result.seconds()).write(runDir.resolve(FILE));
    }

    public static HtmlPage page(L1NetModel model, List<EpochMetrics> history, long passes, double seconds) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("A run report needs at least one epoch of metrics");
        }
        ModelInspection inspection = ModelInspection.of(model, 20);
        Topology topology = model.topology();
        EpochMetrics last = history.get(history.size() - 1);
        HtmlPage page = new HtmlPage("l1net run: " + topology.describe() + " " + topology.activation().cliName()
                + ", l1 " + model.config().getOrDefault("l1", "?"));
        page.facts(facts(model, inspection, last, passes, seconds));

        int n = history.size();
        double[] epoch = new double[n];
        double[] trainLoss = new double[n];
        double[] testLoss = new double[n];
        double[] l1 = new double[n];
        double[] objective = new double[n];
        double[] testObjective = new double[n];
        double[] trainAccuracy = new double[n];
        double[] testAccuracy = new double[n];
        double[] nonzero = new double[n];
        boolean hasTest = false;
        for (int i = 0; i < n; i++) {
            EpochMetrics m = history.get(i);
            epoch[i] = m.epoch();
            trainLoss[i] = m.dataLoss();
            testLoss[i] = m.testLoss();
            l1[i] = m.l1Penalty();
            objective[i] = m.objective();
            testObjective[i] = m.testLoss() + m.l1Penalty();
            trainAccuracy[i] = m.trainAccuracy();
            testAccuracy[i] = m.testAccuracy();
            nonzero[i] = m.totalWeights() == 0 ? 0 : (double) m.nonzeroWeights() / m.totalWeights();
            hasTest |= m.hasTest();
        }
        String loss = topology.loss().cliName();
        page.heading("Training curves");
        LineChart lossChart = new LineChart("Data loss (" + loss + ")", "epoch", "mean loss").add("train", epoch, trainLoss, TRAIN_COLOR);
        LineChart objectiveChart = new LineChart("Objective: loss + lambda * sum |w|", "epoch", "objective")
                .add("train", epoch, objective, TRAIN_COLOR);
        LineChart accuracyChart = new LineChart("Accuracy", "epoch", "accuracy").yRange(0, 1)
                .add("train", epoch, trainAccuracy, TRAIN_COLOR);
        if (hasTest) {
            lossChart.add("test", epoch, testLoss, TEST_COLOR);
            objectiveChart.add("test", epoch, testObjective, TEST_COLOR);
            accuracyChart.add("test", epoch, testAccuracy, TEST_COLOR);
        }
        objectiveChart.addDashed("L1 term", epoch, l1, L1_COLOR);
        String testNote = hasTest ? "" : " No test set was given.";
        page.chart("loss", lossChart.toSvg("chart-loss"), "Mean data loss per row after each epoch's update "
                + "(epoch 0: the initial weights)." + testNote);
        page.chart("objective", objectiveChart.toSvg("chart-objective"), "What training minimizes: the data loss plus "
                + "the L1 term (dashed). The test curve adds the same L1 term to the test loss.");
        page.chart("accuracy", accuracyChart.toSvg("chart-accuracy"), "Share of rows whose most probable class is the label.");
        page.chart("nonzero", new LineChart("Nonzero weights", "epoch", "nonzero fraction").yRange(0, 1)
                .add("nonzero fraction", epoch, nonzero, TRAIN_COLOR).toSvg("chart-nonzero"),
                String.format(Locale.ROOT, "Connection weights that are not exactly zero, of %d (biases excluded); "
                        + "final %d (%.1f%%).", last.totalWeights(), last.nonzeroWeights(), 100 * nonzero[n - 1]));

        page.heading("Final weights");
        WeightHistogram histogram = inspection.histogram();
        page.chart("weights", new HistogramChart("Weight magnitudes |w|", histogram).toSvg("chart-weights"),
                String.format(Locale.ROOT, "%d of %d connection weights are exactly 0 (grey bar); the others in %d bins "
                        + "up to the largest |w|.", histogram.zeros(), histogram.total(), histogram.bins()));
        if (PixelMap.side(topology.inputSize()) > 0) {
            page.chart("inputs", new PixelMap("Inputs that keep weights", inputImportance(topology, model.parameters()))
                    .toSvg("chart-inputs"), "Each pixel is an input; its shade is the sum of |w| over its first-layer "
                    + "weights. White inputs have no weights left: the model no longer reads them.");
        }
        appendPruning(page, inspection);
        return page;
    }

    private static Map<String, String> facts(L1NetModel model, ModelInspection inspection, EpochMetrics last, long passes,
                                             double seconds) {
        Map<String, String> f = new LinkedHashMap<>();
        Topology topology = model.topology();
        f.put("network", topology.describe() + ", " + topology.activation().cliName() + " hidden units, softmax output, "
                + topology.loss().cliName() + " loss");
        f.put("final accuracy", String.format(Locale.ROOT, "train %.4f%s", last.trainAccuracy(),
                last.hasTest() ? String.format(Locale.ROOT, ", test %.4f", last.testAccuracy()) : ""));
        f.put("final objective", String.format(Locale.ROOT, "%.6f = loss %.6f + L1 %.6f", last.objective(), last.dataLoss(),
                last.l1Penalty()));
        f.put("nonzero weights", String.format(Locale.ROOT, "%d of %d (%.1f%% exactly zero)", last.nonzeroWeights(),
                last.totalWeights(), 100.0 * (last.totalWeights() - last.nonzeroWeights()) / Math.max(1, last.totalWeights())));
        f.put("pruned network", inspection.pruning().network().describe() + " (reads " + inspection.keptFeatures().size()
                + " of " + inspection.featureNames().size() + " inputs)");
        f.put("epochs", last.epoch() + String.format(Locale.ROOT, " (%d passes over the data in %.1f s)", passes, seconds));
        StringBuilder config = new StringBuilder();
        model.config().forEach((k, v) -> {
            if (v != null) {
                config.append(config.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
            }
        });
        f.put("options", config.toString());
        for (String key : List.of("trainData", "testData", "seed", "master", "sparkVersion", "l1netVersion", "createdAt")) {
            Object v = model.provenance().get(key);
            if (v != null) {
                f.put(key, v.toString());
            }
        }
        return f;
    }

    private static void appendPruning(HtmlPage page, ModelInspection inspection) {
        page.heading("What L1 removed");
        List<String> pruned = inspection.prunedFeatures();
        page.paragraph(String.format(Locale.ROOT, "%d of %d inputs have no first-layer weights left.", pruned.size(),
                inspection.featureNames().size()));
        if (!pruned.isEmpty()) {
            page.names("Pruned inputs:", abbreviate(pruned, 60));
        }
        if (!inspection.idleFeatures().isEmpty()) {
            page.names("Inputs that feed only dead units:", abbreviate(inspection.idleFeatures(), 60));
        }
        for (ModelInspection.HiddenUnits h : inspection.hidden()) {
            page.paragraph(String.format(Locale.ROOT, "Hidden layer %d: %d of %d units dead (%d with no input weights, %d with "
                    + "no output weights); the pruned network keeps %d.", h.layer(), h.dead().size(), h.units(),
                    h.noInputs().size(), h.noOutputs().size(), h.kept()));
        }
    }

    private static String abbreviate(List<String> names, int most) {
        if (names.size() <= most) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, most)) + " and " + (names.size() - most) + " more";
    }

    /** Per input: the sum of |w| over its first-layer weights. */
    static double[] inputImportance(Topology topology, double[] params) {
        int in = topology.inputSize();
        int out = topology.size(1);
        double[] importance = new double[in];
        int w = topology.weightOffset(0);
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                importance[i] += Math.abs(params[w + j * in + i]);
            }
        }
        return importance;
    }
}
