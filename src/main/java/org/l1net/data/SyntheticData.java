package org.l1net.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.l1net.nn.Activation;
import org.l1net.nn.BlockKernel;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;

/**
 * The article's synthetic data: inputs uniform in [-1, 1], the label the argmax of a random
 * seeded 'teacher' network (tanh hidden layer, weights uniform in [-scale, scale]), then a fraction
 * of labels replaced by a uniformly random class.
 *
 * <p>Every row is drawn from its own generator, seeded from (seed, split, row index), so a row does
 * not depend on how many rows come before it or on which machine makes it. Serializable so that
 * executors can fill their own ranges of rows ({@link SyntheticTables}).
 */
public final class SyntheticData implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Salts that keep the training rows, test rows and teacher weights on separate streams. */
    public static final long TRAIN_SPLIT = 1;
    public static final long TEST_SPLIT = 2;
    private static final long TEACHER_STREAM = 0x7EAC4E4L;

    private final int features;
    private final int classes;
    private final double noise;
    private final long seed;
    private final Topology teacherTopology;
    private final double[] teacher;

    /**
     * @param teacherHidden hidden units of the teacher network
     * @param teacherScale  teacher weights are uniform in [-scale, scale]; larger is more non-linear
     */
    public SyntheticData(int features, int classes, int teacherHidden, double teacherScale, double noise, long seed) {
        if (features < 1 || classes < 2 || teacherHidden < 1) {
            throw new IllegalArgumentException("generate needs --features >= 1, --classes >= 2 and --teacher-hidden >= 1");
        }
        if (!(noise >= 0.0 && noise <= 1.0)) {
            throw new IllegalArgumentException("--noise must be in [0, 1], got " + noise);
        }
        if (!(teacherScale > 0.0) || Double.isInfinite(teacherScale)) {
            throw new IllegalArgumentException("--teacher-scale must be positive, got " + teacherScale);
        }
        this.features = features;
        this.classes = classes;
        this.noise = noise;
        this.seed = seed;
        this.teacherTopology = new Topology(new int[] {features, teacherHidden, classes}, Activation.TANH,
                OutputLoss.CROSS_ENTROPY);
        this.teacher = new double[teacherTopology.parameterCount()];
        SplittableRandom random = new SplittableRandom(mix(seed, TEACHER_STREAM, 0));
        for (int i = 0; i < teacher.length; i++) {
            teacher[i] = (2.0 * random.nextDouble() - 1.0) * teacherScale;
        }
    }

    /**
     * Fills x [rows x features] and labels for rows firstRow .. firstRow + rows - 1 of a split.
     * The kernel must have been made from {@link #teacherTopology()}.
     */
    public void fill(long split, long firstRow, int rows, double[] x, int[] labels, BlockKernel teacherKernel) {
        double[] noiseDraw = new double[rows];
        int[] noiseClass = new int[rows];
        for (int r = 0; r < rows; r++) {
            SplittableRandom random = new SplittableRandom(mix(seed, split, firstRow + r));
            for (int j = 0; j < features; j++) {
                x[r * features + j] = 2.0 * random.nextDouble() - 1.0;
            }
            noiseDraw[r] = random.nextDouble();
            noiseClass[r] = random.nextInt(classes);
        }
        double[] p = teacherKernel.probabilities(teacher, x, rows);
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (p[r * classes + c] > p[r * classes + best]) {
                    best = c;
                }
            }
            labels[r] = noiseDraw[r] < noise ? noiseClass[r] : best;
        }
    }

    /** Input features per row. */
    public int features() {
        return features;
    }

    /**
     * The value a feature has once {@link #writeCsv} has written it with six decimals and a CSV
     * reader has parsed it back: {@code Double.parseDouble(String.format("%.6f", x))}, computed
     * without the string except next to a rounding tie. Other formats store this value so that
     * they hold exactly the rows of the CSV file.
     */
    public static double csvValue(double x) {
        double scaled = x * 1e6;
        double floor = Math.floor(scaled);
        double fraction = scaled - floor;
        if (Math.abs(fraction - 0.5) < 1e-3 || Double.isNaN(fraction)) {
            // Near a tie the product's own rounding could decide; let the formatter decide, as it does for the file.
            return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6f", x));
        }
        double units = fraction > 0.5 ? floor + 1 : floor;
        // units and 1e6 are exact, so the quotient is the double nearest units / 10^6: what parsing gives.
        double value = units / 1e6;
        return value == 0.0 ? Math.copySign(0.0, x) : value; // "%.6f" writes -0.000000 for small negatives
    }

    public Topology teacherTopology() {
        return teacherTopology;
    }

    /** A copy of the teacher's flat parameters, laid out as {@link #teacherTopology()} says. */
    double[] teacherParameters() {
        return teacher.clone();
    }

    /** Writes rows [0, rows) of a split as CSV with a header x0..x(n-1),label. */
    public void writeCsv(long split, long rows, OutputStream out) throws IOException {
        BlockKernel kernel = new BlockKernel(teacherTopology);
        int chunk = 4096;
        double[] x = new double[chunk * features];
        int[] labels = new int[chunk];
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < features; j++) {
            sb.append('x').append(j).append(',');
        }
        sb.append("label\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        for (long start = 0; start < rows; start += chunk) {
            int n = (int) Math.min(chunk, rows - start);
            fill(split, start, n, x, labels, kernel);
            sb.setLength(0);
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < features; j++) {
                    // Six decimals keep the file small; the rounded values are the data.
                    sb.append(String.format(java.util.Locale.ROOT, "%.6f", x[r * features + j])).append(',');
                }
                sb.append(labels[r]).append('\n');
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A seed for one row of one stream, mixed so that neighbouring rows get unrelated generators. */
    static long mix(long seed, long stream, long row) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xD1B54A32D192ED03L + row;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
