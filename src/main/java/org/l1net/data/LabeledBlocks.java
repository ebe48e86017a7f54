package org.l1net.data;

import org.apache.spark.api.java.JavaRDD;

/**
 * A labeled dataset packed into blocks and cached (MEMORY_AND_DISK), with what its one read pass
 * counted.
 *
 * @param skippedRows  rows left out by {@code --on-bad-rows skip}
 * @param firstSkipped where the first of them is and what was wrong with it, or null
 * @param derivation   how the rows were derived from the input ("" when read as they are): the
 *                     standardization and the validation split, which a resumed run must share
 */
public record LabeledBlocks(JavaRDD<DataBlock> blocks, TableSpec spec, long rows, int maxLabel, int partitions,
                            long skippedRows, String firstSkipped, String derivation) {

    public LabeledBlocks(JavaRDD<DataBlock> blocks, TableSpec spec, long rows, int maxLabel, int partitions) {
        this(blocks, spec, rows, maxLabel, partitions, 0, null, "");
    }

    /** Releases the cached blocks. */
    public void release() {
        blocks.unpersist(false);
    }
}
