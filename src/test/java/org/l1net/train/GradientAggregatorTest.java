package org.l1net.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.l1net.data.DataBlock;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.ReferenceNetwork;
import org.l1net.nn.Topology;

/** Merge laws of the aggregator: order-free sums, an identity element, and a tiny zero value. */
class GradientAggregatorTest {
    private static final Topology TOPOLOGY = new Topology(new int[] {4, 3, 3}, Activation.TANH, OutputLoss.CROSS_ENTROPY);

    private static List<DataBlock> blocks(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<DataBlock> blocks = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            int rows = 1 + random.nextInt(20);
            float[] x = new float[rows * 4];
            int[] labels = new int[rows];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (random.nextDouble() * 6 - 3);
            }
            for (int r = 0; r < rows; r++) {
                labels[r] = random.nextInt(3);
            }
            blocks.add(new DataBlock(rows, 4, x, labels));
        }
        return blocks;
    }

    private static double[] params() {
        double[] p = new double[TOPOLOGY.parameterCount()];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextDouble() * 4 - 2;
        }
        return p;
    }

    /** Task results merged in any order give the same sums, bit for bit (double-double merges). */
    @Test
    void mergeOrderDoesNotChangeTheResult() {
        List<DataBlock> blocks = blocks(40, 3);
        double[] params = params();
        List<GradientAggregator> parts = new ArrayList<>();
        for (DataBlock block : blocks) {
            parts.add(new GradientAggregator(TOPOLOGY, true).add(block, params));
        }
        GradientAggregator first = mergeAll(parts);
        Random shuffler = new Random(8);
        for (int trial = 0; trial < 20; trial++) {
            List<GradientAggregator> shuffled = new ArrayList<>();
            for (DataBlock block : blocks) {
                shuffled.add(new GradientAggregator(TOPOLOGY, true).add(block, params));
            }
            Collections.shuffle(shuffled, shuffler);
            GradientAggregator other = trial % 2 == 0 ? mergeAll(shuffled) : mergeAsTree(shuffled);
            assertEquals(first.rows(), other.rows());
            assertEquals(first.correct(), other.correct());
            assertEquals(first.lossSum(), other.lossSum(), 0.0, "trial " + trial);
            assertArrayEquals(first.meanGradient(), other.meanGradient(), 0.0, "trial " + trial);
        }
    }

    @Test
    void mergedSumsEqualAPlainLoopAndAnEmptyAggregatorIsTheIdentity() {
        List<DataBlock> blocks = blocks(10, 4);
        double[] params = params();
        ReferenceNetwork reference = new ReferenceNetwork(TOPOLOGY.sizes(), "tanh", "cross-entropy", params);
        double loss = 0;
        long rows = 0;
        double[] gradient = new double[params.length];
        for (DataBlock block : blocks) {
            for (int r = 0; r < block.rows(); r++) {
                double[] x = new double[4];
                for (int j = 0; j < 4; j++) {
                    x[j] = block.x()[r * 4 + j];
                }
                loss += reference.loss(x, block.labels()[r]);
                reference.addGradient(x, block.labels()[r], gradient);
                rows++;
            }
        }
        GradientAggregator merged = new GradientAggregator(TOPOLOGY, true);
        for (DataBlock block : blocks) {
            merged = new GradientAggregator(TOPOLOGY, true).merge(merged).merge(new GradientAggregator(TOPOLOGY, true))
                    .merge(new GradientAggregator(TOPOLOGY, true).add(block, params));
        }
        assertEquals(rows, merged.rows());
        assertEquals(loss, merged.lossSum(), 1e-12 * loss);
        double[] mean = merged.meanGradient();
        for (int i = 0; i < mean.length; i++) {
            assertEquals(gradient[i] / rows, mean[i], 1e-12 * Math.max(1, Math.abs(gradient[i] / rows)));
        }
    }

    /** Spark ships the zero value to every task: it must not carry a gradient-sized buffer. */
    @Test
    void theZeroValueStaysSmallForALargeNetwork() throws IOException {
        Topology large = new Topology(new int[] {784, 256, 10}, Activation.RELU, OutputLoss.CROSS_ENTROPY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new GradientAggregator(large, true));
        }
        assertTrue(bytes.size() < 2_000, "zero value is " + bytes.size() + " bytes for " + large.parameterCount() + " parameters");
    }

    @Test
    void withoutGradientOnlyTheLossIsSummed() {
        GradientAggregator agg = new GradientAggregator(TOPOLOGY, false);
        for (DataBlock block : blocks(3, 5)) {
            agg.add(block, params());
        }
        assertNull(agg.meanGradient());
        assertTrue(agg.lossSum() > 0);
    }

    private static GradientAggregator mergeAll(List<GradientAggregator> parts) {
        GradientAggregator total = new GradientAggregator(TOPOLOGY, true);
        for (GradientAggregator part : parts) {
            total.merge(part);
        }
        return total;
    }

    private static GradientAggregator mergeAsTree(List<GradientAggregator> parts) {
        List<GradientAggregator> level = parts;
        while (level.size() > 1) {
            List<GradientAggregator> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? level.get(i).merge(level.get(i + 1)) : level.get(i));
            }
            level = next;
        }
        return level.get(0);
    }
}
