package org.l1net.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.cli.Main;
import org.l1net.nn.ReferenceNetwork;

/**
 * The generator's labels, recomputed here: each row's inputs are redrawn from its own documented
 * generator (seeded by seed, split and row), and the label must be the argmax of the teacher
 * network evaluated by the plain reference forward pass; with noise, the documented fraction of
 * labels departs from it.
 */
class SyntheticDataTest {
    private static final int FEATURES = 6;
    private static final int CLASSES = 3;
    private static final int HIDDEN = 5;
    private static final long SEED = 11;

    @TempDir
    Path dir;

    @Test
    void withoutNoiseEveryLabelIsTheTeachersArgmax() throws IOException {
        List<String> lines = generate(0.0, 400);
        int[] labels = teacherLabels(400);
        for (int r = 0; r < 400; r++) {
            String[] f = lines.get(r + 1).split(",");
            assertEquals(labels[r], Integer.parseInt(f[FEATURES]), "row " + r);
        }
    }

    @Test
    void noiseReplacesTheDocumentedFractionOfLabels() throws IOException {
        int rows = 4000;
        double noise = 0.3;
        List<String> lines = generate(noise, rows);
        int[] labels = teacherLabels(rows);
        int changed = 0;
        for (int r = 0; r < rows; r++) {
            changed += Integer.parseInt(lines.get(r + 1).split(",")[FEATURES]) != labels[r] ? 1 : 0;
        }
        // a replaced label is uniform over K classes, so it differs from the teacher's with probability (K-1)/K
        double expected = noise * (CLASSES - 1) / CLASSES;
        double sd = Math.sqrt(expected * (1 - expected) / rows);
        assertEquals(expected, (double) changed / rows, 5 * sd, changed + " of " + rows + " labels differ");
    }

    @Test
    void theFileHoldsEachRowsOwnDraws() throws IOException {
        List<String> lines = generate(0.0, 50);
        for (int r = 0; r < 50; r++) {
            SplittableRandom random = new SplittableRandom(SyntheticData.mix(SEED, SyntheticData.TRAIN_SPLIT, r));
            String[] f = lines.get(r + 1).split(",");
            for (int j = 0; j < FEATURES; j++) {
                assertEquals(String.format(Locale.ROOT, "%.6f", 2.0 * random.nextDouble() - 1.0), f[j], "row " + r);
            }
        }
        assertTrue(lines.get(0).startsWith("x0,"));
    }

    /** The training file written by the real command. */
    private List<String> generate(double noise, int rows) throws IOException {
        Path out = dir.resolve("noise-" + noise);
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"generate", "--out", out.toString(), "--features", "" + FEATURES,
                "--classes", "" + CLASSES, "--teacher-hidden", "" + HIDDEN, "--teacher-scale", "2.0",
                "--noise", "" + noise, "--seed", "" + SEED, "--train-rows", "" + rows, "--test-rows", "1"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, status, err.toString());
        List<String> lines = Files.readAllLines(out.resolve("train.csv"));
        assertEquals(rows + 1, lines.size());
        return lines;
    }

    /**
     * Redraws each row's inputs (uniform in [-1, 1] from the row's own generator), checks them
     * against the file, and returns the teacher's argmax for each row.
     */
    private static int[] teacherLabels(int rows) {
        double[] teacher = new SyntheticData(FEATURES, CLASSES, HIDDEN, 2.0, 0.0, SEED).teacherParameters();
        ReferenceNetwork reference =
                new ReferenceNetwork(new int[] {FEATURES, HIDDEN, CLASSES}, "tanh", "cross-entropy", teacher);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            SplittableRandom random = new SplittableRandom(SyntheticData.mix(SEED, SyntheticData.TRAIN_SPLIT, r));
            double[] x = new double[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                x[j] = 2.0 * random.nextDouble() - 1.0;
            }
            double[] p = reference.probabilities(x);
            int best = 0;
            for (int k = 1; k < CLASSES; k++) {
                best = p[k] > p[best] ? k : best;
            }
            labels[r] = best;
        }
        return labels;
    }
}
