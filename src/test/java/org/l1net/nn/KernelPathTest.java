package org.l1net.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two kernel paths: each against the independent {@link ReferenceNetwork} (loss and gradient
 * within 1e-12 relative, floored at 1; probabilities within 1e-14), and against each other bit for
 * bit. The shapes exercise every branch of VectorGemm: 12-, 8- and 4-column panels, columns and
 * rows beyond a multiple of 4, and k longer than one k block (256), in the forward product
 * (k = inputs) and in the weight gradient (k = rows).
 */
class KernelPathTest {
    static Stream<Arguments> shapes() {
        List<Arguments> cases = new ArrayList<>();
        int[][] sizes = {{10, 8, 4}, {6, 5, 4, 3}, {300, 29, 7}, {13, 24, 12, 2}, {784, 20, 10}, {3, 41, 9}};
        int[] rows = {1, 7, 33, 261, 4, 9};
        for (int s = 0; s < sizes.length; s++) {
            for (Activation a : Activation.values()) {
                OutputLoss loss = s % 2 == 0 ? OutputLoss.CROSS_ENTROPY : OutputLoss.MEAN_SQUARED_ERROR;
                cases.add(Arguments.of(Arrays.toString(sizes[s]), sizes[s], rows[s], a, loss));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {3} {4}, {2} rows")
    @MethodSource("shapes")
    void bothPathsMatchTheReferenceAndEachOtherExactly(String name, int[] sizes, int rows,
                                                        Activation activation, OutputLoss loss) {
        assertTrue(KernelPath.vectorAvailable(), "the test JVM has --add-modules jdk.incubator.vector");
        Topology topology = new Topology(sizes, activation, loss);
        SplittableRandom random = new SplittableRandom(sizes[0] * 31L + rows);
        double[] params = BlockKernelTest.randomVector(random, topology.parameterCount(), 3.0 / Math.sqrt(sizes[0]));
        double[] x = BlockKernelTest.randomVector(random, rows * sizes[0], 1.5);
        int[] labels = BlockKernelTest.randomLabels(random, rows, topology.classCount());

        ReferenceNetwork reference = new ReferenceNetwork(sizes, activation.cliName(), loss.cliName(), params);
        double expectedLoss = 0;
        double[] expectedGradient = new double[params.length];
        double[][] expectedP = new double[rows][];
        for (int r = 0; r < rows; r++) {
            double[] row = Arrays.copyOfRange(x, r * sizes[0], (r + 1) * sizes[0]);
            expectedLoss += reference.loss(row, labels[r]);
            reference.addGradient(row, labels[r], expectedGradient);
            expectedP[r] = reference.probabilities(row);
        }

        double[][] gradients = new double[2][];
        double[] losses = new double[2];
        double[][] probabilities = new double[2][];
        for (KernelPath path : KernelPath.values()) {
            BlockKernel kernel = new BlockKernel(topology, path);
            assertEquals(path, kernel.path());
            double[] gradient = new double[params.length];
            double lossSum = kernel.lossAndGradient(params, x, labels, rows, gradient);
            assertEquals(expectedLoss, lossSum, 1e-12 * Math.max(1.0, Math.abs(expectedLoss)), path + " loss");
            for (int i = 0; i < params.length; i++) {
                assertEquals(expectedGradient[i], gradient[i], 1e-12 * Math.max(1.0, Math.abs(expectedGradient[i])),
                        path + " gradient " + i);
            }
            int k = topology.classCount();
            double[] p = kernel.probabilities(params, x, rows);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < k; c++) {
                    assertEquals(expectedP[r][c], p[r * k + c], 1e-14, path + " row " + r + " class " + c);
                }
            }
            gradients[path.ordinal()] = gradient;
            losses[path.ordinal()] = lossSum;
            probabilities[path.ordinal()] = Arrays.copyOf(p, rows * k);
        }
        assertEquals(losses[0], losses[1], 0.0, "scalar and vector loss");
        assertArrayEquals(gradients[0], gradients[1], 0.0, "scalar and vector gradient");
        assertArrayEquals(probabilities[0], probabilities[1], 0.0, "scalar and vector probabilities");
    }

    /** Element-wise activations and derivatives: the vector lanes and the scalar tail equal FastMath. */
    @Test
    void vectorActivationsEqualTheScalarOnesBitForBit() {
        SplittableRandom random = new SplittableRandom(9);
        int n = 4099;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = (random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(-8, 3));
        }
        z[0] = 0.0;
        z[1] = -0.0;
        z[2] = 1000;
        z[3] = -1000;
        Gemm scalar = KernelPath.SCALAR.newGemm();
        Gemm vector = KernelPath.VECTOR.newGemm();
        for (Activation a : Activation.values()) {
            double[] ys = z.clone();
            double[] yv = z.clone();
            scalar.activate(a, ys, n);
            vector.activate(a, yv, n);
            assertArrayEquals(ys, yv, 0.0, a + " activation");
            double[] ds = z.clone();
            double[] dv = z.clone();
            scalar.multiplyByDerivative(a, ds, ys, n);
            vector.multiplyByDerivative(a, dv, ys, n);
            assertArrayEquals(ds, dv, 0.0, a + " derivative");
        }
    }

    /**
     * addRowDots on both paths equals the contract written out here as plain loops, bit for bit:
     * eight partial sums of fma over every eighth row, then the fixed tree, added to C once. The
     * shapes cover the 4 x 2 blocks and their leftovers, and rows short of or past a group of 8.
     */
    @Test
    void rowDotsFollowTheirDocumentedOrderOnBothPaths() {
        SplittableRandom random = new SplittableRandom(31);
        Gemm scalar = KernelPath.SCALAR.newGemm();
        Gemm vector = KernelPath.VECTOR.newGemm();
        int[] ms = {1, 3, 4, 5, 8, 9};
        int[] ns = {1, 2, 3, 11};
        int[] rowCounts = {0, 1, 7, 8, 9, 17, 941};
        for (int m : ms) {
            for (int n : ns) {
                for (int rows : rowCounts) {
                    double[] d = new double[m * rows];
                    double[] a = new double[n * rows];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = random.nextDouble() * 2 - 1;
                    }
                    for (int i = 0; i < a.length; i++) {
                        a[i] = random.nextDouble() * 2 - 1;
                    }
                    int ldc = n + 2;
                    double[] start = new double[m * ldc];
                    for (int i = 0; i < start.length; i++) {
                        start[i] = random.nextDouble();
                    }
                    double[] expected = start.clone();
                    for (int j = 0; j < m; j++) {
                        for (int i = 0; i < n; i++) {
                            double[] p = new double[8];
                            for (int r = 0; r < rows; r++) {
                                p[r % 8] = Math.fma(d[j * rows + r], a[i * rows + r], p[r % 8]);
                            }
                            expected[j * ldc + i] += ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
                        }
                    }
                    double[] cs = start.clone();
                    double[] cv = start.clone();
                    scalar.addRowDots(m, n, rows, d, a, cs, ldc);
                    vector.addRowDots(m, n, rows, d, a, cv, ldc);
                    String shape = m + " x " + n + ", " + rows + " rows";
                    assertArrayEquals(expected, cs, 0.0, "scalar " + shape);
                    assertArrayEquals(expected, cv, 0.0, "vector " + shape);
                }
            }
        }
    }

    /**
     * softmaxLoss on both paths equals its contract written out here as plain loops, bit for bit: the
     * probabilities, the deltas, the predictions (the first class on ties), the hit count and the loss,
     * whose rows go to eight lanes that log the product of their normalizers once per 512 rows. Chunks
     * short of, at and past a group of 8 rows and the 512-row log groups; 2 to 32 classes, with ties.
     * The loss also agrees with one log per row, summed row by row, within 1e-13 relative.
     */
    @Test
    void softmaxLossFollowsItsDocumentedOrderOnBothPaths() {
        SplittableRandom random = new SplittableRandom(41);
        Gemm scalar = KernelPath.SCALAR.newGemm();
        Gemm vector = KernelPath.VECTOR.newGemm();
        int[] classCounts = {2, 3, 4, 7, 32};
        int[] rowCounts = {0, 1, 7, 8, 9, 511, 512, 513, 1031, 2055};
        for (int k : classCounts) {
            for (int n : rowCounts) {
                double[] z = new double[k * n];
                for (int i = 0; i < z.length; i++) {
                    // Every fourth logit a small integer, so that some rows tie for the largest probability.
                    z[i] = i % 4 == 0 ? random.nextInt(3) : (random.nextDouble() * 2 - 1) * 12;
                }
                int first = 5;
                int[] labels = new int[first + n];
                for (int r = 0; r < n; r++) {
                    labels[first + r] = random.nextInt(k);
                }
                double[] shifted = new double[k * n];
                double[] e = new double[k * n];
                for (int r = 0; r < n; r++) {
                    double max = z[r];
                    for (int c = 1; c < k; c++) {
                        max = Math.max(max, z[c * n + r]);
                    }
                    for (int c = 0; c < k; c++) {
                        shifted[c * n + r] = z[c * n + r] - max;
                        e[c * n + r] = FastMath.exp(shifted[c * n + r]);
                    }
                }

                double[] expectedP = e.clone();
                double[] expectedDelta = shifted.clone();
                int[] expectedPredictions = new int[first + n];
                double[] product = new double[8];
                double[] logs = new double[8];
                double[] labelSums = new double[8];
                Arrays.fill(product, 1.0);
                long expectedHits = 0;
                double rowByRow = 0.0;
                for (int r = 0; r < n; r++) {
                    double sum = 0.0;
                    for (int c = 0; c < k; c++) {
                        sum += e[c * n + r];
                    }
                    int y = labels[first + r];
                    int best = 0;
                    for (int c = 0; c < k; c++) {
                        double p = e[c * n + r] * (1.0 / sum);
                        expectedP[c * n + r] = p;
                        expectedDelta[c * n + r] = c == y ? p - 1.0 : p;
                        if (p > expectedP[best * n + r]) {
                            best = c;
                        }
                    }
                    expectedPredictions[first + r] = best;
                    expectedHits += best == y ? 1 : 0;
                    product[r % 8] *= sum;
                    labelSums[r % 8] += shifted[y * n + r];
                    if (r % 512 >= 504) {
                        logs[r % 8] += Math.log(product[r % 8]);
                        product[r % 8] = 1.0;
                    }
                    rowByRow += Math.log(sum) - shifted[y * n + r];
                }
                double[] lane = new double[8];
                for (int s = 0; s < 8; s++) {
                    lane[s] = logs[s] + Math.log(product[s]) - labelSums[s];
                }
                double expectedLoss = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
                assertEquals(rowByRow, expectedLoss, 1e-13 * rowByRow, "one log per row, " + k + " classes, " + n + " rows");

                for (Gemm gemm : new Gemm[] {scalar, vector}) {
                    String where = gemm.getClass().getSimpleName() + ", " + k + " classes, " + n + " rows";
                    double[] p = e.clone();
                    double[] delta = shifted.clone();
                    int[] predictions = new int[first + n];
                    double loss = gemm.softmaxLoss(p, delta, k, n, labels, first, predictions);
                    assertEquals(expectedLoss, loss, 0.0, where + ": loss");
                    assertArrayEquals(expectedP, p, 0.0, where + ": probabilities");
                    assertArrayEquals(expectedDelta, delta, 0.0, where + ": deltas");
                    assertArrayEquals(expectedPredictions, predictions, where + ": predictions");
                    assertEquals(expectedHits, gemm.hits, where + ": hits");
                }
            }
        }
    }

    @Test
    void theSettingIsValidated() {
        assertEquals(KernelPath.SCALAR, KernelPath.choose("scalar"));
        assertEquals(KernelPath.VECTOR, KernelPath.choose(" Vector "));
        assertEquals(KernelPath.VECTOR, KernelPath.choose("auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelPath.choose("avx"));
        assertTrue(e.getMessage().contains("l1net.kernel=avx"), e.getMessage());
    }

    /**
     * A JVM started without --add-modules falls back to the scalar path and computes the same bits
     * as this JVM's vector path.
     */
    @Test
    void aJvmWithoutTheVectorModuleFallsBackToScalarWithTheSameResult() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KernelPathProbe.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertEquals("SCALAR false 1 " + KernelPathProbe.fingerprint(KernelPath.VECTOR), output);
    }

    /**
     * A JVM whose vectors are capped at 256 bits (4 doubles: the AVX2 width; this machine has 8 lanes)
     * runs the vector path on 4 lanes and computes the same bits as this JVM's vector path.
     */
    @Test
    void fourLaneVectorsComputeTheSameBits() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-XX:MaxVectorSize=32",
                "-cp", System.getProperty("java.class.path"), KernelPathProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        String lines = output.lines().filter(line -> !line.startsWith("WARNING")).reduce("", String::concat);
        assertEquals("VECTOR true 4 " + KernelPathProbe.fingerprint(KernelPath.VECTOR), lines);
    }
}
