package org.l1net.optim;

import java.util.List;
import org.l1net.penalty.L1Penalty;

/**
 * Adam (Kingma & Ba 2015) with bias-corrected moments. Under proximal L1 each weight's threshold is
 * its own Adam step, lr * lambda / (sqrt(v_hat) + eps): a plain lr * lambda would be far smaller
 * than the steps Adam takes on weights with small gradients, and L1 would barely act.
 */
public final class Adam implements Optimizer {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private double[] firstMoment;
    private double[] secondMoment;
    private long steps;

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate);
        }
        if (!(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(epsilon > 0.0)) {
            throw new IllegalArgumentException("Adam epsilon must be positive, got " + epsilon);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Adam with the usual betas (0.9, 0.999) and epsilon 1e-8. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public void step(double[] weights, double[] dataGradient, L1Penalty penalty) {
        if (firstMoment == null) {
            firstMoment = new double[weights.length];
            secondMoment = new double[weights.length];
        }
        penalty.addSubgradient(weights, dataGradient);
        steps++;
        double correction1 = 1.0 - Math.pow(beta1, steps);
        double correction2 = 1.0 - Math.pow(beta2, steps);
        for (int i = 0; i < weights.length; i++) {
            double g = dataGradient[i];
            firstMoment[i] = beta1 * firstMoment[i] + (1.0 - beta1) * g;
            secondMoment[i] = beta2 * secondMoment[i] + (1.0 - beta2) * g * g;
            double mHat = firstMoment[i] / correction1;
            double vHat = secondMoment[i] / correction2;
            double stepSize = learningRate / (Math.sqrt(vHat) + epsilon);
            weights[i] = penalty.shrink(i, weights[i] - stepSize * mHat, stepSize);
        }
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState(name(), steps,
                firstMoment == null ? List.of() : List.of(firstMoment, secondMoment));
    }

    @Override
    public void restore(OptimizerState state, int parameterCount) {
        state.checkFits(name(), parameterCount, 2);
        steps = state.steps();
        firstMoment = state.arrays().isEmpty() ? null : state.arrays().get(0).clone();
        secondMoment = state.arrays().isEmpty() ? null : state.arrays().get(1).clone();
    }
}
