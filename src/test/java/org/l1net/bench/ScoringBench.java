package org.l1net.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;

/**
 * Scoring speed, dense (the block kernel on the trained network) against pruned (the sparse network
 * predict uses), on one thread, for networks with the structure L1 leaves: inputs with no weights,
 * hidden units with no inputs, and scattered zeros among the rest. Prints a table; run it with
 * submit/bench-scoring.sh on a quiet machine. Not a test: timings belong in a table, not in an assert.
 */
public final class ScoringBench {
    private static final int BLOCK_ROWS = 1024;

    /** How much of a network survives: kept inputs, kept units per hidden layer, and the weights among them. */
    record Sparsity(String name, double inputs, double units, double weights) {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        List<int[]> shapes = List.of(new int[] {10, 8, 4}, new int[] {100, 64, 10}, new int[] {784, 128, 10},
                new int[] {784, 256, 128, 10});
        List<Sparsity> levels = List.of(new Sparsity("none", 1, 1, 1), new Sparsity("light", 0.9, 0.9, 0.5),
                new Sparsity("medium", 0.6, 0.7, 0.3), new Sparsity("heavy", 0.4, 0.5, 0.15),
                new Sparsity("extreme", 0.2, 0.3, 0.1));
        System.out.printf(Locale.ROOT, "scoring %d-row blocks on one thread, %s s per measurement, median of 5; Java %s%n",
                BLOCK_ROWS, seconds, System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-15s %-8s %7s %-15s %9s %12s %12s %8s %10s%n", "network", "sparsity", "zero", "pruned",
                "weights", "dense rows/s", "pruned rows/s", "speedup", "file KB");
        for (int[] sizes : shapes) {
            for (Sparsity level : levels) {
                run(sizes, level, seconds);
            }
        }
    }

    private static void run(int[] sizes, Sparsity level, double seconds) {
        Topology topology = new Topology(sizes, Activation.RELU, OutputLoss.CROSS_ENTROPY);
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(sizes) * 31L + level.name().hashCode());
        double[] p = parameters(topology, level, random);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < sizes[0]; i++) {
            names.add("x" + i);
        }
        L1NetModel model = new L1NetModel(topology, p, names, "label", Map.of(), Map.of());
        float[] x = new float[BLOCK_ROWS * sizes[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        L1NetModel.Scorer dense = model.denseScorer();
        L1NetModel.Scorer pruned = model.scorer();
        double[] a = dense.probabilities(x, BLOCK_ROWS).clone();
        double[] b = pruned.probabilities(x, BLOCK_ROWS);
        double worst = 0;
        for (int i = 0; i < BLOCK_ROWS * topology.classCount(); i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        if (worst > 1e-12) {
            throw new IllegalStateException("pruned and dense disagree by " + worst);
        }
        double denseRate = rate(dense, x, seconds);
        double prunedRate = rate(pruned, x, seconds);
        long zeros = 0;
        boolean[] bias = topology.biasMask();
        for (int i = 0; i < p.length; i++) {
            zeros += !bias[i] && p[i] == 0.0 ? 1 : 0;
        }
        var network = model.pruning().network();
        System.out.printf(Locale.ROOT, "%-15s %-8s %6.1f%% %-15s %9d %12.0f %12.0f %7.1fx %10.1f%n", topology.describe(),
                level.name(), 100.0 * zeros / topology.weightCount(), network.describe(), network.storedWeights(), denseRate,
                prunedRate, prunedRate / denseRate, ModelFormat.toJson(model).length() / 1024.0);
    }

    /** Rows per second: the median of 5 runs of about {@code seconds} each, after a warm-up. */
    private static double rate(L1NetModel.Scorer scorer, float[] x, double seconds) {
        double[] rates = new double[5];
        double sink = 0;
        for (int rep = -2; rep < rates.length; rep++) {
            long rows = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9 / (rep < 0 ? 2 : 1));
            long now;
            do {
                sink += scorer.probabilities(x, BLOCK_ROWS)[0];
                rows += BLOCK_ROWS;
                now = System.nanoTime();
            } while (now < end);
            if (rep >= 0) {
                rates[rep] = rows / ((now - start) / 1e9);
            }
        }
        if (sink == 42.0) {
            System.out.print(""); // keeps the JIT from dropping the scoring as dead code
        }
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    /** Gaussian weights; then whole input columns, whole hidden units' inputs, and scattered weights set to 0. */
    private static double[] parameters(Topology topology, Sparsity level, SplittableRandom random) {
        double[] p = new double[topology.parameterCount()];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextGaussian() * 0.3;
        }
        for (int l = 0; l < topology.layerCount(); l++) {
            int in = topology.size(l);
            int out = topology.size(l + 1);
            boolean[] keepIn = new boolean[in];
            for (int i = 0; i < in; i++) {
                keepIn[i] = random.nextDouble() < (l == 0 ? level.inputs() : 1.0);
            }
            boolean last = l == topology.layerCount() - 1;
            for (int j = 0; j < out; j++) {
                boolean keepUnit = last || random.nextDouble() < level.units();
                for (int i = 0; i < in; i++) {
                    if (!keepIn[i] || !keepUnit || random.nextDouble() >= level.weights()) {
                        p[topology.weightOffset(l) + j * in + i] = 0.0;
                    }
                }
            }
        }
        return p;
    }
}
