package org.l1net.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LineLocator against two independent references over random byte layouts mixing \n, \r\n and
 * lone \r: a plain scan of the bytes for line starts, and Hadoop's own LineRecordReader (the reader
 * under Spark's text source) reading the split, whose k-th record must be the text of the line
 * LineLocator names.
 */
class LineLocatorTest {
    private static final String[] TERMINATORS = {"\n", "\r\n", "\r"};
    private static Configuration conf;

    @TempDir
    Path dir;

    @BeforeAll
    static void hadoopConf() {
        conf = new Configuration();
    }

    @Test
    void randomLayoutsAgreeWithALineScanAndWithHadoopsReader() throws IOException {
        SplittableRandom random = new SplittableRandom(20261124);
        int checkedSplits = 0;
        for (int trial = 0; trial < 50; trial++) {
            byte[] bytes = randomLayout(random, random.nextInt(40), 12);
            if (bytes.length < 2) {
                continue;
            }
            Path file = dir.resolve("layout-" + trial + ".csv");
            Files.write(file, bytes);
            List<Integer> starts = lineStarts(bytes);
            // split starts on and right after terminators (where the off-by-ones live), and anywhere
            for (int s = 1; s < bytes.length; s++) {
                boolean nearTerminator = isTerminator(bytes[s - 1]) || isTerminator(bytes[s]);
                if (random.nextInt(nearTerminator ? 2 : 8) == 0) {
                    checkSplit(file, bytes, starts, s);
                    checkedSplits++;
                }
            }
        }
        assertTrue(checkedSplits > 800, "too few splits checked: " + checkedSplits);
    }

    private static boolean isTerminator(byte b) {
        return b == '\n' || b == '\r';
    }

    /** Line terminators that straddle the 64 KB read buffer and the split start together. */
    @Test
    void terminatorsAcrossTheReadBufferBoundary() throws IOException {
        int boundary = 1 << 16;
        for (int t = 0; t < TERMINATORS.length; t++) {
            String terminator = TERMINATORS[t];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SplittableRandom random = new SplittableRandom(7);
            while (out.size() < boundary - 1) {
                out.writeBytes(("1," + random.nextInt(1000) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            byte[] head = java.util.Arrays.copyOf(out.toByteArray(), boundary - 1);
            head[head.length - 1] = 'x'; // no terminator right before the one under test
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            file.writeBytes(head);
            file.writeBytes(terminator.getBytes(StandardCharsets.US_ASCII)); // starts at byte 65535
            file.writeBytes(randomLayout(random, 30, 8));
            byte[] bytes = file.toByteArray();
            Path path = dir.resolve("boundary-" + t + ".csv");
            Files.write(path, bytes);
            List<Integer> starts = lineStarts(bytes);
            for (int s = boundary - 6; s <= boundary + 6; s++) {
                checkSplit(path, bytes, starts, s);
            }
        }
    }

    @Test
    void firstSplitNeedsNoReading() throws IOException {
        assertEquals(1, LineLocator.lineNumber(dir.resolve("never-opened.csv").toString(), 0, 0, conf));
        assertEquals(42, LineLocator.lineNumber(dir.resolve("never-opened.csv").toString(), 0, 41, conf));
    }

    /**
     * Reads the split [s, end of file) with Hadoop's reader: every record must be the text of the
     * line the scan counts for it, and LineLocator must name that line for the first and last
     * record (the others differ only by the ordinal it adds).
     */
    private static void checkSplit(Path file, byte[] bytes, List<Integer> starts, int s) throws IOException {
        List<String> records = readSplit(file, s, bytes.length - s);
        long before = starts.stream().filter(start -> start <= s).count();
        for (int k = 0; k < records.size(); k++) {
            long line = before + k + 1;
            String where = file.getFileName() + " split at " + s + ", record " + k;
            assertEquals(lineText(bytes, starts, (int) line), records.get(k), where + ": Hadoop's record is line " + line);
            if (k == 0 || k == records.size() - 1) {
                assertEquals(line, LineLocator.lineNumber(file.toUri().toString(), s, k, conf), where);
            }
        }
    }

    /** A random file: lines of digits and commas (some empty), each ended by a random terminator. */
    private static byte[] randomLayout(SplittableRandom random, int lines, int maxLength) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            int length = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(maxLength);
            for (int c = 0; c < length; c++) {
                sb.append("0123456789,.-".charAt(random.nextInt(13)));
            }
            if (i < lines - 1 || random.nextBoolean()) {
                sb.append(TERMINATORS[random.nextInt(TERMINATORS.length)]);
            }
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Offsets where lines start: 0, and after every \n, lone \r or \r\n that is not the last byte. */
    private static List<Integer> lineStarts(byte[] bytes) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < bytes.length; i++) {
            int next = -1;
            if (bytes[i] == '\n') {
                next = i + 1;
            } else if (bytes[i] == '\r') {
                next = i + 1 < bytes.length && bytes[i + 1] == '\n' ? i + 2 : i + 1;
                i = next - 1;
            }
            if (next > 0 && next < bytes.length) {
                starts.add(next);
            }
        }
        return starts;
    }

    /** The text of 1-based line {@code line}, without its terminator. */
    private static String lineText(byte[] bytes, List<Integer> starts, int line) {
        int start = starts.get(line - 1);
        int end = start;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
    }

    private static List<String> readSplit(Path file, long start, long length) throws IOException {
        FileSplit split = new FileSplit(new org.apache.hadoop.fs.Path(file.toUri()), start, length, new String[0]);
        List<String> records = new ArrayList<>();
        try (LineRecordReader reader = new LineRecordReader()) {
            reader.initialize(split, new TaskAttemptContextImpl(conf, new TaskAttemptID()));
            while (reader.nextKeyValue()) {
                records.add(reader.getCurrentValue().toString());
            }
        }
        return records;
    }

    @Test
    void lineStartsOfTheReferenceScan() {
        // The reference itself, on a hand-made layout: "a\r\nb\rc\n\nd" has lines a, b, c, "", d.
        byte[] bytes = "a\r\nb\rc\n\nd".getBytes(StandardCharsets.US_ASCII);
        assertEquals(List.of(0, 3, 5, 7, 8), lineStarts(bytes));
        List<String> texts = new ArrayList<>();
        for (int line = 1; line <= 5; line++) {
            texts.add(lineText(bytes, lineStarts(bytes), line));
        }
        assertEquals(List.of("a", "b", "c", "", "d"), texts);
    }
}
