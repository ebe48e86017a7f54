package org.l1net.data;

import java.util.List;

/**
 * How to read a labeled table.
 *
 * @param header       header handling for CSV
 * @param labelColumn  "last", a 0-based column index, or a column name
 * @param partitions   partitions of the cached blocks; 0 means Spark's default parallelism
 * @param blockRows    rows per packed block; 0 chooses from the feature count
 * @param format       the input format, or null to take it from the file names
 * @param features     the feature columns by name (DataFrame formats), or null for the default choice
 * @param numFeatures  LIBSVM: the feature count, or 0 to take it from the data
 * @param onBadRows    fail on a bad row, or skip and count it
 */
public record ReadOptions(HeaderMode header, String labelColumn, int partitions, int blockRows, InputFormat format,
                          List<String> features, int numFeatures, OnBadRows onBadRows) {

    public ReadOptions {
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be >= 1 (or 0 for Spark's default), got " + partitions);
        }
        if (blockRows < 0) {
            throw new IllegalArgumentException("--block-size must be >= 1 (or 0 for automatic), got " + blockRows);
        }
        if (numFeatures < 0) {
            throw new IllegalArgumentException("--num-features must be >= 1 (or 0 to count them in the data), got "
                    + numFeatures);
        }
        features = features == null ? null : List.copyOf(features);
        onBadRows = onBadRows == null ? OnBadRows.FAIL : onBadRows;
    }

    /** CSV options as before the other formats: the format from the file names, default features, fail on bad rows. */
    public ReadOptions(HeaderMode header, String labelColumn, int partitions, int blockRows) {
        this(header, labelColumn, partitions, blockRows, null, null, 0, OnBadRows.FAIL);
    }

    /** Rows per block: a given size, or about 1 MB of float32 features, between 64 and 4096 rows. */
    public int blockRowsFor(int features) {
        if (blockRows > 0) {
            return blockRows;
        }
        return Math.max(64, Math.min(4096, (1 << 20) / (4 * Math.max(1, features))));
    }

    /** These options with another partition count. */
    public ReadOptions withPartitions(int count) {
        return new ReadOptions(header, labelColumn, count, blockRows, format, features, numFeatures, onBadRows);
    }
}
