package org.l1net.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.l1net.data.DataBlock;
import org.l1net.nn.Activation;
import org.l1net.nn.Initializer;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;
import org.l1net.train.DistributedObjective;
import org.l1net.train.Evaluation;
import org.l1net.train.GradientAggregator;
import org.l1net.train.TrainConfig;
import scala.collection.Iterator;
import scala.collection.immutable.Range;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Where Spark's share of a gradient pass goes: the pass (l1net's DistributedObjective, sigmoid hidden
 * layers as in MlpcBench) split by a SparkListener into scheduling before the first task starts, the
 * tasks, and the return of the results; next to it an empty job through the RDD API, an empty job
 * through SparkContext.runJob with a named function (no closure cleaning), one broadcast and destroy
 * of the weights, and the kernel on plain threads over the same blocks. Medians and minima over the
 * passes, interleaved. For comparison only, the same pass with the weights shipped inside the task
 * closure instead of a broadcast (not how l1net runs), and an estimate of the lowest pass / threads
 * ratio that Spark's floor (an empty job plus a broadcast, timed apart) leaves.
 *
 * <pre>
 *   SparkOverheadBench [--layers 10,8,4] [--rows 1000000] [--passes 21] [--warmup 20] [--master local[2]] [--partitions 2] [--depth auto]
 * </pre>
 */
public final class SparkOverheadBench {
    private SparkOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        String layersSpec = "10,8,4";
        long rows = 1_000_000;
        int passes = 21;
        int warmup = 20;
        String master = "local[2]";
        int partitions = 2;
        int depth = TrainConfig.AUTO_DEPTH;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--layers" -> layersSpec = value;
                case "--rows" -> rows = Long.parseLong(value);
                case "--passes" -> passes = Integer.parseInt(value);
                case "--master" -> master = value;
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--depth" -> depth = value.equals("auto") ? TrainConfig.AUTO_DEPTH : Integer.parseInt(value);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        if (passes < 5) {
            throw new IllegalArgumentException("--passes must be >= 5 for a median, got " + passes);
        }
        int[] sizes = Topology.parseSizes(layersSpec, "--layers");
        Topology topology = new Topology(sizes, Activation.SIGMOID, OutputLoss.CROSS_ENTROPY);
        SparkSession spark = MlpcBench.session(master, "l1net-spark-overhead");
        TaskTimes times = new TaskTimes();
        spark.sparkContext().addSparkListener(times);
        try (JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext())) {
            final int parts = partitions;
            JavaRDD<DataBlock> blocks = MlpcBench.cachedBlocks(jsc, sizes, rows, partitions, 1,
                    KernelBenchmark.blockRows(topology, 0));
            blocks.count();
            List<List<DataBlock>> local = blocks.glom().collect();
            double[] params = Initializer.initialParameters(topology, 1);
            DistributedObjective objective = new DistributedObjective(jsc, blocks, topology, depth);
            System.out.printf(Locale.ROOT, "%s sigmoid, %d rows, %d partitions, %s, aggregation depth %d, %d passes after %d warm-up%n",
                    topology.describe(), rows, partitions, master, objective.depth(), passes, warmup);

            double[] rddJob = new double[passes];
            double[] directJob = new double[passes];
            double[] broadcast = new double[passes];
            double[] pass = new double[passes];
            double[] closurePass = new double[passes];
            double[] threads = new double[passes];
            String[] groups = new String[passes];
            ExecutorService pool = Executors.newFixedThreadPool(local.size());
            try {
                for (int i = -warmup; i < passes; i++) {
                    double tRdd = seconds(() -> blocks.foreachPartition(it -> { }));
                    double tDirect = seconds(() -> jsc.sc().runJob(blocks.rdd(), new EmptyTask(),
                            new Range.Exclusive(0, parts, 1), new Ignore(), ClassTag$.MODULE$.apply(Integer.class)));
                    double tBroadcast = seconds(() -> {
                        Broadcast<double[]> b = jsc.broadcast(params);
                        b.destroy();
                    });
                    String group = "pass-" + i;
                    // The comparison pass runs before the pass on odd iterations and after it on even ones,
                    // so that neither always follows the other's broadcast clean-up.
                    double tClosure = (i & 1) != 0 ? seconds(() -> closurePass(jsc, blocks, topology, params, parts)) : 0;
                    jsc.setJobGroup(group, group, false);
                    double tPass = seconds(() -> objective.evaluate(params, true));
                    jsc.clearJobGroup();
                    if ((i & 1) == 0) {
                        tClosure = seconds(() -> closurePass(jsc, blocks, topology, params, parts));
                    }
                    double tThreads = seconds(() -> MlpcBench.threadPass(pool, local, topology, params));
                    if (i >= 0) {
                        rddJob[i] = tRdd;
                        directJob[i] = tDirect;
                        broadcast[i] = tBroadcast;
                        pass[i] = tPass;
                        closurePass[i] = tClosure;
                        threads[i] = tThreads;
                        groups[i] = group;
                    }
                }
            } finally {
                pool.shutdown();
            }
            // The comparison pass must compute what the real one does.
            Evaluation real = objective.evaluate(params, true);
            double closureLoss = closurePass(jsc, blocks, topology, params, parts) / real.rows();
            if (Math.abs(closureLoss - real.meanLoss()) > 1e-12 * Math.abs(real.meanLoss())) {
                throw new IllegalStateException("closure pass loss " + closureLoss + " != pass loss " + real.meanLoss());
            }
            Thread.sleep(1000); // the listener bus delivers task ends asynchronously
            double[] beforeTasks = new double[passes];
            double[] inTasks = new double[passes];
            double[] afterTasks = new double[passes];
            double[] deserialize = new double[passes];
            double[] run = new double[passes];
            double[] cpu = new double[passes];
            double[] launchSpread = new double[passes];
            double[] resultTime = new double[passes];
            for (int i = 0; i < passes; i++) {
                int[] jobIds = jsc.statusTracker().getJobIdsForGroup(groups[i]);
                if (jobIds.length != 1) {
                    throw new IllegalStateException("pass " + i + " ran " + jobIds.length + " jobs, expected 1");
                }
                long[] job = times.jobs.get(jobIds[0]);
                long firstLaunch = Long.MAX_VALUE;
                long lastFinish = 0;
                long maxDeserialize = 0;
                long maxRun = 0;
                long maxCpu = 0;
                long lastLaunch = 0;
                long maxResult = 0;
                for (long[] t : times.tasksOf(job[1])) {
                    lastLaunch = Math.max(lastLaunch, t[0]);
                    maxResult = Math.max(maxResult, t[1] - t[0] - t[2] - t[3]);
                    firstLaunch = Math.min(firstLaunch, t[0]);
                    lastFinish = Math.max(lastFinish, t[1]);
                    maxDeserialize = Math.max(maxDeserialize, t[2]);
                    maxRun = Math.max(maxRun, t[3]);
                    maxCpu = Math.max(maxCpu, t[4]);
                }
                // The job's submission time stands for the pass's start; the broadcast before it is timed apart.
                beforeTasks[i] = (firstLaunch - job[0]) / 1e3;
                inTasks[i] = (lastFinish - firstLaunch) / 1e3;
                afterTasks[i] = pass[i] - beforeTasks[i] - inTasks[i];
                deserialize[i] = maxDeserialize / 1e3;
                run[i] = maxRun / 1e3;
                cpu[i] = maxCpu / 1e3;
                launchSpread[i] = (lastLaunch - firstLaunch) / 1e3;
                resultTime[i] = maxResult / 1e3;
            }
            System.out.printf(Locale.ROOT, "%n%-56s %9s %9s%n", "", "median ms", "min ms");
            print("empty job, RDD API (foreachPartition)", rddJob);
            print("empty job, runJob with a named function", directJob);
            print("broadcast + destroy of the weights", broadcast);
            print("l1net gradient pass", pass);
            print("  job submitted .. first task starts", beforeTasks);
            print("  first task starts .. last task ends", inTasks);
            print("    (longest task deserialization)", deserialize);
            print("    (longest task run time)", run);
            print("    (largest task CPU time)", cpu);
            print("    (last task launch - first task launch)", launchSpread);
            print("    (largest finish - launch - deserialization - run)", resultTime);
            print("  the rest: broadcast, task results, merge, destroy", afterTasks);
            print("l1net kernel on " + local.size() + " plain threads, same blocks", threads);
            print("(comparison) the pass with weights in the task closure", closurePass);
            double floor = MlpcBench.median(directJob) + MlpcBench.median(broadcast);
            System.out.printf(Locale.ROOT, "pass / plain threads: %.2fx (medians)%n",
                    MlpcBench.median(pass) / MlpcBench.median(threads));
            System.out.printf(Locale.ROOT, "Spark's floor, estimated: (threads + empty runJob + broadcast) / threads: "
                    + "%.2fx%n", (MlpcBench.median(threads) + floor) / MlpcBench.median(threads));
            System.out.printf(Locale.ROOT, "(comparison) weights in the closure / plain threads: %.2fx%n",
                    MlpcBench.median(closurePass) / MlpcBench.median(threads));
        } finally {
            spark.stop();
        }
    }

    /**
     * The gradient pass with the weights serialized into the task closure (Spark broadcasts the task
     * binary once per job anyway) instead of a broadcast of their own: what the separate broadcast costs.
     */
    private static double closurePass(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, Topology topology, double[] params,
                                      int partitions) {
        GradientAggregator total = new GradientAggregator(topology, true);
        ClosureSum task = new ClosureSum(new GradientAggregator(topology, true), params);
        // Anonymous classes, not lambdas: Spark's closure cleaner passes them by, as it does DistributedObjective's named ones.
        jsc.sc().runJob(blocks.rdd(), new AbstractSerializableFunction2<TaskContext, Iterator<DataBlock>, GradientAggregator>() {
            @Override
            public GradientAggregator apply(TaskContext context, Iterator<DataBlock> partition) {
                return task.sum(partition);
            }
        }, new Range.Exclusive(0, partitions, 1), new AbstractFunction2<Object, GradientAggregator, BoxedUnit>() {
            @Override
            public BoxedUnit apply(Object partition, GradientAggregator sums) {
                total.merge(sums);
                return BoxedUnit.UNIT;
            }
        }, ClassTag$.MODULE$.apply(GradientAggregator.class));
        return total.lossSum();
    }

    private static void print(String name, double[] seconds) {
        System.out.printf(Locale.ROOT, "%-56s %9.1f %9.1f%n", name, 1e3 * MlpcBench.median(seconds),
                1e3 * Arrays.stream(seconds).min().orElse(Double.NaN));
    }

    private static double seconds(Runnable action) {
        long t0 = System.nanoTime();
        action.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Job submission times and task (launch, finish, deserialization) times, in ms, by stage. */
    private static final class TaskTimes extends SparkListener {
        final Map<Integer, long[]> jobs = new ConcurrentHashMap<>();
        final Map<Integer, List<long[]>> tasksByStage = new ConcurrentHashMap<>();

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            // The first stage (the lowest id: Spark creates parent stages first) runs the gradient tasks; with
            // an intermediate treeAggregate level the merge stage after it counts as "the rest".
            int first = Integer.MAX_VALUE;
            scala.collection.Iterator<Object> ids = start.stageIds().iterator();
            while (ids.hasNext()) {
                first = Math.min(first, (Integer) ids.next());
            }
            jobs.put(start.jobId(), new long[] {start.time(), first});
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            tasksByStage.computeIfAbsent(end.stageId(), s -> new ArrayList<>()).add(new long[] {
                end.taskInfo().launchTime(), end.taskInfo().finishTime(), end.taskMetrics().executorDeserializeTime(),
                end.taskMetrics().executorRunTime(), end.taskMetrics().executorCpuTime() / 1_000_000});
        }

        List<long[]> tasksOf(long stage) {
            return tasksByStage.getOrDefault((int) stage, List.of());
        }
    }

    /** Does nothing with its partition; a named class, so Spark's closure cleaner passes it by. */
    private static final class EmptyTask extends AbstractFunction2<TaskContext, Iterator<DataBlock>, Integer>
            implements java.io.Serializable {
        @Override
        public Integer apply(TaskContext context, Iterator<DataBlock> partition) {
            return 0;
        }
    }

    /** One partition's sums, with the weights carried in the function itself. */
    private record ClosureSum(GradientAggregator zero, double[] params) implements java.io.Serializable {
        GradientAggregator sum(Iterator<DataBlock> partition) {
            GradientAggregator sums = zero.emptyCopy();
            partition.foreach(block -> sums.add(block, params));
            return sums;
        }
    }

    /** A serializable Scala function of two arguments, for runJob's task function. */
    private abstract static class AbstractSerializableFunction2<A, B, R> extends AbstractFunction2<A, B, R>
            implements java.io.Serializable {
    }

    private static final class Ignore extends AbstractFunction2<Object, Integer, BoxedUnit> {
        @Override
        public BoxedUnit apply(Object partition, Integer result) {
            return BoxedUnit.UNIT;
        }
    }
}
