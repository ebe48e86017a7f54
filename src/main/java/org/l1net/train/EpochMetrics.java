package org.l1net.train;

/**
 * The model after an epoch's update (epoch 0 is the initial model).
 *
 * @param testAccuracy NaN when the test set was not evaluated this epoch (or there is none)
 * @param testLoss     NaN likewise
 * @param seconds      wall time of this epoch: its update and its evaluation passes
 * @param passes       passes over the data (training and test sets) since the run began, this epoch's included
 * @param stepSize     the step this epoch's update took: the learning rate for sgd and adam, the accepted
 *                     line-search step for lbfgs; NaN for epoch 0
 * @param gradientNorm the L2 norm of the objective's pseudo-gradient at these weights (the data-loss gradient
 *                     plus the L1 term's steepest one-sided slope; 0 at a minimum)
 */
public record EpochMetrics(int epoch, double dataLoss, double l1Penalty, double trainAccuracy,
                           double testAccuracy, double testLoss, int nonzeroWeights, int totalWeights,
                           double seconds, long passes, double stepSize, double gradientNorm) {

    public double objective() {
        return dataLoss + l1Penalty;
    }

    public boolean hasTest() {
        return !Double.isNaN(testAccuracy);
    }
}
