package org.l1net.penalty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The L1 term's value, subgradient and proximal operator, with biases excluded unless asked. */
class L1PenaltyTest {
    /** Layout of a 2-1 network: W [1 x 2] then b [1]: indices 0, 1 are weights, 2 is the bias. */
    private static final boolean[] BIAS_MASK = {false, false, true};

    @Test
    void softThresholdGivesExactZerosInsideTheThresholdAndShiftsOutside() {
        assertEquals(0.0, L1Penalty.softThreshold(0.3, 0.5), 0.0);
        assertEquals(0.0, L1Penalty.softThreshold(-0.5, 0.5), 0.0);
        assertEquals(0.0, L1Penalty.softThreshold(0.0, 0.1), 0.0);
        assertEquals(0.25, L1Penalty.softThreshold(0.75, 0.5), 1e-16);
        assertEquals(-0.25, L1Penalty.softThreshold(-0.75, 0.5), 1e-16);
        assertEquals(0.75, L1Penalty.softThreshold(0.75, 0.0), 0.0);
    }

    @Test
    void proximalShrinkTouchesWeightsOnlyAndZeroesThoseInsideTheThreshold() {
        L1Penalty penalty = L1Penalty.forTopology(0.1, L1Mode.PROXIMAL, BIAS_MASK, false);
        double step = 2.0; // threshold lambda * step = 0.2
        assertEquals(0.0, penalty.shrink(0, 0.15, step), 0.0);
        assertEquals(-0.3, penalty.shrink(1, -0.5, step), 1e-16);
        assertEquals(0.15, penalty.shrink(2, 0.15, step), 0.0, "a bias is not penalized");
        L1Penalty withBiases = L1Penalty.forTopology(0.1, L1Mode.PROXIMAL, BIAS_MASK, true);
        assertEquals(0.0, withBiases.shrink(2, 0.15, step), 0.0, "--l1-biases penalizes the bias");
    }

    @Test
    void valueIsLambdaTimesTheSumOfAbsoluteWeights() {
        double[] w = {0.5, -1.5, 3.0};
        assertEquals(0.1 * 2.0, L1Penalty.forTopology(0.1, L1Mode.PROXIMAL, BIAS_MASK, false).value(w), 1e-16);
        assertEquals(0.1 * 5.0, L1Penalty.forTopology(0.1, L1Mode.PROXIMAL, BIAS_MASK, true).value(w), 1e-16);
        assertEquals(0.0, L1Penalty.forTopology(0.0, L1Mode.PROXIMAL, BIAS_MASK, true).value(w), 0.0);
    }

    @Test
    void subgradientModeAddsLambdaSignAndLeavesTheStepAlone() {
        L1Penalty penalty = L1Penalty.forTopology(0.1, L1Mode.SUBGRADIENT, BIAS_MASK, false);
        double[] w = {0.5, 0.0, -2.0};
        double[] g = {1.0, 1.0, 1.0};
        penalty.addSubgradient(w, g);
        assertArrayEquals(new double[] {1.1, 1.0, 1.0}, g, 1e-16, "sign(0) = 0, and the bias gets nothing");
        assertEquals(0.15, penalty.shrink(0, 0.15, 10.0), 0.0, "no soft-threshold in subgradient mode");
        double[] g2 = {1.0, 1.0, 1.0};
        L1Penalty.forTopology(0.1, L1Mode.PROXIMAL, BIAS_MASK, false).addSubgradient(w, g2);
        assertArrayEquals(new double[] {1.0, 1.0, 1.0}, g2, 0.0, "no subgradient in proximal mode");
    }

    @Test
    void lambdaMustBeAFiniteNonNegativeNumber() {
        assertThrows(IllegalArgumentException.class, () -> new L1Penalty(-0.1, L1Mode.PROXIMAL, BIAS_MASK));
        assertThrows(IllegalArgumentException.class, () -> new L1Penalty(Double.NaN, L1Mode.PROXIMAL, BIAS_MASK));
        assertThrows(IllegalArgumentException.class,
                () -> new L1Penalty(Double.POSITIVE_INFINITY, L1Mode.PROXIMAL, BIAS_MASK));
        assertEquals(L1Mode.PROXIMAL, L1Mode.fromName(" Proximal "));
        assertThrows(IllegalArgumentException.class, () -> L1Mode.fromName("lasso"));
    }
}
