package org.l1net.penalty;

/**
 * lambda * sum over penalized parameters of |w|. Which parameters are penalized is fixed at
 * construction (connection weights; biases only when asked).
 */
public final class L1Penalty {
    private final double lambda;
    private final L1Mode mode;
    private final boolean[] penalized;

    /**
     * @param penalized true for each flat-vector index that the penalty applies to
     */
    public L1Penalty(double lambda, L1Mode mode, boolean[] penalized) {
        if (!(lambda >= 0.0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("--l1 must be a finite number >= 0, got " + lambda);
        }
        this.lambda = lambda;
        this.mode = mode;
        this.penalized = penalized.clone();
    }

    /** A penalty on connection weights, or on every parameter when includeBiases is set. */
    public static L1Penalty forTopology(double lambda, L1Mode mode, boolean[] biasMask, boolean includeBiases) {
        boolean[] penalized = new boolean[biasMask.length];
        for (int i = 0; i < penalized.length; i++) {
            penalized[i] = includeBiases || !biasMask[i];
        }
        return new L1Penalty(lambda, mode, penalized);
    }

    public double lambda() {
        return lambda;
    }

    public L1Mode mode() {
        return mode;
    }

    public boolean isPenalized(int index) {
        return penalized[index];
    }

    public boolean isActive() {
        return lambda > 0.0;
    }

    /** lambda * sum |w| over the penalized indices. */
    public double value(double[] w) {
        if (lambda == 0.0) {
            return 0.0;
        }
        double sum = 0.0;
        for (int i = 0; i < w.length; i++) {
            if (penalized[i]) {
                sum += Math.abs(w[i]);
            }
        }
        return lambda * sum;
    }

    /** In subgradient mode, adds lambda * sign(w) to the gradient (sign(0) = 0); otherwise does nothing. */
    public void addSubgradient(double[] w, double[] gradient) {
        if (mode != L1Mode.SUBGRADIENT || lambda == 0.0) {
            return;
        }
        for (int i = 0; i < w.length; i++) {
            if (penalized[i]) {
                gradient[i] += lambda * Math.signum(w[i]);
            }
        }
    }

    /**
     * The proximal step for weight i after a gradient step of size {@code stepSize}: soft-threshold
     * by lambda * stepSize in proximal mode; the value unchanged otherwise.
     */
    public double shrink(int index, double w, double stepSize) {
        if (mode != L1Mode.PROXIMAL || lambda == 0.0 || !penalized[index]) {
            return w;
        }
        return softThreshold(w, lambda * stepSize);
    }

    /** sign(w) * max(0, |w| - threshold): exactly 0 inside the threshold. */
    public static double softThreshold(double w, double threshold) {
        if (w > threshold) {
            return w - threshold;
        }
        if (w < -threshold) {
            return w + threshold;
        }
        return 0.0;
    }
}
