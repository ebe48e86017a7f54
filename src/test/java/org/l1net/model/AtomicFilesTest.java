package org.l1net.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AtomicFiles: readers see the old file or the whole new one; a failed write changes nothing. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesIntoNewFoldersAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("a/b/file.txt");

        AtomicFiles.writeString(target, "hello\n");

        assertEquals("hello\n", Files.readString(target));
        assertEquals(List.of(target), list(target.getParent()));
    }

    @Test
    void replacesALargerFileWhole() throws IOException {
        Path target = dir.resolve("file.txt");
        AtomicFiles.writeString(target, "x".repeat(100_000));

        AtomicFiles.writeString(target, "short");

        assertEquals("short", Files.readString(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndCleansUp() throws IOException {
        Path target = dir.resolve("model.json");
        AtomicFiles.writeString(target, "old content");

        IOException io = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[200_000]); // past the 64 KB buffer, so part of it reached the temp file
            throw new IOException("disk full");
        }));
        RuntimeException runtime = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IllegalStateException("task failed");
        }));

        assertEquals("disk full", io.getMessage());
        assertEquals("task failed", runtime.getMessage());
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void aFailedFirstWriteLeavesNothing() throws IOException {
        Path target = dir.resolve("out.csv");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            throw new IOException("no data");
        }));
        assertFalse(Files.exists(target));
        assertEquals(List.of(), list(dir));
    }

    /** Not createTempFile's owner-only 0600: the file gets what any new file in its folder gets. */
    @Test
    void permissionsAreThoseOfAnOrdinaryNewFile() throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path ordinary = Files.createFile(dir.resolve("ordinary"));
        Path target = dir.resolve("atomic");

        AtomicFiles.writeString(target, "x");

        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(target));
    }

    /** A reader polling while the file is rewritten again and again never sees a mix or a gap. */
    @Test
    void concurrentReadersSeeOneWholeVersion() throws Exception {
        Path target = dir.resolve("shared.bin");
        byte[] a = new byte[300_000];
        byte[] b = new byte[123_457];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        AtomicFiles.write(target, out -> out.write(a));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> problem = new AtomicReference<>();
        int[] reads = {0};
        Thread reader = new Thread(() -> {
            while (!done.get() && problem.get() == null) {
                try {
                    byte[] seen = Files.readAllBytes(target);
                    reads[0]++;
                    if (!Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
                        problem.set("read " + seen.length + " bytes that are neither version");
                    }
                } catch (NoSuchFileException e) {
                    problem.set("the file was missing for a moment");
                } catch (IOException e) {
                    problem.set(e.toString());
                }
            }
        });
        reader.start();
        for (int i = 0; i < 30 && problem.get() == null; i++) {
            byte[] next = i % 2 == 0 ? b : a; // ends on a
            AtomicFiles.write(target, out -> out.write(next));
        }
        done.set(true);
        reader.join();
        assertEquals(null, problem.get());
        assertTrue(reads[0] > 0);
        assertArrayEquals(a, Files.readAllBytes(target));
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }
}
