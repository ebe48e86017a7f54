package org.l1net.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernel's exp, sigmoid and tanh against java.lang.Math: at most 4 ulp apart (1 ulp = 2^-52
 * relative) on a dense grid and on random arguments, and exact at the points that matter.
 */
class FastMathTest {
    private static final double TOLERANCE = 4 * Math.ulp(1.0);

    @Test
    void expIsWithinFourUlpOfMathExp() {
        double worst = 0;
        for (double x = -700; x <= 700; x += 0.0137) {
            worst = Math.max(worst, relativeError(FastMath.exp(x), Math.exp(x)));
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) {
            double x = (random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(-12, 3));
            worst = Math.max(worst, relativeError(FastMath.exp(x), Math.exp(x)));
        }
        assertTrue(worst <= TOLERANCE, "worst relative error " + worst);
        assertEquals(1.0, FastMath.exp(0.0), 0.0);
        assertEquals(1.0, FastMath.exp(-0.0), 0.0);
    }

    @Test
    void tanhIsWithinFourUlpOfMathTanhAndOdd() {
        double worst = 0;
        for (double x = -25; x <= 25; x += 0.00123) {
            worst = Math.max(worst, relativeError(FastMath.tanh(x), Math.tanh(x)));
        }
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 200_000; i++) {
            double x = (random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(-300, 3));
            worst = Math.max(worst, relativeError(FastMath.tanh(x), Math.tanh(x)));
            assertEquals(-FastMath.tanh(x), FastMath.tanh(-x), 0.0);
        }
        assertTrue(worst <= TOLERANCE, "worst relative error " + worst);
        assertEquals(1.0, FastMath.tanh(1e6), 0.0);
        assertEquals(-1.0, FastMath.tanh(-1e300), 0.0);
        assertEquals(0.0, FastMath.tanh(0.0), 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(FastMath.tanh(-0.0)));
    }

    @Test
    void sigmoidIsWithinFourUlpOfTheTextbookFormula() {
        double worst = 0;
        for (double z = -700; z <= 36; z += 0.00731) {
            worst = Math.max(worst, relativeError(FastMath.sigmoid(z), 1.0 / (1.0 + Math.exp(-z))));
        }
        assertTrue(worst <= TOLERANCE, "worst relative error " + worst);
        assertEquals(0.5, FastMath.sigmoid(0.0), 0.0);
        assertEquals(1.0, FastMath.sigmoid(800), 0.0);
        assertTrue(FastMath.sigmoid(-800) < 1e-300);
    }

    @Test
    void nanStaysNan() {
        assertTrue(Double.isNaN(FastMath.exp(Double.NaN)));
        assertTrue(Double.isNaN(FastMath.tanh(Double.NaN)));
        assertTrue(Double.isNaN(FastMath.sigmoid(Double.NaN)));
        assertTrue(Double.isNaN(FastMath.relu(Double.NaN)));
    }

    private static double relativeError(double got, double expected) {
        return expected == 0 ? Math.abs(got) : Math.abs(got - expected) / Math.abs(expected);
    }
}
