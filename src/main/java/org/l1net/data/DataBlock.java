package org.l1net.data;

import java.io.Serializable;

/**
 * A packed block of rows: features [rows x features] row-major as float32 (half the memory of
 * doubles; the kernel widens them and computes in double) and one class index per row.
 * The arrays are shared, not copied; nothing mutates a block after it is built.
 */
public final class DataBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int rows;
    private final int features;
    private final float[] x;
    private final int[] labels;

    public DataBlock(int rows, int features, float[] x, int[] labels) {
        if (x.length != rows * features || labels.length != rows) {
            throw new IllegalArgumentException("Block arrays do not match " + rows + " rows x " + features + " features");
        }
        this.rows = rows;
        this.features = features;
        this.x = x;
        this.labels = labels;
    }

    public int rows() {
        return rows;
    }

    public int features() {
        return features;
    }

    /** Row-major [rows x features]; do not modify. */
    public float[] x() {
        return x;
    }

    /** Do not modify. */
    public int[] labels() {
        return labels;
    }

    public long sizeInBytes() {
        return 4L * x.length + 4L * labels.length;
    }
}
