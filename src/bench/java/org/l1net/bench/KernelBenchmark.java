package org.l1net.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.l1net.data.HeaderMode;
import org.l1net.data.ReadOptions;
import org.l1net.nn.Activation;
import org.l1net.nn.BlockKernel;
import org.l1net.nn.Initializer;
import org.l1net.nn.KernelPath;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One block through the kernel, forward and backward (loss, gradient summed into a buffer), the
 * unit of work a Spark task repeats. The block has as many rows as l1net packs by default (about
 * 1 MB of float32 features: 4096 rows of 10, 334 rows of 784) unless {@code rows} says otherwise.
 * {@link KernelBench} turns blocks/s into rows/s and GFLOP/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class KernelBenchmark {
    @Param({"10-8-4", "784-100-10", "784-256-10"})
    public String layers;

    @Param({"VECTOR", "SCALAR"})
    public String path;

    @Param({"sigmoid"})
    public String activation;

    /** Rows per block; 0 = l1net's default block size for the input width. */
    @Param({"0"})
    public int rows;

    private BlockKernel kernel;
    private double[] params;
    private float[] x;
    private int[] labels;
    private double[] gradient;
    private int blockRows;

    @Setup
    public void setUp() {
        Topology topology = topology(layers, activation);
        blockRows = blockRows(topology, rows);
        kernel = new BlockKernel(topology, KernelPath.valueOf(path));
        params = Initializer.initialParameters(topology, 1);
        SplittableRandom random = new SplittableRandom(2);
        x = new float[blockRows * topology.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        labels = new int[blockRows];
        for (int r = 0; r < blockRows; r++) {
            labels[r] = random.nextInt(topology.classCount());
        }
        gradient = new double[topology.parameterCount()];
    }

    @Benchmark
    public double forwardBackward() {
        return kernel.lossAndGradient(params, x, labels, blockRows, gradient);
    }

    static Topology topology(String layers, String activation) {
        return new Topology(Topology.parseSizes(layers.replace('-', ','), "layers"),
                Activation.fromName(activation), OutputLoss.CROSS_ENTROPY);
    }

    static int blockRows(Topology topology, int rows) {
        return new ReadOptions(HeaderMode.AUTO, "last", 0, rows).blockRowsFor(topology.inputSize());
    }

    /**
     * Multiply-adds counted as 2 FLOPs: per layer forward (2 in out) and weight gradient (2 in out),
     * and the delta of the layer below (2 in out) for all but the first layer. For n0-n1-n2 that is
     * 2 (2 n0 n1 + 3 n1 n2), the count MLlib's figures use. Activations and softmax are not counted.
     */
    static double flopsPerRow(Topology topology) {
        double flops = 0;
        for (int l = 0; l < topology.layerCount(); l++) {
            double mac = (double) topology.size(l) * topology.size(l + 1);
            flops += (l == 0 ? 4 : 6) * mac;
        }
        return flops;
    }
}
