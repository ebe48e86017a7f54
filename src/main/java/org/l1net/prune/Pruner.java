package org.l1net.prune;

import org.l1net.nn.SparseNetwork;
import org.l1net.nn.Topology;

/**
 * Drops the inputs and hidden units that cannot change a trained network's output, and keeps the
 * remaining weights sparse. The pruned network scores the same rows to the same probabilities
 * (up to the rounding of a reordered sum).
 *
 * <p>Layer l has units 0..s_l-1 (layer 0: the inputs, layer L: the classes); W_l [s_l x s_(l-1)].
 * <ol>
 * <li>A hidden unit <em>varies</em> when some varying unit of the layer below reaches it through a
 *     nonzero weight (every input varies). One that does not is a constant, c_j = f(b_j + sum_i
 *     W[j, i] c_i) over the constants i below; its contribution W[k, j] c_j is added to the bias of
 *     every unit k it feeds, so the unit can go. This covers a unit whose incoming weights are all zero,
 *     and the units above it that it alone fed.</li>
 * <li>A varying unit is <em>used</em> when a used unit of the layer above reads it through a nonzero
 *     weight (every class is used). One that is not (its outgoing weights are all zero, or feed only
 *     dropped units) cannot change the output and goes, with its incoming weights.</li>
 * </ol>
 * The kept units are the used ones. An input is kept when a kept first-layer unit reads it.
 */
public final class Pruner {
    private Pruner() {
    }

    /** Prunes the network of this topology and flat parameter vector (per layer W [out x in] row-major, then b). */
    public static Pruning prune(Topology topology, double[] params) {
        if (params.length != topology.parameterCount()) {
            throw new IllegalArgumentException("The " + topology.describe() + " network has "
                    + topology.parameterCount() + " parameters, got " + params.length);
        }
        int layers = topology.layerCount();
        int[] sizes = topology.sizes();

        // varies[l][j], l = 0..L; the classes are never dropped, so varies[L] is not needed for them.
        boolean[][] varies = new boolean[layers + 1][];
        varies[0] = filled(sizes[0], true);
        // constant[l][j]: the value of a hidden unit that does not vary
        double[][] constant = new double[layers + 1][];
        for (int l = 1; l <= layers; l++) {
            int in = sizes[l - 1];
            int out = sizes[l];
            int w = topology.weightOffset(l - 1);
            int b = topology.biasOffset(l - 1);
            varies[l] = new boolean[out];
            constant[l] = new double[out];
            for (int j = 0; j < out; j++) {
                double z = params[b + j];
                for (int i = 0; i < in; i++) {
                    double wji = params[w + j * in + i];
                    if (wji == 0.0) {
                        continue;
                    }
                    if (varies[l - 1][i]) {
                        varies[l][j] = true;
                    } else {
                        z += wji * constant[l - 1][i];
                    }
                }
                if (!varies[l][j] && l < layers) {
                    constant[l][j] = apply(topology, z);
                }
            }
        }

        boolean[][] used = new boolean[layers + 1][];
        used[layers] = filled(sizes[layers], true);
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            int w = topology.weightOffset(l);
            used[l] = new boolean[in];
            for (int j = 0; j < out; j++) {
                if (!used[l + 1][j]) {
                    continue;
                }
                for (int i = 0; i < in; i++) {
                    if (varies[l][i] && params[w + j * in + i] != 0.0) {
                        used[l][i] = true;
                    }
                }
            }
        }

        int[][] kept = new int[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            kept[l] = indices(used[l]);
        }
        SparseNetwork.Layer[] pruned = new SparseNetwork.Layer[layers];
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int w = topology.weightOffset(l);
            int b = topology.biasOffset(l);
            int[] rows = kept[l + 1];
            int[] cols = kept[l];
            double[] weights = new double[rows.length * cols.length];
            double[] bias = new double[rows.length];
            for (int r = 0; r < rows.length; r++) {
                int j = rows[r];
                double bj = params[b + j];
                // The constants below, folded into the bias in unit order (layer 0 has none).
                for (int i = 0; i < in && l > 0; i++) {
                    double wji = params[w + j * in + i];
                    if (wji != 0.0 && !varies[l][i]) {
                        bj += wji * constant[l][i];
                    }
                }
                bias[r] = bj;
                for (int c = 0; c < cols.length; c++) {
                    weights[r * cols.length + c] = params[w + j * in + cols[c]];
                }
            }
            pruned[l] = SparseNetwork.Layer.of(rows.length, cols.length, weights, bias);
        }
        return new Pruning(kept, new SparseNetwork(sizes[0], kept[0], pruned, topology.activation()));
    }

    private static double apply(Topology topology, double z) {
        return topology.activation().apply(z);
    }

    private static boolean[] filled(int n, boolean value) {
        boolean[] a = new boolean[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static int[] indices(boolean[] mask) {
        int n = 0;
        for (boolean m : mask) {
            n += m ? 1 : 0;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
