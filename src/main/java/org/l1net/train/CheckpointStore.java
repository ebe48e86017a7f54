package org.l1net.train;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.l1net.model.AtomicFiles;
import org.l1net.optim.OptimizerState;

/**
 * The checkpoints of a run folder, {@code DIR/checkpoints/epoch-000040.ckpt}: a binary file (doubles
 * as their exact bits, so a resumed run goes on bit for bit) ending in a CRC-32 of everything before
 * it. Each is written atomically; a file that is short, fails its checksum or does not parse is
 * skipped with a warning, never loaded. The newest {@value #KEEP} are kept.
 */
public final class CheckpointStore {
    static final int KEEP = 3;
    private static final byte[] MAGIC = {'L', '1', 'N', 'E', 'T', 'C', 'K', 'P'};
    private static final int FORMAT_VERSION = 1;
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{6,})\\.ckpt");

    private final Path directory;

    /** @param runDir the run folder; checkpoints go to its {@code checkpoints} sub-folder */
    public CheckpointStore(Path runDir) {
        this.directory = runDir.resolve("checkpoints");
    }

    public Path directory() {
        return directory;
    }

    /** Writes the checkpoint atomically, then deletes all but the newest {@value #KEEP}. */
    public Path write(Checkpoint checkpoint) throws IOException {
        Path file = directory.resolve(String.format("epoch-%06d.ckpt", checkpoint.epoch()));
        byte[] bytes = encode(checkpoint);
        AtomicFiles.write(file, out -> out.write(bytes));
        List<Path> all = list();
        for (int i = KEEP; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        return file;
    }

    /** The checkpoint files, newest (highest epoch) first. Temporary files of unfinished writes are not listed. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(CheckpointStore::epochOf).reversed())
                    .toList();
        }
    }

    /**
     * The newest checkpoint that reads back whole; every newer file that does not is reported to
     * {@code warnings} and skipped.
     */
    public Optional<Checkpoint> newestValid(Consumer<String> warnings) throws IOException {
        for (Path file : list()) {
            try {
                return Optional.of(read(file));
            } catch (IOException | RuntimeException e) {
                warnings.accept("skipping checkpoint " + file + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Reads one checkpoint, or throws when it is truncated, corrupt or of another format. */
    public static Checkpoint read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < MAGIC.length + 4 + 8) {
            throw new IOException("truncated (" + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new IOException("not an l1net checkpoint");
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException("checksum mismatch (truncated or corrupt)");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, MAGIC.length,
                bytes.length - 8 - MAGIC.length))) {
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IOException("checkpoint format version " + version + ", this l1net reads " + FORMAT_VERSION);
            }
            String fingerprint = in.readUTF();
            int epoch = in.readInt();
            double[] parameters = readArray(in);
            String optimizerName = in.readUTF();
            long steps = in.readLong();
            int arrayCount = in.readInt();
            List<double[]> arrays = new ArrayList<>(arrayCount);
            for (int i = 0; i < arrayCount; i++) {
                arrays.add(readArray(in));
            }
            int rows = in.readInt();
            List<EpochMetrics> history = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                history.add(new EpochMetrics(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble(), in.readDouble(), in.readInt(), in.readInt(), in.readDouble(), in.readLong(),
                        in.readDouble(), in.readDouble()));
            }
            long passes = in.readLong();
            double seconds = in.readDouble();
            double[] best = in.readBoolean() ? readArray(in) : null;
            int bestEpoch = in.readInt();
            double bestScore = in.readDouble();
            if (in.read() != -1) {
                throw new IOException("trailing bytes");
            }
            return new Checkpoint(fingerprint, epoch, parameters, new OptimizerState(optimizerName, steps, arrays),
                    history, passes, seconds, best, bestEpoch, bestScore);
        } catch (EOFException e) {
            throw new IOException("ends early", e);
        }
    }

    static byte[] encode(Checkpoint c) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(c.fingerprint());
        out.writeInt(c.epoch());
        writeArray(out, c.parameters());
        out.writeUTF(c.optimizer().optimizer());
        out.writeLong(c.optimizer().steps());
        out.writeInt(c.optimizer().arrays().size());
        for (double[] a : c.optimizer().arrays()) {
            writeArray(out, a);
        }
        out.writeInt(c.history().size());
        for (EpochMetrics m : c.history()) {
            out.writeInt(m.epoch());
            out.writeDouble(m.dataLoss());
            out.writeDouble(m.l1Penalty());
            out.writeDouble(m.trainAccuracy());
            out.writeDouble(m.testAccuracy());
            out.writeDouble(m.testLoss());
            out.writeInt(m.nonzeroWeights());
            out.writeInt(m.totalWeights());
            out.writeDouble(m.seconds());
            out.writeLong(m.passes());
            out.writeDouble(m.stepSize());
            out.writeDouble(m.gradientNorm());
        }
        out.writeLong(c.passes());
        out.writeDouble(c.seconds());
        double[] best = c.bestParameters();
        out.writeBoolean(best != null);
        if (best != null) {
            writeArray(out, best);
        }
        out.writeInt(c.bestEpoch());
        out.writeDouble(c.bestScore());
        out.flush();
        CRC32 crc = new CRC32();
        byte[] body = buffer.toByteArray();
        crc.update(body);
        out.writeLong(crc.getValue());
        out.flush();
        return buffer.toByteArray();
    }

    private static void writeArray(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeLong(Double.doubleToRawLongBits(v));
        }
    }

    private static double[] readArray(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() / 8) {
            throw new IOException("an array of " + n + " doubles does not fit in what is left of the file");
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Double.longBitsToDouble(in.readLong());
        }
        return a;
    }

    private static long epochOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
