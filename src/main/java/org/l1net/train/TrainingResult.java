package org.l1net.train;

import java.util.List;
import org.l1net.nn.Topology;

/**
 * What a training run produced: the final parameters, one metrics row per epoch, and with early
 * stopping the best parameters too.
 *
 * @param bestParameters the parameters of the best epoch by the early-stopping metric, or null without early stopping
 * @param bestEpoch      that epoch, or -1
 * @param stopReason     why training ended: "epochs", "converged", "no-descent" or "patience"
 */
public record TrainingResult(Topology topology, double[] parameters, List<EpochMetrics> history, long passes,
                             double seconds, double[] bestParameters, int bestEpoch, String stopReason) {

    public TrainingResult {
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

    public EpochMetrics last() {
        return history.get(history.size() - 1);
    }

    /** The metrics row of the best epoch, or the last row without early stopping. */
    public EpochMetrics best() {
        if (bestEpoch < 0) {
            return last();
        }
        for (EpochMetrics m : history) {
            if (m.epoch() == bestEpoch) {
                return m;
            }
        }
        throw new IllegalStateException("No metrics for the best epoch " + bestEpoch);
    }
}
