package org.l1net.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How the training rows are prepared, shared by {@code train} and {@code sweep} (a picocli mixin): the
 * seeded share held out of them, and the standardization fitted on the rest.
 */
final class TrainingDataOptions {
    // One declaration for both commands: a held-out set split by train and by sweep is the same rows
    // for the same data and --seed, so the option must mean the same thing in both.
    @Option(names = "--validation-fraction", defaultValue = "0", description = "Hold out this fraction of the training "
            + "rows, chosen by a hash of each row and --seed, when no file is given for the held-out set: train's "
            + "test set (instead of --test), sweep's validation set (instead of --validation) (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--standardize", description = "Scale each feature to mean 0 and standard deviation 1 with the "
            + "training set's statistics, stored in the model and applied by evaluate and predict (default: off).")
    boolean standardize;

    /** Fails on a fraction outside [0, 1) before Spark starts. */
    void check() {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("--validation-fraction must be in [0, 1), got " + validationFraction);
        }
    }

    /** A held-out set is split off the training rows. */
    boolean splits() {
        return validationFraction > 0;
    }

    /** What a model records of these options, under the keys train has always written. */
    void putProvenance(Map<String, Object> provenance) {
        provenance.put("standardize", standardize);
        provenance.put("validationFraction", validationFraction);
    }
}
