package org.l1net.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.l1net.train.PathChoice;

/**
 * A sweep's sweep.csv, its table on the terminal and its report.html: accuracy (training and validation),
 * loss, nonzero weights and surviving inputs against lambda on a log axis, the chosen lambdas marked.
 */
public final class SweepReport {
    public static final String CSV = "sweep.csv";
    private static final String BEST_COLOR = "#2ca02c";
    private static final String ONE_SE_COLOR = "#9467bd";

    private SweepReport() {
    }

    /** The ids of the charts a sweep's page holds, in page order. */
    public static List<String> chartIds() {
        return List.of("accuracy", "nonzero", "inputs", "loss");
    }

    /** "best", "one-se", "best+one-se" or "" for row i. */
    public static String choiceLabel(PathChoice choice, int i) {
        if (i == choice.best() && i == choice.oneSe()) {
            return "best+one-se";
        }
        return i == choice.best() ? "best" : i == choice.oneSe() ? "one-se" : "";
    }

    /** sweep.csv: one row per lambda, largest first; doubles written exactly (Double.toString). */
    public static String csv(List<SweepRow> rows, PathChoice choice) {
        int layers = rows.get(0).nonzeroPerLayer().length;
        StringBuilder sb = new StringBuilder("index,lambda,start,train_accuracy,train_loss,validation_accuracy,validation_loss,"
                + "l1_penalty,nonzero_weights,total_weights");
        for (int l = 1; l <= layers; l++) {
            sb.append(",nonzero_layer_").append(l);
        }
        sb.append(",surviving_inputs,inputs,epochs,passes,seconds,choice,model\n");
        for (SweepRow r : rows) {
            sb.append(r.index()).append(',').append(r.lambda()).append(',').append(r.warm() ? "warm" : "seeded").append(',')
                    .append(r.trainAccuracy()).append(',')
                    .append(r.trainLoss()).append(',').append(r.validationAccuracy()).append(',').append(r.validationLoss())
                    .append(',').append(r.l1Penalty()).append(',').append(r.nonzeroWeights()).append(',')
                    .append(r.totalWeights());
            for (long n : r.nonzeroPerLayer()) {
                sb.append(',').append(n);
            }
            sb.append(',').append(r.survivingInputs()).append(',').append(r.inputs()).append(',').append(r.epochs())
                    .append(',').append(r.passes()).append(',').append(String.format(Locale.ROOT, "%.3f", r.seconds()))
                    .append(',').append(choiceLabel(choice, r.index())).append(',').append(r.folder()).append("/model.json\n");
        }
        return sb.toString();
    }

    /** The terminal table's header line. */
    public static String tableHeader() {
        return String.format(Locale.ROOT, "%3s  %-10s  %-6s  %6s  %6s  %8s  %8s  %-13s  %-12s  %s", "#", "lambda", "start", "train", "valid",
                "t.loss", "v.loss", "nonzero", "per layer", "inputs");
    }

    /** One lambda's line of the terminal table. */
    public static String tableLine(SweepRow r) {
        StringBuilder perLayer = new StringBuilder();
        for (long n : r.nonzeroPerLayer()) {
            perLayer.append(perLayer.length() == 0 ? "" : "+").append(n);
        }
        return String.format(Locale.ROOT, "%3d  %-10.4g  %-6s  %6.4f  %6.4f  %8.4f  %8.4f  %-13s  %-12s  %d/%d", r.index(),
                r.lambda(), r.warm() ? "warm" : "seeded", r.trainAccuracy(), r.validationAccuracy(), r.trainLoss(), r.validationLoss(),
                r.nonzeroWeights() + "/" + r.totalWeights(), perLayer, r.survivingInputs(), r.inputs());
    }

    /**
     * The sweep's page.
     *
     * @param facts lines for the facts table (network, data, options, the choice and its test figures)
     */
    public static HtmlPage page(String title, Map<String, String> facts, List<SweepRow> rows, PathChoice choice) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("A sweep report needs at least one lambda");
        }
        int n = rows.size();
        double[] lambda = new double[n];
        double[] trainAccuracy = new double[n];
        double[] validationAccuracy = new double[n];
        double[] trainLoss = new double[n];
        double[] validationLoss = new double[n];
        double[] nonzero = new double[n];
        double[] inputs = new double[n];
        for (int i = 0; i < n; i++) {
            SweepRow r = rows.get(i);
            lambda[i] = r.lambda();
            trainAccuracy[i] = r.trainAccuracy();
            validationAccuracy[i] = r.validationAccuracy();
            trainLoss[i] = r.trainLoss();
            validationLoss[i] = r.validationLoss();
            nonzero[i] = r.nonzeroWeights();
            inputs[i] = r.survivingInputs();
        }
        double best = rows.get(choice.best()).lambda();
        double oneSe = rows.get(choice.oneSe()).lambda();
        HtmlPage page = new HtmlPage(title);
        page.facts(facts);
        page.heading("Against lambda");
        page.chart("accuracy", marked(new LineChart("Accuracy", "lambda", "accuracy").logX().yRange(0, 1)
                .add("train", lambda, trainAccuracy, TrainReport.TRAIN_COLOR)
                .add("validation", lambda, validationAccuracy, TrainReport.TEST_COLOR), best, oneSe).toSvg("chart-accuracy"),
                String.format(Locale.ROOT, "Each lambda's final model; lambda runs from right to left in training order. "
                        + "Best: the highest validation accuracy; one SE: the sparsest model within one standard error "
                        + "(%.4f) of it.", choice.standardError()));
        page.chart("nonzero", marked(new LineChart("Nonzero weights", "lambda", "nonzero connection weights").logX()
                .add("nonzero weights", lambda, nonzero, TrainReport.TRAIN_COLOR), best, oneSe).toSvg("chart-nonzero"),
                String.format(Locale.ROOT, "Connection weights that are not exactly zero, of %d (biases excluded).",
                        rows.get(0).totalWeights()));
        page.chart("inputs", marked(new LineChart("Inputs still read", "lambda", "inputs").logX()
                .add("inputs with a nonzero weight", lambda, inputs, TrainReport.TRAIN_COLOR), best, oneSe).toSvg("chart-inputs"),
                String.format(Locale.ROOT, "Inputs with at least one nonzero first-layer weight, of %d.", rows.get(0).inputs()));
        page.chart("loss", marked(new LineChart("Data loss", "lambda", "mean loss").logX()
                .add("train", lambda, trainLoss, TrainReport.TRAIN_COLOR)
                .add("validation", lambda, validationLoss, TrainReport.TEST_COLOR), best, oneSe).toSvg("chart-loss"),
                "Mean data loss per row, without the L1 term.");
        page.heading("Every lambda");
        List<List<String>> table = new ArrayList<>();
        for (SweepRow r : rows) {
            table.add(List.of(Integer.toString(r.index()), String.format(Locale.ROOT, "%.4g", r.lambda()),
                    String.format(Locale.ROOT, "%.4f", r.trainAccuracy()), String.format(Locale.ROOT, "%.4f", r.validationAccuracy()),
                    String.format(Locale.ROOT, "%.4f", r.validationLoss()), r.nonzeroWeights() + " / " + r.totalWeights(),
                    r.survivingInputs() + " / " + r.inputs(), choiceLabel(choice, r.index()), r.folder()));
        }
        page.table("sweep", List.of("#", "lambda", "train acc.", "validation acc.", "validation loss", "nonzero weights",
                "inputs read", "chosen", "folder"), table, new java.util.HashSet<>(List.of(choice.best(), choice.oneSe())));
        return page;
    }

    private static LineChart marked(LineChart chart, double best, double oneSe) {
        chart.marker(best, best == oneSe ? "best, one SE" : "best", BEST_COLOR);
        if (best != oneSe) {
            chart.marker(oneSe, "one SE", ONE_SE_COLOR);
        }
        return chart;
    }
}
