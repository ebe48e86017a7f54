package org.l1net.data;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Turns (file, split start, ordinal within the split) into a 1-based line number, on the error
 * path only. It follows Hadoop's LineRecordReader: a split that starts at byte s > 0 skips
 * everything up to and including the first line terminator at or after s, so its first record is
 * the first line that starts after s. Terminators are \n, \r and \r\n.
 */
public final class LineLocator {
    private LineLocator() {
    }

    /** The 1-based line number of record {@code ordinal} of the split starting at {@code splitStart}. */
    public static long lineNumber(String file, long splitStart, long ordinal, Configuration conf) throws IOException {
        if (splitStart == 0) {
            return ordinal + 1;
        }
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(conf);
        try (InputStream in = fs.open(path)) {
            return linesStartingAtOrBefore(in, splitStart) + ordinal + 1;
        }
    }

    /** Number of lines whose first byte is at an offset <= limit (limit > 0). */
    static long linesStartingAtOrBefore(InputStream in, long limit) throws IOException {
        long lines = 1; // the line at offset 0
        byte[] buffer = new byte[1 << 16];
        long position = 0;
        boolean pendingCr = false;
        int n;
        while (position < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - position))) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (pendingCr) {
                    pendingCr = false;
                    if (b != '\n') {
                        lines++; // a lone \r ended the line; this byte starts the next one
                    }
                }
                if (b == '\n') {
                    lines++;
                } else if (b == '\r') {
                    pendingCr = true;
                }
            }
            position += n;
        }
        if (pendingCr) {
            // a \r as the last byte before the limit: the next line starts at limit (counted) unless
            // it is the \r of a \r\n whose \n sits at the limit (then the next line starts after it).
            int next = in.read();
            if (next != '\n') {
                lines++;
            }
        }
        return lines;
    }
}
