package org.l1net.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.l1net.penalty.L1Mode;
import org.l1net.penalty.L1Penalty;

/** Optimizer steps against the published update rules, written out by hand for two steps. */
class OptimizerStepTest {
    /** Two weights and a bias (index 2). */
    private static final boolean[] BIAS_MASK = {false, false, true};

    @Test
    void momentumGradientDescentFollowsVelocityUpdates() {
        MomentumGradientDescent sgd = new MomentumGradientDescent(0.1, 0.9);
        L1Penalty none = L1Penalty.forTopology(0.0, L1Mode.PROXIMAL, BIAS_MASK, false);
        double[] w = {1.0, -1.0, 0.5};
        sgd.step(w, new double[] {2.0, -1.0, 0.5}, none);
        // v1 = -lr g1 = (-0.2, 0.1, -0.05)
        assertEquals(0.8, w[0], 1e-15);
        assertEquals(-0.9, w[1], 1e-15);
        assertEquals(0.45, w[2], 1e-15);
        sgd.step(w, new double[] {1.0, 0.0, 0.0}, none);
        // v2 = 0.9 v1 - lr g2 = (-0.28, 0.09, -0.045)
        assertEquals(0.52, w[0], 1e-15);
        assertEquals(-0.81, w[1], 1e-15);
        assertEquals(0.405, w[2], 1e-15);
    }

    @Test
    void momentumProximalThresholdIsLearningRateTimesLambda() {
        MomentumGradientDescent sgd = new MomentumGradientDescent(0.1, 0.0);
        L1Penalty penalty = L1Penalty.forTopology(0.5, L1Mode.PROXIMAL, BIAS_MASK, false);
        double[] w = {0.06, 1.0, 0.01};
        sgd.step(w, new double[] {0.1, 0.0, 0.0}, penalty);
        // after the gradient step: (0.05, 1.0, 0.01); threshold lr * lambda = 0.05
        assertEquals(0.0, w[0], 0.0);
        assertEquals(0.95, w[1], 1e-15);
        assertEquals(0.01, w[2], 0.0, "the bias is inside the threshold but not penalized");
    }

    @Test
    void adamMatchesKingmaAndBaWithPerWeightProximalThreshold() {
        double lr = 0.01;
        double lambda = 0.3;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        Adam adam = new Adam(lr, b1, b2, eps);
        L1Penalty penalty = L1Penalty.forTopology(lambda, L1Mode.PROXIMAL, BIAS_MASK, false);
        double[] w = {0.5, 0.004, 0.2};
        double[][] gradients = {{0.1, -0.001, 0.05}, {-0.3, 0.002, 0.05}};
        double[] expected = w.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= 2; t++) {
            double[] g = gradients[t - 1];
            for (int i = 0; i < 3; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                double step = lr / (Math.sqrt(vHat) + eps);
                double moved = expected[i] - step * mHat;
                double threshold = i == 2 ? 0.0 : lambda * step;
                expected[i] = Math.signum(moved) * Math.max(0.0, Math.abs(moved) - threshold);
            }
            adam.step(w, g.clone(), penalty);
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], w[i], 1e-15, "step " + t + " parameter " + i);
            }
        }
        // The small weight lands inside its threshold (about lr * lambda = 0.003 from a step of ~lr).
        assertEquals(0.0, w[1], 0.0);
    }

    @Test
    void adamSubgradientModeAddsLambdaSignToTheGradient() {
        Adam withPenalty = new Adam(0.01);
        Adam byHand = new Adam(0.01);
        double[] w1 = {0.5, -0.5, 0.5};
        double[] w2 = w1.clone();
        withPenalty.step(w1, new double[] {0.1, 0.1, 0.1},
                L1Penalty.forTopology(0.05, L1Mode.SUBGRADIENT, BIAS_MASK, false));
        byHand.step(w2, new double[] {0.15, 0.05, 0.1}, L1Penalty.forTopology(0.0, L1Mode.PROXIMAL, BIAS_MASK, false));
        for (int i = 0; i < 3; i++) {
            assertEquals(w2[i], w1[i], 0.0);
        }
    }

    @Test
    void badHyperparametersAreRefusedWithTheirOptionName() {
        assertEquals("--lr must be a positive number, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(0.0)).getMessage());
        assertEquals("--momentum must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new MomentumGradientDescent(0.1, 1.0)).getMessage());
    }
}
