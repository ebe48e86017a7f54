package org.l1net.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Run by {@link KernelPathTest} in a JVM of its own: prints the chosen path and a fingerprint of one block's results. */
public final class KernelPathProbe {
    private KernelPathProbe() {
    }

    public static void main(String[] args) {
        KernelPath path = KernelPath.chosen();
        System.out.println(path + " " + KernelPath.vectorAvailable() + " " + path.newGemm().lanes() + " " + fingerprint(path));
    }

    /**
     * Loss and gradient of a 37-row block of a 50-13-5 tanh network (row-major) and of a 1,043-row
     * block of a 10-8-4 sigmoid network (unit-major, more than a chunk), as hashes of their bits.
     */
    static String fingerprint(KernelPath path) {
        return fingerprint(path, new int[] {50, 13, 5}, Activation.TANH, 37) + " "
                + fingerprint(path, new int[] {10, 8, 4}, Activation.SIGMOID, 1043);
    }

    private static String fingerprint(KernelPath path, int[] sizes, Activation activation, int rows) {
        Topology topology = new Topology(sizes, activation, OutputLoss.CROSS_ENTROPY);
        int inputs = sizes[0];
        int classes = topology.classCount();
        SplittableRandom random = new SplittableRandom(3);
        double[] params = new double[topology.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = random.nextDouble() - 0.5;
        }
        float[] x = new float[rows * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(classes);
        }
        double[] gradient = new double[params.length];
        double loss = new BlockKernel(topology, path).lossAndGradient(params, x, labels, rows, gradient);
        return Long.toHexString(Double.doubleToRawLongBits(loss)) + "/" + Integer.toHexString(Arrays.hashCode(gradient));
    }
}
