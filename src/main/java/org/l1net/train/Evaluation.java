package org.l1net.train;

import org.l1net.optim.SmoothPoint;

/**
 * One pass over a dataset at fixed weights.
 *
 * @param meanLoss     mean data loss over the rows (no penalty)
 * @param accuracy     fraction of rows whose argmax equals the label
 * @param meanGradient gradient of meanLoss, or null when not computed
 */
public record Evaluation(double meanLoss, double accuracy, long rows, double[] meanGradient) implements SmoothPoint {
}
