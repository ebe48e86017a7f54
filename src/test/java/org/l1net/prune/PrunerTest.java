package org.l1net.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.l1net.nn.Activation;
import org.l1net.nn.BlockKernel;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.ReferenceNetwork;
import org.l1net.nn.SparseNetwork;
import org.l1net.nn.Topology;

/**
 * Pruning drops exactly what cannot change the output, and the pruned network scores every row as
 * the dense network does: for every activation, random sparsity, dead units and zero inputs.
 */
class PrunerTest {
    private static final double TOLERANCE = 1e-12;

    /**
     * A 5-3-3-3 network wired by hand (unit l.j: unit j of layer l). Input 2 has no weights; input 4 feeds
     * only hidden unit 1.2, which feeds nothing. Hidden unit 1.1 has no inputs: a constant. Hidden unit 2.0
     * reads only 1.1, so it is a constant too. What is left: inputs 0, 1, 3; hidden 1.0; hidden 2.1 and 2.2,
     * which read 1.0.
     */
    @Test
    void dropsZeroInputsDeadUnitsAndWhatOnlyTheyFed() {
        Topology topology = new Topology(new int[] {5, 3, 3, 3}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        double[] p = new double[topology.parameterCount()];
        // layer 1: W [3 x 5], b [3]
        set(p, topology, 0, 0, 0, 0.7);
        set(p, topology, 0, 0, 1, -1.1);
        set(p, topology, 0, 0, 3, 0.4);
        set(p, topology, 0, 2, 4, 2.0);   // 1.2 reads input 4 only
        setBias(p, topology, 0, new double[] {0.1, 0.9, -0.3});
        // layer 2: W [3 x 3], b [3]
        set(p, topology, 1, 0, 1, 1.5);   // 2.0 reads only the constant 1.1
        set(p, topology, 1, 1, 0, -0.8);
        set(p, topology, 1, 1, 1, 0.6);   // folded into 2.1's bias
        set(p, topology, 1, 2, 0, 0.5);
        setBias(p, topology, 1, new double[] {-0.2, 0.05, 0.3});
        // layer 3: W [3 x 3]: 1.2 is read by nobody, so it is dead; 2.0 (constant) and 2.1, 2.2 feed the classes
        set(p, topology, 2, 0, 0, 1.0);
        set(p, topology, 2, 0, 1, -2.0);
        set(p, topology, 2, 1, 2, 0.9);
        set(p, topology, 2, 2, 0, -0.4);
        setBias(p, topology, 2, new double[] {0.0, 0.2, -0.1});

        Pruning pruning = Pruner.prune(topology, p);

        assertArrayEquals(new int[] {0, 1, 3}, pruning.kept(0), "inputs 2 (no weights) and 4 (feeds a dead unit) go");
        assertArrayEquals(new int[] {0}, pruning.kept(1), "1.1 is constant, 1.2 feeds nothing");
        assertArrayEquals(new int[] {1, 2}, pruning.kept(2), "2.0 reads only a constant");
        assertArrayEquals(new int[] {0, 1, 2}, pruning.kept(3), "every class stays");
        assertEquals("3-1-2-3", pruning.network().describe());
        assertSameScores(topology, p, pruning.network(), 50, new SplittableRandom(1));
    }

    @Test
    void prunedAndDenseAgreeOnRandomSparseNetworksForEveryActivation() {
        SplittableRandom random = new SplittableRandom(2026);
        int networks = 0;
        int droppedHidden = 0;
        for (Activation activation : Activation.values()) {
            for (OutputLoss loss : OutputLoss.values()) {
                for (int trial = 0; trial < 12; trial++) {
                    int[] sizes = randomSizes(random);
                    Topology topology = new Topology(sizes, activation, loss);
                    double[] p = sparseParameters(topology, random, 0.4 + 0.55 * random.nextDouble());
                    Pruning pruning = Pruner.prune(topology, p);
                    assertSameScores(topology, p, pruning.network(), 40, random);
                    assertTrue(countNonzeroWeights(pruning.network()) <= countNonzeroWeights(topology, p));
                    for (int l = 1; l < sizes.length - 1; l++) {
                        droppedHidden += sizes[l] - pruning.kept(l).length;
                    }
                    networks++;
                }
            }
        }
        assertEquals(72, networks);
        assertTrue(droppedHidden > 50, "the networks had dead units to drop: " + droppedHidden);
    }

    /** With every weight zero the output is a constant: the softmax of the biases and the folded constants. */
    @Test
    void aNetworkWithNoWeightsKeepsOnlyItsConstantOutput() {
        Topology topology = new Topology(new int[] {4, 3, 2}, Activation.SIGMOID, OutputLoss.CROSS_ENTROPY);
        double[] p = new double[topology.parameterCount()];
        setBias(p, topology, 0, new double[] {0.5, -1.0, 2.0});
        setBias(p, topology, 1, new double[] {0.25, -0.25});

        Pruning pruning = Pruner.prune(topology, p);

        assertEquals(0, pruning.kept(0).length);
        assertEquals(0, pruning.kept(1).length);
        assertEquals("0-0-2", pruning.network().describe());
        assertEquals(0, pruning.network().storedWeights());
        assertSameScores(topology, p, pruning.network(), 5, new SplittableRandom(3));
        double[] probabilities = pruning.network().scorer().probabilities(new float[] {1, 2, 3, 4}, 1);
        double e0 = Math.exp(0.25);
        double e1 = Math.exp(-0.25);
        assertEquals(e0 / (e0 + e1), probabilities[0], 1e-15);
    }

    /** The constant of a unit with no inputs is f(bias) through its outgoing weight: checked by hand for relu. */
    @Test
    void aConstantUnitIsFoldedIntoTheNextBias() {
        Topology topology = new Topology(new int[] {2, 2, 2}, Activation.RELU, OutputLoss.CROSS_ENTROPY);
        double[] p = new double[topology.parameterCount()];
        set(p, topology, 0, 0, 0, 1.0);
        set(p, topology, 0, 0, 1, 1.0);
        setBias(p, topology, 0, new double[] {0.0, 1.5}); // unit 1: relu(1.5) = 1.5, always
        set(p, topology, 1, 0, 0, 1.0);
        set(p, topology, 1, 0, 1, 2.0);
        set(p, topology, 1, 1, 1, -1.0);
        setBias(p, topology, 1, new double[] {0.1, 0.2});

        SparseNetwork network = Pruner.prune(topology, p).network();

        assertEquals("2-1-2", network.describe());
        assertArrayEquals(new double[] {0.1 + 2.0 * 1.5, 0.2 - 1.5}, network.layer(1).bias(), 1e-15);
        assertArrayEquals(new double[] {1.0, 0.0}, network.layer(1).denseWeights());
    }

    /** The pruned network reads full rows: what a dropped column holds changes nothing. */
    @Test
    void droppedColumnsAreReadButIgnored() {
        Topology topology = new Topology(new int[] {6, 4, 3}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        SplittableRandom random = new SplittableRandom(5);
        double[] p = sparseParameters(topology, random, 0.2);
        for (int j = 0; j < 4; j++) {
            set(p, topology, 0, j, 1, 0.0);
            set(p, topology, 0, j, 4, 0.0);
        }
        SparseNetwork network = Pruner.prune(topology, p).network();
        assertFalse(contains(network.inputs(), 1) || contains(network.inputs(), 4));
        float[] x = randomRows(random, 3, 6);
        double[] before = network.scorer().probabilities(x, 3).clone();
        for (int r = 0; r < 3; r++) {
            x[r * 6 + 1] = 1e6f;
            x[r * 6 + 4] = -7f;
        }
        assertArrayEquals(before, java.util.Arrays.copyOf(network.scorer().probabilities(x, 3), before.length));
    }

    @Test
    void aLayerIsStoredSparseOnlyWhenMostOfItIsZero() {
        double[] mostlyZero = {0, 0, 1.5, 0, 0, 0, -2, 0};
        double[] mostlySet = {1, 2, 3, 0, 5, 6, 7, 8};
        SparseNetwork.Layer sparse = SparseNetwork.Layer.of(2, 4, mostlyZero, new double[] {1, 2});
        SparseNetwork.Layer dense = SparseNetwork.Layer.of(2, 4, mostlySet, new double[] {1, 2});
        assertTrue(sparse.isSparse());
        assertEquals(2, sparse.storedWeights());
        assertFalse(dense.isSparse());
        assertArrayEquals(mostlyZero, sparse.denseWeights());
        assertArrayEquals(mostlySet, dense.denseWeights());
    }

    /** Pruned probabilities against the block kernel's dense ones and the plain reference network's. */
    private static void assertSameScores(Topology topology, double[] p, SparseNetwork network, int rows,
                                         SplittableRandom random) {
        int width = topology.inputSize();
        float[] x = randomRows(random, rows, width);
        double[] dense = new BlockKernel(topology).probabilities(p, x, rows);
        double[] pruned = network.scorer().probabilities(x, rows);
        ReferenceNetwork reference = new ReferenceNetwork(topology.sizes(), topology.activation().cliName(),
                topology.loss().cliName(), p);
        int k = topology.classCount();
        for (int r = 0; r < rows; r++) {
            double[] row = new double[width];
            for (int i = 0; i < width; i++) {
                row[i] = x[r * width + i];
            }
            double[] expected = reference.probabilities(row);
            for (int c = 0; c < k; c++) {
                assertEquals(dense[r * k + c], pruned[r * k + c], TOLERANCE, topology + " row " + r + " class " + c);
                assertEquals(expected[c], pruned[r * k + c], TOLERANCE, topology + " row " + r + " class " + c);
            }
        }
    }

    private static int[] randomSizes(SplittableRandom random) {
        int[] sizes = new int[2 + random.nextInt(3)];
        for (int l = 0; l < sizes.length; l++) {
            sizes[l] = 1 + random.nextInt(12);
        }
        sizes[sizes.length - 1] = 2 + random.nextInt(4);
        return sizes;
    }

    /**
     * Weights zero with probability {@code zeros}, plus whole zero rows (units with no inputs), zero columns
     * (units or inputs with no outputs) and large biases, so that constants reach the saturated ends of tanh
     * and sigmoid and both sides of relu.
     */
    private static double[] sparseParameters(Topology topology, SplittableRandom random, double zeros) {
        double[] p = new double[topology.parameterCount()];
        boolean[] bias = topology.biasMask();
        for (int i = 0; i < p.length; i++) {
            p[i] = bias[i] ? 3 * random.nextGaussian() : random.nextDouble() < zeros ? 0.0 : 2 * random.nextGaussian();
        }
        for (int l = 0; l < topology.layerCount(); l++) {
            int in = topology.size(l);
            int out = topology.size(l + 1);
            if (random.nextInt(2) == 0) {
                int j = random.nextInt(out);
                for (int i = 0; i < in; i++) {
                    set(p, topology, l, j, i, 0.0);
                }
            }
            if (random.nextInt(2) == 0) {
                int i = random.nextInt(in);
                for (int j = 0; j < out; j++) {
                    set(p, topology, l, j, i, 0.0);
                }
            }
        }
        return p;
    }

    private static float[] randomRows(SplittableRandom random, int rows, int width) {
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 6 - 3);
        }
        return x;
    }

    private static long countNonzeroWeights(Topology topology, double[] p) {
        boolean[] bias = topology.biasMask();
        long n = 0;
        for (int i = 0; i < p.length; i++) {
            n += !bias[i] && p[i] != 0.0 ? 1 : 0;
        }
        return n;
    }

    private static long countNonzeroWeights(SparseNetwork network) {
        long n = 0;
        for (int l = 0; l < network.layerCount(); l++) {
            for (double w : network.layer(l).denseWeights()) {
                n += w != 0.0 ? 1 : 0;
            }
        }
        return n;
    }

    private static void set(double[] p, Topology topology, int layer, int j, int i, double value) {
        p[topology.weightOffset(layer) + j * topology.size(layer) + i] = value;
    }

    private static void setBias(double[] p, Topology topology, int layer, double[] b) {
        System.arraycopy(b, 0, p, topology.biasOffset(layer), b.length);
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
