package org.l1net.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Run by {@link KernelPathTest} in a JVM of its own: prints the chosen path and a fingerprint of one block's results. */
public final class KernelPathProbe {
    private KernelPathProbe() {
    }

    public static void main(String[] args) {
        System.out.println(KernelPath.chosen() + " " + KernelPath.vectorAvailable() + " " + fingerprint(KernelPath.chosen()));
    }

    /** Loss and gradient of a 37-row block of a 50-13-5 tanh network, as a hash of their bits. */
    static String fingerprint(KernelPath path) {
        Topology topology = new Topology(new int[] {50, 13, 5}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        SplittableRandom random = new SplittableRandom(3);
        double[] params = new double[topology.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = random.nextDouble() - 0.5;
        }
        int rows = 37;
        float[] x = new float[rows * 50];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(5);
        }
        double[] gradient = new double[params.length];
        double loss = new BlockKernel(topology, path).lossAndGradient(params, x, labels, rows, gradient);
        return Long.toHexString(Double.doubleToRawLongBits(loss)) + "/" + Integer.toHexString(Arrays.hashCode(gradient));
    }
}
