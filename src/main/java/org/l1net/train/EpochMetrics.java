package org.l1net.train;

/**
 * The model after an epoch's update (epoch 0 is the initial model).
 *
 * @param testAccuracy NaN when the test set was not evaluated this epoch (or there is none)
 * @param testLoss     NaN likewise
 * @param seconds      wall time of this epoch: its update and its evaluation passes
 */
public record EpochMetrics(int epoch, double dataLoss, double l1Penalty, double trainAccuracy,
                           double testAccuracy, double testLoss, int nonzeroWeights, int totalWeights,
                           double seconds) {

    public double objective() {
        return dataLoss + l1Penalty;
    }

    public boolean hasTest() {
        return !Double.isNaN(testAccuracy);
    }
}
