package org.l1net.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.l1net.penalty.L1Mode;
import org.l1net.penalty.L1Penalty;

/**
 * OWL-QN and L-BFGS on functions whose L1-regularized minimum is known in closed form or computed here by
 * an independent method (proximal gradient descent run to convergence).
 */
class OwlQnTest {

    /** A point of a plain function: its value and gradient. */
    private record Point(double meanLoss, double[] meanGradient) implements SmoothPoint {
    }

    /** 0.5 * (w - c)' A (w - c) for a symmetric positive definite A. */
    private static SmoothObjective<Point> quadratic(double[][] a, double[] c, AtomicInteger calls) {
        return w -> {
            calls.incrementAndGet();
            int n = w.length;
            double[] g = new double[n];
            double value = 0.0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    g[i] += a[i][j] * (w[j] - c[j]);
                }
                value += 0.5 * (w[i] - c[i]) * g[i];
            }
            return new Point(value, g);
        };
    }

    /** Iterates until no step lowers the objective or it falls by less than 1e-14 relatively, as the trainer's --tol does. */
    private static double[] minimize(OwlQn optimizer, SmoothObjective<Point> f, double[] start, int maxIterations,
                                     L1Penalty penalty) {
        double[] w = start.clone();
        Point current = f.evaluate(w);
        for (int k = 0; k < maxIterations; k++) {
            OwlQn.Iteration<Point> it = optimizer.iterate(w, current, f);
            if (it.failed()) {
                break;
            }
            double before = current.meanLoss() + penalty.value(w);
            w = it.weights();
            current = it.point();
            double after = current.meanLoss() + penalty.value(w);
            if ((before - after) / Math.max(Math.abs(before), 1e-12) < 1e-14) {
                break;
            }
        }
        return w;
    }

    /** Separable: the minimum of 0.5 a_i (w_i - c_i)^2 + lambda |w_i| is softThreshold(c_i, lambda / a_i). */
    @Test
    void separableQuadraticReachesTheSoftThresholdedMinimumWithExactZeros() {
        double[] diag = {1.0, 2.0, 0.5, 4.0, 1.5, 3.0};
        double[] c = {0.9, -0.04, 0.3, 0.1, -2.0, 0.02};
        double lambda = 0.1;
        double[][] a = new double[diag.length][diag.length];
        for (int i = 0; i < diag.length; i++) {
            a[i][i] = diag[i];
        }
        L1Penalty penalty = new L1Penalty(lambda, L1Mode.PROXIMAL, allPenalized(diag.length));
        double[] w = minimize(new OwlQn(5, penalty), quadratic(a, c, new AtomicInteger()), new double[diag.length], 100, penalty);
        for (int i = 0; i < diag.length; i++) {
            double expected = L1Penalty.softThreshold(c[i], lambda / diag[i]);
            if (expected == 0.0) {
                assertEquals(0.0, w[i], 0.0, "weight " + i + " must be exactly zero");
            } else {
                // Stopping on the objective resolves a weight to about the square root of its precision.
                assertEquals(expected, w[i], 1e-7, "weight " + i);
            }
        }
    }

    /** Coupled: compared with proximal gradient descent (ISTA) run to convergence, a different method. */
    @Test
    void coupledQuadraticMatchesProximalGradientDescent() {
        Random random = new Random(11);
        int n = 12;
        double[][] m = new double[n][n];
        for (double[] row : m) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i][j] += m[k][i] * m[k][j] / n;
                }
            }
            a[i][i] += 0.1;
        }
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = random.nextGaussian();
        }
        double lambda = 0.2;
        boolean[] penalized = allPenalized(n);
        penalized[0] = false; // one unpenalized parameter, like a bias
        L1Penalty penalty = new L1Penalty(lambda, L1Mode.PROXIMAL, penalized);
        AtomicInteger calls = new AtomicInteger();
        double[] owlqn = minimize(new OwlQn(10, penalty), quadratic(a, c, calls), new double[n], 500, penalty);

        double[] ista = new double[n];
        double step = 1.0 / (maxRowSum(a));
        SmoothObjective<Point> f = quadratic(a, c, new AtomicInteger());
        for (int k = 0; k < 200_000; k++) {
            double[] g = f.evaluate(ista).meanGradient();
            for (int i = 0; i < n; i++) {
                ista[i] = penalty.shrink(i, ista[i] - step * g[i], step);
            }
        }
        int zeros = 0;
        for (int i = 0; i < n; i++) {
            if (ista[i] == 0.0) {
                zeros++;
                assertEquals(0.0, owlqn[i], 0.0, "weight " + i + " is zero at the minimum");
            } else {
                assertEquals(ista[i], owlqn[i], 1e-7, "weight " + i);
            }
        }
        assertTrue(zeros >= 2 && zeros < n - 1, "the case must have both zero and nonzero weights, has " + zeros + " zeros");
        assertTrue(calls.get() < 200, "OWL-QN took " + calls.get() + " evaluations");
    }

    /** With lambda 0 it is plain L-BFGS: the Rosenbrock function's minimum (1, 1), and no zeros forced. */
    @Test
    void withoutL1ItMinimizesRosenbrock() {
        SmoothObjective<Point> rosenbrock = w -> {
            double x = w[0];
            double y = w[1];
            return new Point(100 * (y - x * x) * (y - x * x) + (1 - x) * (1 - x),
                    new double[] {-400 * x * (y - x * x) - 2 * (1 - x), 200 * (y - x * x)});
        };
        L1Penalty none = new L1Penalty(0.0, L1Mode.PROXIMAL, allPenalized(2));
        double[] w = minimize(new OwlQn(5, none), rosenbrock, new double[] {-1.2, 1.0}, 500, none);
        assertEquals(1.0, w[0], 1e-6);
        assertEquals(1.0, w[1], 1e-6);
    }

    @Test
    void pseudoGradientTakesTheDownhillOneSidedDerivative() {
        L1Penalty penalty = new L1Penalty(0.5, L1Mode.PROXIMAL, new boolean[] {true, true, true, true, true, false});
        double[] w = {1.0, -1.0, 0.0, 0.0, 0.0, 0.0};
        double[] g = {0.2, 0.2, 0.3, -0.7, 0.8, 0.3};
        double[] expected = {
            0.2 + 0.5,  // w > 0: g + lambda
            0.2 - 0.5,  // w < 0: g - lambda
            0.0,        // w = 0, |g| <= lambda: no direction lowers the objective
            -0.7 + 0.5, // w = 0, g < -lambda: moving up lowers it
            0.8 - 0.5,  // w = 0, g > lambda: moving down lowers it
            0.3         // not penalized: the gradient
        };
        assertArrayEquals(expected, OwlQn.pseudoGradient(w, g, penalty), 1e-15);
    }

    /** Stopping after k iterations, saving the state and going on in a new optimizer changes nothing, bit for bit. */
    @Test
    void restoredStateContinuesBitForBit() {
        Random random = new Random(5);
        int n = 8;
        double[][] a = new double[n][n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 1 + random.nextDouble() * 3;
            c[i] = random.nextGaussian();
            if (i > 0) {
                a[i][i - 1] = a[i - 1][i] = 0.3;
            }
        }
        L1Penalty penalty = new L1Penalty(0.05, L1Mode.PROXIMAL, allPenalized(n));
        SmoothObjective<Point> f = quadratic(a, c, new AtomicInteger());
        double[] straight = minimizeIterations(new OwlQn(3, penalty), f, new double[n], 0, 12);

        OwlQn first = new OwlQn(3, penalty);
        double[] halfway = minimizeIterations(first, f, new double[n], 0, 5);
        OwlQn second = new OwlQn(3, penalty);
        second.restore(first.state(), n);
        double[] resumed = minimizeIterations(second, f, halfway, 5, 12);
        assertArrayEquals(straight, resumed, 0.0);
        assertEquals(12, second.state().steps());
    }

    @Test
    void refusesAStateOfAnotherOptimizerOrSize() {
        L1Penalty penalty = new L1Penalty(0.05, L1Mode.PROXIMAL, allPenalized(3));
        OwlQn owlQn = new OwlQn(3, penalty);
        assertThrows(IllegalArgumentException.class,
                () -> owlQn.restore(new OptimizerState("adam", 1, java.util.List.of(new double[3], new double[3])), 3));
        assertThrows(IllegalArgumentException.class,
                () -> owlQn.restore(new OptimizerState("lbfgs", 1, java.util.List.of(new double[4], new double[4])), 3));
        assertThrows(IllegalArgumentException.class, () -> new OwlQn(0, penalty));
    }

    /** At the minimum no step lowers the objective: the iteration says so instead of moving. */
    @Test
    void reportsFailureAtTheMinimum() {
        double[][] a = {{2.0}};
        L1Penalty penalty = new L1Penalty(1.0, L1Mode.PROXIMAL, allPenalized(1));
        SmoothObjective<Point> f = quadratic(a, new double[] {0.3}, new AtomicInteger());
        double[] w = {0.0};
        OwlQn.Iteration<Point> it = new OwlQn(3, penalty).iterate(w, f.evaluate(w), f);
        assertTrue(it.failed(), "0 is the minimum: |gradient| 0.6 <= lambda 1");
        assertEquals(0.0, it.weights()[0], 0.0);
        assertFalse(Double.isNaN(it.stepSize()));
    }

    private static double[] minimizeIterations(OwlQn optimizer, SmoothObjective<Point> f, double[] start, int from, int to) {
        double[] w = start.clone();
        Point current = f.evaluate(w);
        for (int k = from; k < to; k++) {
            OwlQn.Iteration<Point> it = optimizer.iterate(w, current, f);
            w = it.weights();
            current = it.point();
        }
        return w;
    }

    private static boolean[] allPenalized(int n) {
        boolean[] p = new boolean[n];
        java.util.Arrays.fill(p, true);
        return p;
    }

    private static double maxRowSum(double[][] a) {
        double max = 0.0;
        for (double[] row : a) {
            double sum = 0.0;
            for (double v : row) {
                sum += Math.abs(v);
            }
            max = Math.max(max, sum);
        }
        return max;
    }
}
