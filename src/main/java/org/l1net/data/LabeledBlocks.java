package org.l1net.data;

import org.apache.spark.api.java.JavaRDD;

/**
 * A labeled dataset packed into blocks and cached (MEMORY_AND_DISK), with what its one read pass
 * counted.
 */
public record LabeledBlocks(JavaRDD<DataBlock> blocks, TableSpec spec, long rows, int maxLabel, int partitions) {

    /** Releases the cached blocks. */
    public void release() {
        blocks.unpersist(false);
    }
}
