package org.l1net.train;

/**
 * Which lambda of a regularization path to keep. {@code best}: the highest validation accuracy (ties go
 * to the larger lambda). {@code oneSe}: the sparsest model whose validation accuracy is within one
 * standard error of the best, SE = sqrt(acc * (1 - acc) / n) at the best accuracy over n validation rows
 * (fewest nonzero weights; ties go to the higher validation accuracy, then to the larger lambda).
 *
 * @param best          index of the most accurate lambda on the validation set
 * @param oneSe         index of the sparsest lambda within one standard error of it
 * @param standardError the standard error of the best validation accuracy
 */
public record PathChoice(int best, int oneSe, double standardError) {

    /**
     * @param validationAccuracy per lambda, largest lambda first
     * @param nonzeroWeights     per lambda
     * @param validationRows     n
     */
    public static PathChoice choose(double[] validationAccuracy, long[] nonzeroWeights, long validationRows) {
        if (validationAccuracy.length == 0 || validationAccuracy.length != nonzeroWeights.length) {
            throw new IllegalArgumentException("Expected one accuracy and one nonzero count per lambda, got "
                    + validationAccuracy.length + " and " + nonzeroWeights.length);
        }
        if (validationRows < 1) {
            throw new IllegalArgumentException("The validation set has no rows");
        }
        int best = 0;
        for (int i = 1; i < validationAccuracy.length; i++) {
            if (validationAccuracy[i] > validationAccuracy[best]) {
                best = i;
            }
        }
        double acc = validationAccuracy[best];
        double se = Math.sqrt(acc * (1 - acc) / validationRows);
        int oneSe = best;
        for (int i = 0; i < validationAccuracy.length; i++) {
            if (validationAccuracy[i] >= acc - se && (nonzeroWeights[i] < nonzeroWeights[oneSe]
                    || nonzeroWeights[i] == nonzeroWeights[oneSe] && validationAccuracy[i] > validationAccuracy[oneSe])) {
                oneSe = i;
            }
        }
        return new PathChoice(best, oneSe, se);
    }
}
