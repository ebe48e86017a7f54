package org.l1net.data;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.DiskStore;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.memory.MemoryStore;

/**
 * Where Spark holds a set of cached blocks, from its own storage status: how many partitions are
 * cached, the bytes in memory and on disk, against the raw bytes of the rows (float32 features and
 * an int label each).
 *
 * <p>In local mode the sizes are read block by block from the block manager's memory and disk stores
 * themselves: a block that first went to disk is put back in memory when it is read and there is
 * room, and Spark does not report that to its storage status, which then says "0 in memory" for
 * blocks that are in memory.
 *
 * @param cachedBytes the cached blocks' bytes with each block counted once, whether it is in memory,
 *                    on disk or both (local mode: block by block; on a cluster the larger of Spark's
 *                    memory and disk totals, which is low when some blocks are only in memory and
 *                    others only on disk)
 */
public record CacheInfo(int cachedPartitions, int partitions, long memoryBytes, long diskBytes, long cachedBytes,
                        long rawBytes) {

    /** Spark's storage status for the blocks of {@code data}. */
    public static CacheInfo of(SparkContext sc, LabeledBlocks data) {
        long raw = data.rows() * (4L * data.spec().features() + 4L);
        int id = data.blocks().id();
        for (RDDInfo info : sc.getRDDStorageInfo()) {
            if (info.id() == id) {
                if (!sc.isLocal()) {
                    return new CacheInfo(info.numCachedPartitions(), info.numPartitions(), info.memSize(),
                            info.diskSize(), Math.max(info.memSize(), info.diskSize()), raw);
                }
                long[][] sizes = localBlockSizes(id, info.numPartitions());
                return new CacheInfo(info.numCachedPartitions(), info.numPartitions(), Arrays.stream(sizes[0]).sum(),
                        Arrays.stream(sizes[1]).sum(), bytesOnce(sizes[0], sizes[1]), raw);
            }
        }
        return new CacheInfo(0, data.blocks().getNumPartitions(), 0, 0, 0, raw);
    }

    /** Each partition's block bytes in this JVM's memory store and disk store (local mode: the only executor). */
    private static long[][] localBlockSizes(int rddId, int partitions) {
        MemoryStore memory = SparkEnv.get().blockManager().memoryStore();
        DiskStore disk = SparkEnv.get().blockManager().diskStore();
        long[][] sizes = new long[2][partitions];
        for (int p = 0; p < partitions; p++) {
            RDDBlockId block = new RDDBlockId(rddId, p);
            sizes[0][p] = memory.contains(block) ? memory.getSize(block) : 0;
            sizes[1][p] = disk.contains(block) ? disk.getSize(block) : 0;
        }
        return sizes;
    }

    /** Bytes with each block counted once: the larger of its size in memory and on disk. */
    static long bytesOnce(long[] memory, long[] disk) {
        long bytes = 0;
        for (int p = 0; p < memory.length; p++) {
            bytes += Math.max(memory[p], disk[p]);
        }
        return bytes;
    }

    /** The cached bytes, each block once, over the raw float32 bytes. */
    public double ratio() {
        return rawBytes == 0 ? 0.0 : (double) cachedBytes / rawBytes;
    }

    /** "2/2 partitions, 440.0 MB in memory, 0 B on disk, 1.00x the raw float32 rows (440.0 MB)". */
    public String describe() {
        return String.format(Locale.ROOT, "%d/%d partitions, %s in memory, %s on disk, %.2fx the raw float32 rows (%s)",
                cachedPartitions, partitions, size(memoryBytes), size(diskBytes), ratio(), size(rawBytes));
    }

    /** Bytes in B, KB, MB or GB (powers of 1000), so that small data does not read "0.0 MB". */
    static String size(long bytes) {
        if (bytes < 1_000) {
            return bytes + " B";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
        }
        if (bytes < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
