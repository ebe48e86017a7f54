package org.l1net.optim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.l1net.penalty.L1Penalty;

/**
 * L-BFGS, and with an active L1 penalty OWL-QN: Andrew and Gao, "Scalable training of L1-regularized
 * log-linear models" (ICML 2007). Each iteration computes the pseudo-gradient of
 * loss + lambda * |w|_1, turns it into a quasi-Newton direction with the two-loop recursion over the
 * last m (s, y) pairs of the smooth loss, keeps only the components that agree in sign with the
 * steepest descent, and backtracks along it with every trial point projected onto the orthant of the
 * current weights. A weight that would cross zero stops at zero: that is where the exact zeros come from.
 *
 * <p>The network's loss is not convex, so a pair with s.y <= 0 is skipped rather than stored, and a
 * direction that is not a descent direction (or a line search that fails) restarts from the steepest
 * descent with an empty history.
 */
public final class OwlQn {
    /** Armijo constant: accept when the objective falls by at least this fraction of the predicted decrease. */
    private static final double SUFFICIENT_DECREASE = 1e-4;
    private static final int MAX_BACKTRACKS = 40;

    private final int memory;
    private final L1Penalty penalty;
    private final Deque<double[]> sHistory = new ArrayDeque<>();
    private final Deque<double[]> yHistory = new ArrayDeque<>();
    private long iterations;

    /**
     * @param memory  the number of (s, y) pairs kept (--lbfgs-memory)
     * @param penalty its lambda makes this OWL-QN; with lambda 0 it is plain L-BFGS
     */
    public OwlQn(int memory, L1Penalty penalty) {
        if (memory < 1) {
            throw new IllegalArgumentException("--lbfgs-memory must be >= 1, got " + memory);
        }
        this.memory = memory;
        this.penalty = penalty;
    }

    /**
     * The outcome of one iteration.
     *
     * @param weights     the accepted weights (the input weights when the line search failed)
     * @param point       the evaluation at {@code weights}
     * @param stepSize    the accepted step length along the direction (0 when it failed)
     * @param evaluations objective evaluations (passes) this iteration took
     * @param failed      no step decreased the objective, even from the steepest descent: a (local) optimum
     *                    to the precision the evaluations allow
     */
    public record Iteration<P extends SmoothPoint>(double[] weights, P point, double stepSize, int evaluations,
                                                   boolean failed) {
    }

    /**
     * One iteration from {@code weights}, where {@code current} was evaluated.
     * Neither input is modified.
     */
    public <P extends SmoothPoint> Iteration<P> iterate(double[] weights, P current, SmoothObjective<P> objective) {
        double[] gradient = current.meanGradient();
        double[] pseudo = pseudoGradient(weights, gradient, penalty);
        double objectiveNow = current.meanLoss() + penalty.value(weights);
        int evaluations = 0;
        for (int attempt = 0; attempt < 2; attempt++) {
            boolean steepest = sHistory.isEmpty();
            double[] direction = direction(pseudo);
            if (dot(direction, pseudo) >= 0.0) {
                // Can happen when the history misleads on a non-convex loss: start again from the steepest descent.
                clearHistory();
                steepest = true;
                direction = direction(pseudo);
            }
            double descent = dot(direction, pseudo);
            if (descent >= 0.0) {
                return new Iteration<>(weights.clone(), current, 0.0, evaluations, true);
            }
            double step = steepest ? Math.min(1.0, 1.0 / norm(pseudo)) : 1.0;
            for (int backtrack = 0; backtrack < MAX_BACKTRACKS; backtrack++, step *= 0.5) {
                double[] trial = projectedStep(weights, direction, step, pseudo);
                P point = objective.evaluate(trial);
                evaluations++;
                double trialObjective = point.meanLoss() + penalty.value(trial);
                double predicted = 0.0;
                for (int i = 0; i < trial.length; i++) {
                    predicted += pseudo[i] * (trial[i] - weights[i]);
                }
                if (trialObjective <= objectiveNow + SUFFICIENT_DECREASE * predicted) {
                    remember(weights, trial, gradient, point.meanGradient());
                    iterations++;
                    return new Iteration<>(trial, point, step, evaluations, false);
                }
            }
            if (steepest) {
                break;
            }
            clearHistory();
        }
        iterations++;
        return new Iteration<>(weights.clone(), current, 0.0, evaluations, true);
    }

    /**
     * The pseudo-gradient of loss + lambda * |w|_1 (Andrew and Gao, eq. 4): the one-sided derivative
     * that points downhill, or 0 at a weight that is 0 and whose loss derivative lies within +-lambda.
     * With lambda 0 it is the gradient.
     */
    public static double[] pseudoGradient(double[] weights, double[] gradient, L1Penalty penalty) {
        double[] pseudo = gradient.clone();
        double lambda = penalty.lambda();
        if (lambda == 0.0) {
            return pseudo;
        }
        for (int i = 0; i < weights.length; i++) {
            if (!penalty.isPenalized(i)) {
                continue;
            }
            double g = gradient[i];
            if (weights[i] > 0.0) {
                pseudo[i] = g + lambda;
            } else if (weights[i] < 0.0) {
                pseudo[i] = g - lambda;
            } else if (g + lambda < 0.0) {
                pseudo[i] = g + lambda;
            } else if (g - lambda > 0.0) {
                pseudo[i] = g - lambda;
            } else {
                pseudo[i] = 0.0;
            }
        }
        return pseudo;
    }

    /** -H * pseudo by the two-loop recursion, with the components that disagree with -pseudo zeroed. */
    private double[] direction(double[] pseudo) {
        int k = sHistory.size();
        double[] q = pseudo.clone();
        double[] alpha = new double[k];
        double[] rho = new double[k];
        double[][] s = sHistory.toArray(new double[0][]);
        double[][] y = yHistory.toArray(new double[0][]);
        for (int i = k - 1; i >= 0; i--) {
            rho[i] = 1.0 / dot(y[i], s[i]);
            alpha[i] = rho[i] * dot(s[i], q);
            axpy(-alpha[i], y[i], q);
        }
        if (k > 0) {
            double gamma = dot(s[k - 1], y[k - 1]) / dot(y[k - 1], y[k - 1]);
            for (int i = 0; i < q.length; i++) {
                q[i] *= gamma;
            }
        }
        for (int i = 0; i < k; i++) {
            double beta = rho[i] * dot(y[i], q);
            axpy(alpha[i] - beta, s[i], q);
        }
        boolean l1 = penalty.lambda() > 0.0;
        for (int i = 0; i < q.length; i++) {
            double d = -q[i];
            // OWL-QN keeps each penalized component only where it agrees in sign with the steepest descent
            // of the pseudo-gradient: the step must stay in the orthant that the pseudo-gradient was taken in.
            q[i] = !l1 || !penalty.isPenalized(i) || d * pseudo[i] < 0.0 ? d : 0.0;
        }
        return q;
    }

    /** weights + step * direction, with every penalized weight that leaves its orthant set to 0. */
    private double[] projectedStep(double[] weights, double[] direction, double step, double[] pseudo) {
        double[] trial = new double[weights.length];
        boolean l1 = penalty.lambda() > 0.0;
        for (int i = 0; i < weights.length; i++) {
            double t = weights[i] + step * direction[i];
            if (l1 && penalty.isPenalized(i)) {
                // The orthant: the sign of the weight, or for a zero weight the sign of the steepest descent.
                double orthant = weights[i] != 0.0 ? Math.signum(weights[i]) : -Math.signum(pseudo[i]);
                if (Math.signum(t) != orthant) {
                    t = 0.0;
                }
            }
            trial[i] = t;
        }
        return trial;
    }

    private void remember(double[] oldWeights, double[] newWeights, double[] oldGradient, double[] newGradient) {
        double[] s = new double[oldWeights.length];
        double[] y = new double[oldWeights.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = newWeights[i] - oldWeights[i];
            y[i] = newGradient[i] - oldGradient[i];
        }
        double sy = dot(s, y);
        // Only pairs of positive curvature keep H positive definite; the loss of a network need not give them.
        if (!(sy > 1e-12 * dot(y, y)) || !Double.isFinite(sy)) {
            return;
        }
        if (sHistory.size() == memory) {
            sHistory.removeFirst();
            yHistory.removeFirst();
        }
        sHistory.addLast(s);
        yHistory.addLast(y);
    }

    private void clearHistory() {
        sHistory.clear();
        yHistory.clear();
    }

    /** Iterations so far, and the (s, y) pairs as s0, y0, s1, y1, ... oldest first. */
    public OptimizerState state() {
        List<double[]> arrays = new ArrayList<>();
        double[][] s = sHistory.toArray(new double[0][]);
        double[][] y = yHistory.toArray(new double[0][]);
        for (int i = 0; i < s.length; i++) {
            arrays.add(s[i]);
            arrays.add(y[i]);
        }
        return new OptimizerState("lbfgs", iterations, arrays);
    }

    public void restore(OptimizerState state, int parameterCount) {
        state.checkFits("lbfgs", parameterCount, -1);
        if (state.arrays().size() % 2 != 0 || state.arrays().size() / 2 > memory) {
            throw new IllegalArgumentException("The saved lbfgs state holds " + state.arrays().size()
                    + " arrays, not up to " + memory + " (s, y) pairs; was --lbfgs-memory changed?");
        }
        clearHistory();
        for (int i = 0; i < state.arrays().size(); i += 2) {
            sHistory.addLast(state.arrays().get(i).clone());
            yHistory.addLast(state.arrays().get(i + 1).clone());
        }
        iterations = state.steps();
    }

    static double dot(double[] a, double[] b) {
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** The Euclidean norm. */
    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }
}
