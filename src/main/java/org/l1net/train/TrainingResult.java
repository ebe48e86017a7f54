package org.l1net.train;

import java.util.List;
import org.l1net.nn.Topology;

/** What a training run produced: the final parameters and one metrics row per epoch. */
public record TrainingResult(Topology topology, double[] parameters, List<EpochMetrics> history, long passes,
                             double seconds) {

    public TrainingResult {
        parameters = parameters.clone();
        history = List.copyOf(history);
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    public EpochMetrics last() {
        return history.get(history.size() - 1);
    }
}
