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
    void describesTheLargerOfMemoryAndDiskAgainstTheRawBytes() {
        CacheInfo sampleData = new CacheInfo(2, 2, 9_136, 0, 8_960);
        assertEquals("2/2 partitions, 9.1 KB in memory, 0 B on disk, 1.02x the raw float32 rows (9.0 KB)",
                sampleData.describe());
        CacheInfo spilled = new CacheInfo(1, 2, 22_000_000, 44_000_000, 44_000_000);
        assertEquals(1.0, spilled.ratio(), 0.0);
    }
}
