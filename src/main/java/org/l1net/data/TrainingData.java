package org.l1net.data;

/**
 * The training set as read, with the validation set split off it (or null) and the standardization
 * fitted on it (or null).
 */
public record TrainingData(LabeledBlocks train, LabeledBlocks validation, Standardizer standardizer) {

    /** The classes the labels show: the class names' count, else the largest class index + 1. */
    public int classesSeen() {
        if (train.spec().classNames() != null) {
            return train.spec().classNames().size();
        }
        return Math.max(train.maxLabel(), validation == null ? -1 : validation.maxLabel()) + 1;
    }

    /** Releases the cached blocks of both sets. */
    public void release() {
        train.release();
        if (validation != null) {
            validation.release();
        }
    }
}
