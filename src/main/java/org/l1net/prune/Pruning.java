package org.l1net.prune;

import org.l1net.nn.SparseNetwork;

/**
 * The result of pruning a network: which units of the trained network survive, and the smaller
 * network built from them.
 *
 * @param kept    kept[l]: the surviving units of layer l of the trained network, ascending: kept[0] the
 *                input columns read, kept[1..L-1] the hidden units, kept[L] every class
 * @param network the pruned network; its layer l has kept[l + 1].length units
 */
public record Pruning(int[][] kept, SparseNetwork network) {

    public Pruning {
        kept = deepCopy(kept);
    }

    @Override
    public int[][] kept() {
        return deepCopy(kept);
    }

    /** The surviving units of layer l (0 = inputs). */
    public int[] kept(int layer) {
        return kept[layer].clone();
    }

    private static int[][] deepCopy(int[][] a) {
        int[][] copy = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i].clone();
        }
        return copy;
    }
}
