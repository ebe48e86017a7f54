package org.l1net.data;

/**
 * How to read a labeled table.
 *
 * @param header       header handling for CSV
 * @param labelColumn  "last", a 0-based column index, or a header name
 * @param partitions   partitions of the cached blocks; 0 means Spark's default parallelism
 * @param blockRows    rows per packed block; 0 chooses from the feature count
 */
public record ReadOptions(HeaderMode header, String labelColumn, int partitions, int blockRows) {

    public ReadOptions {
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be >= 1 (or 0 for Spark's default), got " + partitions);
        }
        if (blockRows < 0) {
            throw new IllegalArgumentException("--block-size must be >= 1 (or 0 for automatic), got " + blockRows);
        }
    }

    /** Rows per block: a given size, or about 1 MB of float32 features, between 64 and 4096 rows. */
    public int blockRowsFor(int features) {
        if (blockRows > 0) {
            return blockRows;
        }
        return Math.max(64, Math.min(4096, (1 << 20) / (4 * Math.max(1, features))));
    }
}
