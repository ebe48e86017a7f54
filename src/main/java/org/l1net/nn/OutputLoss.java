package org.l1net.nn;

import java.util.Locale;

/**
 * The per-row loss on the softmax output. The objective is the mean of this over rows.
 *
 * <p>CROSS_ENTROPY: -log p[y]. MEAN_SQUARED_ERROR: sum over classes of (p[k] - t[k])^2 with t the
 * one-hot target, as in the article (its "mean squared error" is this sum averaged over rows).
 */
public enum OutputLoss {
    CROSS_ENTROPY("cross-entropy"),
    MEAN_SQUARED_ERROR("mse");

    private final String cliName;

    OutputLoss(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in model files. */
    public String cliName() {
        return cliName;
    }

    /** Parses "cross-entropy" (or "ce") and "mse"; the error lists the accepted names. */
    public static OutputLoss fromName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cross-entropy") || n.equals("ce") || n.equals("crossentropy")) {
            return CROSS_ENTROPY;
        }
        if (n.equals("mse") || n.equals("mean-squared-error")) {
            return MEAN_SQUARED_ERROR;
        }
        throw new IllegalArgumentException("Unknown loss '" + name + "': expected cross-entropy or mse");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
