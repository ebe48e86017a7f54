package org.l1net.optim;

/** The smooth part of the objective (the mean data loss) and its gradient, evaluated at some weights. */
public interface SmoothPoint {
    double meanLoss();

    /** The gradient of {@link #meanLoss()}; do not modify. */
    double[] meanGradient();
}
