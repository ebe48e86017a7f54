package org.l1net.optim;

/**
 * Evaluates the mean data loss and its gradient at given weights. On Spark each call is one pass
 * over the data, which is why the optimizers that use it count their calls.
 *
 * @param <P> what an evaluation returns; the trainer's carries accuracy too
 */
@FunctionalInterface
public interface SmoothObjective<P extends SmoothPoint> {
    P evaluate(double[] weights);
}
