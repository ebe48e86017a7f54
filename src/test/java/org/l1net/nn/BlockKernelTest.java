package org.l1net.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The block kernel against finite differences, against a plain per-row network, and by hand. */
class BlockKernelTest {
    /** Two hidden layers, sizes that are not multiples of anything in particular. */
    private static final int[] SIZES = {6, 5, 4, 3};

    static Stream<Arguments> activationsAndLosses() {
        return Stream.of(Activation.values())
                .flatMap(a -> Stream.of(OutputLoss.values()).map(l -> Arguments.of(a, l)));
    }

    /**
     * Central differences of the kernel's own summed loss, step 1e-5: truncation error ~h^2 and
     * rounding ~1e-16/h, both near 1e-10, far below the 1e-6 relative error allowed.
     */
    @ParameterizedTest
    @MethodSource("activationsAndLosses")
    void gradientMatchesFiniteDifferences(Activation activation, OutputLoss loss) {
        Topology topology = new Topology(SIZES, activation, loss);
        SplittableRandom random = new SplittableRandom(42);
        double[] params = randomVector(random, topology.parameterCount(), 1.0);
        int rows = 7;
        double[] x = randomVector(random, rows * SIZES[0], 1.5);
        int[] labels = randomLabels(random, rows, topology.classCount());
        BlockKernel kernel = new BlockKernel(topology);
        double[] analytic = new double[params.length];
        kernel.lossAndGradient(params, x, labels, rows, analytic);

        double h = 1e-5;
        double[] numeric = new double[params.length];
        for (int i = 0; i < params.length; i++) {
            double saved = params[i];
            params[i] = saved + h;
            double up = kernel.lossAndGradient(params, x, labels, rows, null);
            params[i] = saved - h;
            double down = kernel.lossAndGradient(params, x, labels, rows, null);
            params[i] = saved;
            numeric[i] = (up - down) / (2 * h);
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < params.length; i++) {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            norm += analytic[i] * analytic[i] + numeric[i] * numeric[i];
            assertTrue(Math.abs(analytic[i] - numeric[i]) <= 1e-6 * Math.max(1e-3, Math.abs(numeric[i])),
                    activation + "/" + loss + " parameter " + i + ": analytic " + analytic[i] + " numeric " + numeric[i]);
        }
        double relative = Math.sqrt(diff) / Math.sqrt(norm);
        assertTrue(relative < 1e-6, activation + "/" + loss + ": relative error " + relative);
    }

    @ParameterizedTest
    @MethodSource("activationsAndLosses")
    void blockResultsEqualAPlainPerRowNetwork(Activation activation, OutputLoss loss) {
        Topology topology = new Topology(SIZES, activation, loss);
        SplittableRandom random = new SplittableRandom(7);
        double[] params = randomVector(random, topology.parameterCount(), 0.8);
        int rows = 33;
        double[] x = randomVector(random, rows * SIZES[0], 2.0);
        int[] labels = randomLabels(random, rows, topology.classCount());
        ReferenceNetwork reference = new ReferenceNetwork(SIZES, activation.cliName(), loss.cliName(), params);

        double expectedLoss = 0;
        double[] expectedGradient = new double[params.length];
        long expectedCorrect = 0;
        double[][] expectedP = new double[rows][];
        for (int r = 0; r < rows; r++) {
            double[] row = java.util.Arrays.copyOfRange(x, r * SIZES[0], (r + 1) * SIZES[0]);
            expectedLoss += reference.loss(row, labels[r]);
            reference.addGradient(row, labels[r], expectedGradient);
            expectedP[r] = reference.probabilities(row);
            if (argmax(expectedP[r]) == labels[r]) {
                expectedCorrect++;
            }
        }
        BlockKernel kernel = new BlockKernel(topology);
        double[] gradient = new double[params.length];
        double lossSum = kernel.lossAndGradient(params, x, labels, rows, gradient);
        assertEquals(expectedLoss, lossSum, 1e-12 * Math.abs(expectedLoss));
        for (int i = 0; i < params.length; i++) {
            assertEquals(expectedGradient[i], gradient[i], 1e-12 * Math.max(1.0, Math.abs(expectedGradient[i])),
                    "gradient " + i);
        }
        assertEquals(expectedCorrect, kernel.correctCount());
        double[] p = kernel.probabilities(params, x, rows);
        int k = topology.classCount();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < k; c++) {
                assertEquals(expectedP[r][c], p[r * k + c], 1e-14, "row " + r + " class " + c);
            }
        }
    }

    /** All-zero weights: every class has p = 1/K, so the losses are log K and (1-1/K)^2 + (K-1)/K^2. */
    @Test
    void zeroNetworkGivesUniformProbabilitiesAndTheHandComputedLosses() {
        int k = 4;
        int[] sizes = {3, 2, k};
        double[] x = {0.5, -1, 2, 1, 1, 1};
        int[] labels = {0, 3};
        Topology ce = new Topology(sizes, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        double[] params = new double[ce.parameterCount()];
        BlockKernel kernel = new BlockKernel(ce);
        assertEquals(2 * Math.log(k), kernel.lossAndGradient(params, x, labels, 2, null), 1e-15);
        double[] p = kernel.probabilities(params, x, 2);
        for (int i = 0; i < 2 * k; i++) {
            assertEquals(1.0 / k, p[i], 1e-16);
        }
        Topology mse = new Topology(sizes, Activation.TANH, OutputLoss.MEAN_SQUARED_ERROR);
        double perRow = (1 - 1.0 / k) * (1 - 1.0 / k) + (k - 1) / (double) (k * k);
        assertEquals(2 * perRow, new BlockKernel(mse).lossAndGradient(params, x, labels, 2, null), 1e-15);
    }

    /**
     * A 1-1-2 network by hand: h = tanh(w1 x + b1), z = (w2a h + b2a, w2b h + b2b),
     * loss = log(e^z0 + e^z1) - z_y; the gradient written out with the chain rule.
     */
    @Test
    void tinyNetworkMatchesTheChainRuleByHand() {
        Topology topology = new Topology(new int[] {1, 1, 2}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        // layout: W1 [1x1], b1 [1], W2 [2x1], b2 [2]
        double w1 = 0.7, b1 = -0.2, w2a = 1.3, w2b = -0.4, b2a = 0.1, b2b = 0.05;
        double[] params = {w1, b1, w2a, w2b, b2a, b2b};
        double x = 0.9;
        int y = 1;
        double h = Math.tanh(w1 * x + b1);
        double z0 = w2a * h + b2a;
        double z1 = w2b * h + b2b;
        double p0 = Math.exp(z0) / (Math.exp(z0) + Math.exp(z1));
        double p1 = 1 - p0;
        double loss = -Math.log(p1);
        double d0 = p0;        // dL/dz0
        double d1 = p1 - 1;    // dL/dz1
        double dh = d0 * w2a + d1 * w2b;
        double dpre = dh * (1 - h * h);
        double[] expected = {dpre * x, dpre, d0 * h, d1 * h, d0, d1};

        double[] gradient = new double[6];
        double got = new BlockKernel(topology).lossAndGradient(params, new double[] {x}, new int[] {y}, 1, gradient);
        assertEquals(loss, got, 1e-15);
        assertArrayEquals(expected, gradient, 1e-15);
    }

    @Test
    void float32InputGivesTheSameResultAsItsWidenedDoubles() {
        Topology topology = new Topology(new int[] {5, 3, 3}, Activation.SIGMOID, OutputLoss.CROSS_ENTROPY);
        SplittableRandom random = new SplittableRandom(3);
        double[] params = randomVector(random, topology.parameterCount(), 1.0);
        int rows = 9;
        float[] xf = new float[rows * 5];
        double[] xd = new double[rows * 5];
        for (int i = 0; i < xf.length; i++) {
            xf[i] = (float) (random.nextDouble() * 2 - 1);
            xd[i] = xf[i];
        }
        int[] labels = randomLabels(random, rows, 3);
        double[] g1 = new double[params.length];
        double[] g2 = new double[params.length];
        double l1 = new BlockKernel(topology).lossAndGradient(params, xf, labels, rows, g1);
        double l2 = new BlockKernel(topology).lossAndGradient(params, xd, labels, rows, g2);
        assertEquals(l2, l1, 0.0);
        assertArrayEquals(g2, g1, 0.0);
    }

    /** The kernel reuses its buffers: a call's result must not depend on earlier, larger or smaller calls. */
    @Test
    void resultsDoNotDependOnEarlierCalls() {
        Topology topology = new Topology(SIZES, Activation.RELU, OutputLoss.MEAN_SQUARED_ERROR);
        SplittableRandom random = new SplittableRandom(11);
        double[] params = randomVector(random, topology.parameterCount(), 1.0);
        double[] small = randomVector(random, 2 * SIZES[0], 1.0);
        double[] large = randomVector(random, 50 * SIZES[0], 1.0);
        int[] smallLabels = randomLabels(random, 2, 3);
        int[] largeLabels = randomLabels(random, 50, 3);

        double[] fresh = new double[params.length];
        double freshLoss = new BlockKernel(topology).lossAndGradient(params, small, smallLabels, 2, fresh);
        BlockKernel reused = new BlockKernel(topology);
        reused.lossAndGradient(params, large, largeLabels, 50, new double[params.length]);
        double[] again = new double[params.length];
        double againLoss = reused.lossAndGradient(params, small, smallLabels, 2, again);
        assertEquals(freshLoss, againLoss, 0.0);
        assertArrayEquals(fresh, again, 0.0);
    }

    /**
     * A block longer than the kernel's chunk (here 3.4 chunks, float32 input, both paths, both layouts)
     * against its rows fed one at a time in order. Row-major, the loss is one running sum over the rows,
     * so it agrees bit for bit, and so does the gradient (each element one chain over the rows, however
     * they are chunked). Unit-major, each chunk sums its rows in eight interleaved lanes: the gradient
     * (Gemm.addRowDots) agrees within 1e-13 of the sum of the contributions' magnitudes, the loss
     * (Gemm.softmaxLoss, one log per 512 rows) within 1e-13 relative.
     */
    @ParameterizedTest(name = "{0}, unit-major {1}")
    @org.junit.jupiter.params.provider.CsvSource({"SCALAR, true", "SCALAR, false", "VECTOR, true", "VECTOR, false"})
    void aBlockOfSeveralChunksAgreesWithItsRowsOneAtATime(KernelPath path, boolean unitMajor) {
        Topology topology = new Topology(new int[] {10, 8, 4}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        int chunk = BlockKernel.chunkRows(topology);
        int rows = chunk * 3 + 2 * chunk / 5 + 3;
        SplittableRandom random = new SplittableRandom(17);
        double[] params = randomVector(random, topology.parameterCount(), 1.0);
        float[] x = randomFloats(random, rows * 10, 2.0);
        int[] labels = randomLabels(random, rows, 4);

        BlockKernel whole = new BlockKernel(topology, path, unitMajor);
        double[] blockGradient = new double[params.length];
        double blockLoss = whole.lossAndGradient(params, x, labels, rows, blockGradient);
        long blockCorrect = whole.correctCount();

        BlockKernel single = new BlockKernel(topology, path, unitMajor);
        double[] rowGradient = new double[params.length];
        double[] magnitude = new double[params.length];
        double rowLoss = 0.0;
        long rowCorrect = 0;
        for (int r = 0; r < rows; r++) {
            float[] row = java.util.Arrays.copyOfRange(x, r * 10, r * 10 + 10);
            double[] alone = new double[params.length];
            rowLoss += single.lossAndGradient(params, row, new int[] {labels[r]}, 1, rowGradient);
            single.lossAndGradient(params, row, new int[] {labels[r]}, 1, alone);
            rowCorrect += single.correctCount();
            for (int i = 0; i < alone.length; i++) {
                magnitude[i] += Math.abs(alone[i]);
            }
        }
        assertEquals(rowLoss, blockLoss, unitMajor ? 1e-13 * rowLoss : 0.0);
        assertEquals(rowCorrect, blockCorrect);
        if (!unitMajor) {
            assertArrayEquals(rowGradient, blockGradient, 0.0);
            return;
        }
        long differing = 0;
        for (int i = 0; i < params.length; i++) {
            assertEquals(rowGradient[i], blockGradient[i], 1e-13 * magnitude[i], "parameter " + i);
            differing += rowGradient[i] != blockGradient[i] ? 1 : 0;
        }
        // The orders do differ, or this test would not be checking the tolerance it states.
        assertTrue(differing > 0, "no parameter differs: is the unit-major sum still one chain?");
    }

    /**
     * lastPredictions after a block of 2.5 chunks, in either layout, is the argmax of the probabilities
     * that the row-major scoring path computes for the same rows, and counts as correctCount does.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void lastPredictionsAreTheArgmaxOfTheScoredProbabilities(boolean unitMajor) {
        Topology topology = new Topology(new int[] {10, 8, 4}, Activation.SIGMOID, OutputLoss.CROSS_ENTROPY);
        int rows = BlockKernel.chunkRows(topology) * 5 / 2;
        SplittableRandom random = new SplittableRandom(23);
        double[] params = randomVector(random, topology.parameterCount(), 1.5);
        float[] x = randomFloats(random, rows * 10, 2.0);
        int[] labels = randomLabels(random, rows, 4);
        BlockKernel kernel = new BlockKernel(topology, KernelPath.chosen(), unitMajor);
        kernel.lossAndGradient(params, x, labels, rows, null);
        int[] predicted = kernel.lastPredictions().clone();
        long correct = kernel.correctCount();
        double[] p = new BlockKernel(topology).probabilities(params, x, rows);
        long matches = 0;
        for (int r = 0; r < rows; r++) {
            assertEquals(argmax(java.util.Arrays.copyOfRange(p, r * 4, r * 4 + 4)), predicted[r], "row " + r);
            matches += predicted[r] == labels[r] ? 1 : 0;
        }
        assertEquals(matches, correct);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> layoutCases() {
        int[][] sizes = {{10, 8, 4}, {3, 2}, {7, 5, 6, 3}, {32, 32, 10}, {1, 17, 2}};
        int[] rows = {1, 5, 9, 261, 2000};
        java.util.List<org.junit.jupiter.params.provider.Arguments> cases = new java.util.ArrayList<>();
        int i = 0;
        for (KernelPath path : KernelPath.values()) {
            for (Activation activation : Activation.values()) {
                for (OutputLoss loss : OutputLoss.values()) {
                    int s = i++ % sizes.length;
                    cases.add(org.junit.jupiter.params.provider.Arguments.of(path, sizes[s], activation, loss, rows[i % rows.length]));
                }
            }
        }
        return cases.stream();
    }

    /**
     * The unit-major chunk layout of narrow networks and the row-major layout give the same correct
     * count and squared-error loss, bit for bit, on either path: the forward pass keeps every element's
     * chain of operations. The cross-entropy loss agrees within 1e-13 relative (unit-major takes one log
     * per 512 rows of a chunk, Gemm.softmaxLoss), the gradients within 1e-12 relative (unit-major sums
     * each weight's products over a chunk in eight interleaved partial sums, Gemm.addRowDots; row-major
     * in one chain).
     */
    @ParameterizedTest(name = "{0} {1} {2} {3}, {4} rows")
    @org.junit.jupiter.params.provider.MethodSource("layoutCases")
    void unitMajorAndRowMajorChunksAgree(KernelPath path, int[] sizes, Activation activation,
                                                    OutputLoss loss, int rows) {
        Topology topology = new Topology(sizes, activation, loss);
        SplittableRandom random = new SplittableRandom(sizes.length * 1000L + rows);
        double[] params = randomVector(random, topology.parameterCount(), 1.2);
        float[] x = randomFloats(random, rows * sizes[0], 2.0);
        int[] labels = randomLabels(random, rows, topology.classCount());
        double[] start = randomVector(random, params.length, 0.5);

        BlockKernel byUnit = new BlockKernel(topology, path, true);
        BlockKernel byRow = new BlockKernel(topology, path, false);
        double[] gUnit = start.clone();
        double[] gRow = start.clone();
        double lUnit = byUnit.lossAndGradient(params, x, labels, rows, gUnit);
        double lRow = byRow.lossAndGradient(params, x, labels, rows, gRow);
        assertEquals(lRow, lUnit, loss == OutputLoss.CROSS_ENTROPY ? 1e-13 * lRow : 0.0);
        assertEquals(byRow.correctCount(), byUnit.correctCount());
        for (int i = 0; i < gRow.length; i++) {
            assertEquals(gRow[i], gUnit[i], 1e-12 * Math.max(1.0, Math.abs(gRow[i])), "parameter " + i);
        }
        // The loss alone (no gradient) and the double[] entry point agree too.
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = x[i];
        }
        assertEquals(lUnit, byUnit.lossAndGradient(params, xd, labels, rows, null), 0.0);
    }

    static double[] randomVector(SplittableRandom random, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (2 * random.nextDouble() - 1) * scale;
        }
        return v;
    }

    /** Floats uniform in [-scale, scale), drawn as randomVector draws its doubles. */
    static float[] randomFloats(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
        return v;
    }

    static int[] randomLabels(SplittableRandom random, int n, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
