package org.l1net.optim;

import org.l1net.penalty.L1Penalty;

/**
 * A first-order update: one call per gradient (full batch or mini-batch). Implementations keep
 * their own state (velocity, moments), which {@link #state()} exposes for checkpoints; they are not
 * thread-safe.
 */
public interface Optimizer {

    /**
     * Updates {@code weights} in place from the gradient of the mean data loss. In subgradient mode
     * the penalty's subgradient is added to {@code dataGradient} (which is overwritten); in proximal
     * mode each penalized weight is soft-thresholded by lambda times its own step size.
     */
    void step(double[] weights, double[] dataGradient, L1Penalty penalty);

    /** The name used on the command line and in model files. */
    String name();

    /** A copy of the state that {@link #restore} takes back. */
    OptimizerState state();

    /**
     * Continues from a saved state.
     *
     * @param parameterCount the network's parameter count, to refuse a state saved for another network
     */
    void restore(OptimizerState state, int parameterCount);
}
