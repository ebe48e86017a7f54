package org.l1net.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Packs a stream of rows [features..., label] into blocks of at most blockRows rows, as float32. */
final class BlockPacker implements Iterator<DataBlock> {
    private final Iterator<double[]> rows;
    private final int features;
    private final int blockRows;
    private final Standardizer standardizer;

    BlockPacker(Iterator<double[]> rows, int features, int blockRows) {
        this(rows, features, blockRows, null);
    }

    /** @param standardizer applied to every row's features, or null for the values as read */
    BlockPacker(Iterator<double[]> rows, int features, int blockRows, Standardizer standardizer) {
        this.rows = rows;
        this.features = features;
        this.blockRows = blockRows;
        this.standardizer = standardizer;
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public DataBlock next() {
        if (!rows.hasNext()) {
            throw new NoSuchElementException();
        }
        float[] x = new float[blockRows * features];
        int[] labels = new int[blockRows];
        int n = 0;
        while (n < blockRows && rows.hasNext()) {
            double[] row = rows.next();
            Standardizer.pack(row, features, standardizer, x, n * features);
            labels[n] = (int) row[features];
            n++;
        }
        if (n < blockRows) {
            x = java.util.Arrays.copyOf(x, n * features);
            labels = java.util.Arrays.copyOf(labels, n);
        }
        return new DataBlock(n, features, x, labels);
    }
}
