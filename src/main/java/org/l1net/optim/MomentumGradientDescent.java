package org.l1net.optim;

import java.util.List;
import org.l1net.penalty.L1Penalty;

/**
 * Gradient descent with classical momentum: v = mu * v - lr * g; w = w + v. Under proximal L1 the
 * threshold is lr * lambda, the step size every weight shares.
 */
public final class MomentumGradientDescent implements Optimizer {
    private final double learningRate;
    private final double momentum;
    private double[] velocity;
    private long steps;

    public MomentumGradientDescent(double learningRate, double momentum) {
        if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate);
        }
        if (!(momentum >= 0.0 && momentum < 1.0)) {
            throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    @Override
    public void step(double[] weights, double[] dataGradient, L1Penalty penalty) {
        if (velocity == null) {
            velocity = new double[weights.length];
        }
        penalty.addSubgradient(weights, dataGradient);
        steps++;
        for (int i = 0; i < weights.length; i++) {
            velocity[i] = momentum * velocity[i] - learningRate * dataGradient[i];
            weights[i] = penalty.shrink(i, weights[i] + velocity[i], learningRate);
        }
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState(name(), steps, velocity == null ? List.of() : List.of(velocity));
    }

    @Override
    public void restore(OptimizerState state, int parameterCount) {
        state.checkFits(name(), parameterCount, 1);
        steps = state.steps();
        velocity = state.arrays().isEmpty() ? null : state.arrays().get(0).clone();
    }
}
