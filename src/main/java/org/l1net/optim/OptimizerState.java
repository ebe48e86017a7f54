package org.l1net.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer's whole mutable state, as checkpoints save it: its name, a step counter and its
 * arrays (velocity; Adam's two moments; L-BFGS's (s, y) pairs, oldest first). Restoring it and
 * going on gives the same weights, bit for bit, as never having stopped.
 */
public record OptimizerState(String optimizer, long steps, List<double[]> arrays) {

    public OptimizerState {
        List<double[]> copies = new ArrayList<>(arrays.size());
        for (double[] a : arrays) {
            copies.add(a.clone());
        }
        arrays = List.copyOf(copies);
    }

    /** The arrays themselves, not copies; do not modify. */
    @Override
    public List<double[]> arrays() {
        return arrays;
    }

    /** Refuses a state saved by another optimizer or for another parameter count. */
    void checkFits(String expectedOptimizer, int parameterCount, int expectedArrays) {
        if (!optimizer.equals(expectedOptimizer)) {
            throw new IllegalArgumentException("The saved optimizer state is " + optimizer + "'s, not " + expectedOptimizer + "'s");
        }
        if (expectedArrays >= 0 && arrays.size() != expectedArrays && !arrays.isEmpty()) {
            throw new IllegalArgumentException("The saved " + optimizer + " state has " + arrays.size()
                    + " arrays, expected " + expectedArrays);
        }
        for (double[] a : arrays) {
            if (a.length != parameterCount) {
                throw new IllegalArgumentException("The saved " + optimizer + " state holds " + a.length
                        + " parameters, the network has " + parameterCount);
            }
        }
    }
}
