package org.l1net.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.l1net.model.AtomicFiles;
import org.l1net.train.EpochMetrics;
import org.l1net.train.TrainingResult;

/** Formats and writes the run folder's metrics.csv and summary.json, and the per-epoch line. */
public final class RunFiles {
    public static final String METRICS_HEADER = "epoch,data_loss,l1_penalty,objective,train_accuracy,"
            + "test_accuracy,nonzero_weights,total_weights,seconds,passes,step_size,gradient_norm,test_loss";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunFiles() {
    }

    /** {@code epoch 37/500  loss 0.4123  l1 0.0311  train 0.905  test 0.850  nonzero 61/112  0.08s} */
    public static String progressLine(EpochMetrics m, int totalEpochs) {
        int width = Integer.toString(totalEpochs).length();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "epoch %" + width + "d/%d  loss %.4f  l1 %.4f  train %.3f",
                m.epoch(), totalEpochs, m.dataLoss(), m.l1Penalty(), m.trainAccuracy()));
        if (m.hasTest()) {
            sb.append(String.format(Locale.ROOT, "  test %.3f", m.testAccuracy()));
        }
        sb.append(String.format(Locale.ROOT, "  nonzero %d/%d  %.2fs", m.nonzeroWeights(), m.totalWeights(), m.seconds()));
        return sb.toString();
    }

    public static String metricsCsv(List<EpochMetrics> history) {
        StringBuilder sb = new StringBuilder(METRICS_HEADER).append('\n');
        for (EpochMetrics m : history) {
            sb.append(m.epoch()).append(',')
                    .append(m.dataLoss()).append(',')
                    .append(m.l1Penalty()).append(',')
                    .append(m.objective()).append(',')
                    .append(m.trainAccuracy()).append(',')
                    .append(m.hasTest() ? Double.toString(m.testAccuracy()) : "").append(',')
                    .append(m.nonzeroWeights()).append(',')
                    .append(m.totalWeights()).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", m.seconds())).append(',')
                    .append(m.passes()).append(',')
                    .append(Double.isNaN(m.stepSize()) ? "" : Double.toString(m.stepSize())).append(',')
                    .append(m.gradientNorm()).append(',')
                    .append(m.hasTest() ? Double.toString(m.testLoss()) : "").append('\n');
        }
        return sb.toString();
    }

    /**
     * The final figures (test_accuracy is null without a test set), why training stopped, and under early
     * stopping the best epoch's figures ({@code best}), which are model.json's.
     */
    public static Map<String, Object> summary(TrainingResult result) {
        EpochMetrics last = result.last();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("train_accuracy", last.trainAccuracy());
        s.put("test_accuracy", last.hasTest() ? last.testAccuracy() : null);
        s.put("data_loss", last.dataLoss());
        s.put("l1_penalty", last.l1Penalty());
        s.put("objective", last.objective());
        s.put("nonzero_weights", last.nonzeroWeights());
        s.put("total_weights", last.totalWeights());
        s.put("epochs", last.epoch());
        s.put("passes", result.passes());
        s.put("seconds", result.seconds());
        s.put("stop_reason", result.stopReason());
        if (result.bestEpoch() >= 0) {
            EpochMetrics best = result.best();
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("epoch", best.epoch());
            b.put("train_accuracy", best.trainAccuracy());
            b.put("test_accuracy", best.testAccuracy());
            b.put("test_loss", best.testLoss());
            b.put("objective", best.objective());
            b.put("nonzero_weights", best.nonzeroWeights());
            s.put("best", b);
        }
        return s;
    }

    public static String toJson(Map<String, Object> map) {
        try {
            return MAPPER.writeValueAsString(map) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes metrics.csv and summary.json into the run folder, each atomically. */
    public static void write(Path runDir, TrainingResult result) throws IOException {
        AtomicFiles.writeString(runDir.resolve("metrics.csv"), metricsCsv(result.history()));
        AtomicFiles.writeString(runDir.resolve("summary.json"), toJson(summary(result)));
    }
}
