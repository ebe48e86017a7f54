package org.l1net.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The cache line: sizes in readable units, and the ratio of cached to raw float32 bytes. */
class CacheInfoTest {
    @Test
    void sizesUseAUnitThatShowsThem() {
        assertEquals("0 B", CacheInfo.size(0));
        assertEquals("999 B", CacheInfo.size(999));
        assertEquals("9.0 KB", CacheInfo.size(8_960));
        assertEquals("440.1 MB", CacheInfo.size(440_100_000));
        assertEquals("1.76 GB", CacheInfo.size(1_760_000_000L));
    }

    @Test
    void describesTheCachedBytesAgainstTheRawBytes() {
        CacheInfo sampleData = new CacheInfo(2, 2, 9_136, 0, 9_136, 8_960);
        assertEquals("2/2 partitions, 9.1 KB in memory, 0 B on disk, 1.02x the raw float32 rows (9.0 KB)",
                sampleData.describe());
    }

    /**
     * Each block counts once: a spill run had partition 0 only in memory and partition 1 only on disk
     * (22 MB each), which the larger of the two totals reported as 0.50x the raw bytes.
     */
    @Test
    void aBlockCountsOnceWhetherInMemoryOnDiskOrBoth() {
        assertEquals(44_000_000, CacheInfo.bytesOnce(new long[] {22_000_000, 0}, new long[] {0, 22_000_000}));
        assertEquals(44_000_000, CacheInfo.bytesOnce(new long[] {22_000_000, 22_000_000}, new long[] {22_000_000, 22_000_000}));
        assertEquals(44_100_000, CacheInfo.bytesOnce(new long[] {22_100_000, 0}, new long[] {22_000_000, 22_000_000}));
    }
}
