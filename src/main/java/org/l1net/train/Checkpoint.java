package org.l1net.train;

import java.util.List;
import java.util.stream.Stream;
import org.l1net.optim.OptimizerState;

/**
 * Everything a run needs to go on after epoch {@code epoch} as if it had never stopped: the weights,
 * the optimizer's state, the metrics so far, the pass count and the early-stopping record. The
 * mini-batch sampler needs nothing more: its seed for a step is a function of the run's seed and
 * the step's number.
 *
 * @param fingerprint the options that fix the weights (see {@link TrainConfig#resumeFingerprint()}),
 *                    the layer sizes and the training row count; a resuming run must match it
 * @param bestParameters the best parameters so far under early stopping, or null
 * @param bestEpoch      their epoch, or -1
 * @param bestScore      their early-stopping score (lower is better), or NaN
 */
public record Checkpoint(String fingerprint, int epoch, double[] parameters, OptimizerState optimizer,
                         List<EpochMetrics> history, long passes, double seconds,
                         double[] bestParameters, int bestEpoch, double bestScore) {

    public Checkpoint {
        parameters = parameters.clone();
        bestParameters = bestParameters == null ? null : bestParameters.clone();
        history = List.copyOf(history);
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public double[] bestParameters() {
        return bestParameters == null ? null : bestParameters.clone();
    }

    /**
     * Refuses to resume with other options, another network or other data, naming what differs.
     *
     * @param expected the resuming run's fingerprint
     */
    public void checkResumableBy(String expected) {
        if (fingerprint.equals(expected)) {
            return;
        }
        // An older checkpoint may still list an option that has since become resumable.
        List<String> saved = Stream.of(fingerprint.split("\n"))
                .filter(line -> !TrainConfig.resumableChange(line.substring(0, Math.max(0, line.indexOf('=')))))
                .toList();
        List<String> now = List.of(expected.split("\n"));
        if (saved.equals(now)) {
            return;
        }
        StringBuilder differences = new StringBuilder();
        for (String line : now) {
            if (!saved.contains(line)) {
                String key = line.substring(0, Math.max(0, line.indexOf('=')));
                String before = saved.stream().filter(l -> l.startsWith(key + "=")).findFirst().orElse(key + "=(absent)");
                differences.append(differences.length() == 0 ? "" : ", ")
                        .append(key).append(": checkpoint ").append(before.substring(key.length() + 1))
                        .append(", now ").append(line.substring(key.length() + 1));
            }
        }
        for (String line : saved) {
            String key = line.substring(0, Math.max(0, line.indexOf('=')));
            if (!line.isEmpty() && now.stream().noneMatch(l -> l.startsWith(key + "="))) {
                differences.append(differences.length() == 0 ? "" : ", ")
                        .append(key).append(": checkpoint ").append(line.substring(key.length() + 1)).append(", now (absent)");
            }
        }
        throw new IllegalArgumentException("--resume: the checkpoint of epoch " + epoch + " was made with other settings ("
                + differences + "); resume with the same options, data and --partitions, or start a new run");
    }
}
