package org.l1net.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.ann.ANNGradient;
import org.apache.spark.ml.ann.DataStacker;
import org.apache.spark.ml.ann.FeedForwardTopology;
import org.apache.spark.ml.ann.FeedForwardTopology$;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.l1net.data.DataBlock;
import org.l1net.data.SyntheticData;
import org.l1net.nn.Activation;
import org.l1net.nn.BlockKernel;
import org.l1net.nn.Initializer;
import org.l1net.nn.KernelPath;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;
import org.l1net.train.DistributedObjective;
import org.l1net.train.TrainConfig;
import scala.Tuple2;

/**
 * One full-data gradient pass of l1net against one of Spark MLlib's MultilayerPerceptronClassifier,
 * on the same generated rows, the same layer sizes (sigmoid hidden layers, softmax and
 * cross-entropy: MLPC's network), the same partitions, in one Spark application, alternating.
 * A third contender runs l1net's kernel over the very same cached blocks, collected to the driver,
 * on as many plain Java threads as there are partitions: what Spark adds to the kernel.
 *
 * <p>MLPC's pass is the one its trainer repeats (FeedForwardTrainer with L-BFGS): rows stacked by
 * its DataStacker into blocks of 128 (MLPC's default blockSize) and cached MEMORY_AND_DISK, then
 * broadcast the weights, treeAggregate (depth 2) a (dense gradient, loss) pair with ANNGradient,
 * destroy the broadcast: the aggregation of mllib's LBFGS.CostFun. L-BFGS may run more than one
 * pass per iteration (line search); this measures one pass.
 *
 * <pre>
 *   MlpcBench [--layers 10,8,4] [--rows 1000000] [--passes 7] [--warmup 20] [--master local[2]]
 *             [--partitions 2] [--seed 1] [--mlpc-block 128]
 * </pre>
 */
public final class MlpcBench {
    /** One kernel per pool thread, kept across passes, as a long-lived worker would. */
    private static final ThreadLocal<BlockKernel> KERNELS = new ThreadLocal<>();

    private MlpcBench() {
    }

    public static void main(String[] args) throws Exception {
        String layersSpec = "10,8,4";
        long rows = 1_000_000;
        int passes = 7;
        // The JIT compiles Spark's task serialization (java.io.Object*Stream) for the first dozen or so
        // passes, on one of the two cores; a training run is hundreds of passes, so time it afterwards.
        int warmup = 20;
        String master = "local[2]";
        int partitions = 2;
        long seed = 1;
        int mlpcBlock = 128;
        boolean withMlpc = true;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException("Option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--layers" -> layersSpec = value;
                case "--rows" -> rows = Long.parseLong(value);
                case "--passes" -> passes = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--master" -> master = value;
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--mlpc-block" -> mlpcBlock = Integer.parseInt(value);
                case "--mlpc" -> withMlpc = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        if (passes < 5) {
            throw new IllegalArgumentException("--passes must be >= 5 for a median, got " + passes);
        }
        int[] sizes = Topology.parseSizes(layersSpec, "--layers");
        Topology topology = new Topology(sizes, Activation.SIGMOID, OutputLoss.CROSS_ENTROPY);
        double flopsPerRow = KernelBenchmark.flopsPerRow(topology);

        SparkSession spark = session(master, "l1net-vs-mlpc");
        try (JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext())) {
            int cores = jsc.sc().defaultParallelism();
            Object mllibBlas = org.apache.spark.ml.linalg.BLAS$.MODULE$.nativeBLAS();
            System.out.printf(Locale.ROOT, "%s sigmoid/softmax/cross-entropy, %d rows, %d partitions, %s (%d cores);"
                    + " l1net kernel %s; MLlib BLAS %s%n", topology.describe(), rows, partitions, master, cores,
                    KernelPath.chosen(), mllibBlas.getClass().getSimpleName());

            // The same rows for both: partition p generates rows [p N / P, (p + 1) N / P) of the article-style
            // generator (inputs uniform in [-1, 1], labels from a random teacher), rounded to float32 for both.
            int blockRows = KernelBenchmark.blockRows(topology, 0);
            JavaRDD<DataBlock> blocks = cachedBlocks(jsc, sizes, rows, partitions, seed, blockRows);
            long l1netRows = blocks.map(DataBlock::rows).reduce(Integer::sum);

            final int classes = sizes[sizes.length - 1];
            DataStacker stacker = new DataStacker(mlpcBlock, sizes[0], sizes[sizes.length - 1]);
            JavaRDD<Tuple2<org.apache.spark.ml.linalg.Vector, org.apache.spark.ml.linalg.Vector>> pairs =
                    blocks.flatMap(b -> asMlpcRows(b, classes));
            JavaRDD<Tuple2<Double, Vector>> stacked = stacker.stack(pairs.rdd()).toJavaRDD()
                    .map(t -> new Tuple2<>((Double) t._1(), Vectors.fromML(t._2())));
            stacked.persist(StorageLevel.MEMORY_AND_DISK());
            long stackedBlocks = stacked.count();
            List<List<DataBlock>> local = blocks.glom().collect();
            System.out.printf(Locale.ROOT, "data: %d rows; l1net %d-row blocks, MLPC %d stacked blocks of %d; cached%n",
                    l1netRows, blockRows, stackedBlocks, mlpcBlock);

            FeedForwardTopology mlpcTopology = FeedForwardTopology$.MODULE$.multiLayerPerceptron(sizes, true);
            ANNGradient gradient = new ANNGradient(mlpcTopology, stacker);
            double[] mlpcWeights = mlpcTopology.model(seed).weights().toArray();
            double[] params = Initializer.initialParameters(topology, seed);
            // l1net's default depth, as training runs it; MLPC's treeAggregate keeps its own default, 2.
            DistributedObjective objective = new DistributedObjective(jsc, blocks, topology, TrainConfig.AUTO_DEPTH);
            System.out.printf(Locale.ROOT, "aggregation depth: l1net %d (auto), MLPC 2%n", objective.depth());

            double[] tMlpc = new double[passes];
            double[] tL1net = new double[passes];
            double[] tThreads = new double[passes];
            double gcL1net = 0;
            double gcMlpc = 0;
            double[] allocPerPass = new double[passes];
            ExecutorService pool = Executors.newFixedThreadPool(local.size());
            try {
                for (int i = -warmup; i < passes; i++) {
                    // Alternate which goes first, so that neither always runs after the other.
                    double mlpc = 0;
                    double inSpark = 0;
                    long gc0;
                    if ((i & 1) == 0) {
                        gc0 = gcMillis();
                        mlpc = withMlpc ? timeMlpcPass(jsc, stacked, gradient, mlpcWeights) : Double.NaN;
                        gcMlpc += i >= 0 ? gcMillis() - gc0 : 0;
                        gc0 = gcMillis();
                        inSpark = time(() -> objective.evaluate(params, true));
                        gcL1net += i >= 0 ? gcMillis() - gc0 : 0;
                    } else {
                        gc0 = gcMillis();
                        inSpark = time(() -> objective.evaluate(params, true));
                        gcL1net += i >= 0 ? gcMillis() - gc0 : 0;
                        gc0 = gcMillis();
                        mlpc = withMlpc ? timeMlpcPass(jsc, stacked, gradient, mlpcWeights) : Double.NaN;
                        gcMlpc += i >= 0 ? gcMillis() - gc0 : 0;
                    }
                    long[] alloc = new long[1];
                    double threads = time(() -> alloc[0] = threadPass(pool, local, topology, params));
                    if (i >= 0) {
                        tMlpc[i] = mlpc;
                        tL1net[i] = inSpark;
                        tThreads[i] = threads;
                        allocPerPass[i] = alloc[0];
                    }
                    System.out.printf(Locale.ROOT, "%s pass %d: MLPC %.3f s  l1net %.3f s  l1net kernel on %d threads %.3f s%n",
                            i < 0 ? "warm-up" : "timed", i < 0 ? i + warmup : i, mlpc, inSpark, local.size(), threads);
                }
            } finally {
                pool.shutdown();
            }
            double mMlpc = median(tMlpc);
            double mL1net = median(tL1net);
            double mThreads = median(tThreads);
            System.out.println();
            System.out.printf(Locale.ROOT, "%-28s %10s %10s %16s %9s %7s%n",
                    "one gradient pass", "median s", "min s", "rows/s per core", "GFLOP/s", "GC");
            row("MLlib MLPC", tMlpc, mMlpc, l1netRows, cores, flopsPerRow, gcMlpc);
            row("l1net", tL1net, mL1net, l1netRows, cores, flopsPerRow, gcL1net);
            row("l1net kernel, plain threads", tThreads, mThreads, l1netRows, local.size(), flopsPerRow, -1);
            System.out.printf(Locale.ROOT, "ratio MLPC / l1net: %.2fx   l1net in Spark / plain threads: %.2fx"
                            + "%n"
                            + "kernel threads: median bytes allocated by a thread in a pass: %.0f (%d blocks, %d rows per thread)%n",
                    mMlpc / mL1net, mL1net / mThreads, median(allocPerPass), local.get(0).size(), l1netRows / local.size());
        } finally {
            spark.stop();
        }
    }

    private static void row(String name, double[] t, double median, long rows, int cores, double flopsPerRow, double gcMillis) {
        double min = Arrays.stream(t).min().orElse(Double.NaN);
        double total = Arrays.stream(t).sum();
        System.out.printf(Locale.ROOT, "%-28s %10.3f %10.3f %16.0f %9.2f %7s%n", name, median, min,
                rows / median / cores, rows * flopsPerRow / median / 1e9,
                gcMillis < 0 ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * gcMillis / 1000 / total));
    }

    /** A local-mode session on the loopback address, without the UI. */
    static SparkSession session(String master, String appName) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false");
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * Generated article-style rows (inputs uniform in [-1, 1], labels from a random teacher), partition p
     * holding rows [p N / P, (p + 1) N / P) in blocks of blockRows, persisted MEMORY_AND_DISK (not yet
     * materialized).
     */
    static JavaRDD<DataBlock> cachedBlocks(JavaSparkContext jsc, int[] sizes, long rows, int partitions, long seed,
                                           int blockRows) {
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ids.add(p);
        }
        int features = sizes[0];
        int classes = sizes[sizes.length - 1];
        JavaRDD<DataBlock> blocks = jsc.parallelize(ids, partitions).mapPartitions(it -> generateBlocks(
                new SyntheticData(features, classes, 8, 2.0, 0.1, seed), it.next(), partitions, rows, blockRows));
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        return blocks;
    }

    /** The blocks of partition p: rows [p N / P, (p + 1) N / P), blockRows at a time. */
    private static Iterator<DataBlock> generateBlocks(SyntheticData generator, int p, int partitions, long rows, int blockRows) {
        long from = rows * p / partitions;
        long to = rows * (p + 1) / partitions;
        int features = generator.teacherTopology().inputSize();
        BlockKernel teacher = new BlockKernel(generator.teacherTopology());
        List<DataBlock> out = new ArrayList<>();
        double[] x = new double[blockRows * features];
        for (long start = from; start < to; start += blockRows) {
            int n = (int) Math.min(blockRows, to - start);
            int[] labels = new int[n];
            generator.fill(SyntheticData.TRAIN_SPLIT, start, n, x, labels, teacher);
            float[] xf = new float[n * features];
            for (int i = 0; i < xf.length; i++) {
                xf[i] = (float) x[i];
            }
            out.add(new DataBlock(n, features, xf, labels));
        }
        return out.iterator();
    }

    /** A block as MLPC's training rows: (features, one-hot label), as its LabelConverter encodes them. */
    private static Iterator<Tuple2<org.apache.spark.ml.linalg.Vector, org.apache.spark.ml.linalg.Vector>> asMlpcRows(
            DataBlock block, int classes) {
        List<Tuple2<org.apache.spark.ml.linalg.Vector, org.apache.spark.ml.linalg.Vector>> out = new ArrayList<>();
        int features = block.features();
        for (int r = 0; r < block.rows(); r++) {
            double[] x = new double[features];
            for (int j = 0; j < features; j++) {
                x[j] = block.x()[r * features + j];
            }
            double[] y = new double[classes];
            y[block.labels()[r]] = 1.0;
            out.add(new Tuple2<>(org.apache.spark.ml.linalg.Vectors.dense(x), org.apache.spark.ml.linalg.Vectors.dense(y)));
        }
        return out.iterator();
    }

    private static double timeMlpcPass(JavaSparkContext jsc, JavaRDD<Tuple2<Double, Vector>> stacked,
                                       ANNGradient gradient, double[] weights) {
        return time(() -> mlpcPass(jsc, stacked, gradient, weights));
    }

    /** mllib LBFGS.CostFun's aggregation: dense zero gradient, ANNGradient.compute per stacked block, axpy merge. */
    private static double mlpcPass(JavaSparkContext jsc, JavaRDD<Tuple2<Double, Vector>> stacked,
                                   ANNGradient gradient, double[] weights) {
        Broadcast<Vector> w = jsc.broadcast(Vectors.dense(weights));
        try {
            Tuple2<DenseVector, Double> zero = new Tuple2<>((DenseVector) Vectors.zeros(weights.length), 0.0);
            Tuple2<DenseVector, Double> sum = stacked.treeAggregate(zero,
                    (acc, row) -> new Tuple2<>(acc._1(), acc._2() + gradient.compute(row._2(), row._1(), w.value(), acc._1())),
                    (a, b) -> {
                        double[] x = a._1().values();
                        double[] y = b._1().values();
                        for (int i = 0; i < x.length; i++) {
                            x[i] += y[i];
                        }
                        return new Tuple2<>(a._1(), a._2() + b._2());
                    }, 2);
            return sum._2();
        } finally {
            w.destroy();
        }
    }

    /** The kernel over each partition's blocks on its own thread; returns the most bytes a thread allocated. */
    static long threadPass(ExecutorService pool, List<List<DataBlock>> partitions, Topology topology,
                                   double[] params) {
        List<Future<long[]>> futures = new ArrayList<>();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[][] gradients = new double[partitions.size()][];
        for (int p = 0; p < partitions.size(); p++) {
            List<DataBlock> mine = partitions.get(p);
            double[] gradientSum = new double[topology.parameterCount()];
            gradients[p] = gradientSum;
            futures.add(pool.submit(() -> {
                long before = mx.getCurrentThreadAllocatedBytes();
                BlockKernel kernel = KERNELS.get();
                if (kernel == null || !kernel.topology().equals(topology)) {
                    kernel = new BlockKernel(topology);
                    KERNELS.set(kernel);
                }
                double loss = 0;
                for (DataBlock block : mine) {
                    loss += kernel.lossAndGradient(params, block.x(), block.labels(), block.rows(), gradientSum);
                }
                return new long[] {mx.getCurrentThreadAllocatedBytes() - before, Double.doubleToLongBits(loss)};
            }));
        }
        long maxAlloc = 0;
        try {
            for (Future<long[]> f : futures) {
                maxAlloc = Math.max(maxAlloc, f.get()[0]);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (int p = 1; p < gradients.length; p++) {
            for (int i = 0; i < gradients[0].length; i++) {
                gradients[0][i] += gradients[p][i];
            }
        }
        return maxAlloc;
    }

    private static double time(Runnable action) {
        long t0 = System.nanoTime();
        action.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
