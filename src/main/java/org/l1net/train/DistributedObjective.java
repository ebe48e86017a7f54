package org.l1net.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.l1net.data.DataBlock;
import org.l1net.nn.Topology;
import scala.collection.Iterator;
import scala.collection.immutable.Range;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The mean data loss (and gradient) over cached blocks, computed as one Spark job: broadcast the
 * weights, treeAggregate a {@link GradientAggregator}, destroy the broadcast. Counts its passes.
 *
 * <p>When treeAggregate's tree would have no intermediate level (depth 1, or few partitions for the
 * depth: Spark adds a level only while it shrinks the fan-in), the pass is the one job that
 * treeAggregate would run, submitted directly: each task sums its partition, and the driver merges
 * the task results as they arrive. Spark's own treeAggregate does the same work but first cleans
 * several of its internal Scala closures, and each cleaning reads and parses a class file of
 * Spark's (RDD, SparkContext) with ASM. Functions written as named classes are not closures to
 * Spark's cleaner. On the 2-core development machine that took the driver's time outside the
 * tasks from 12.5 to 14 ms to about 8 ms per pass (submit/bench-overhead.sh, 10-8-4, local[2]).
 * The merge is exact (see {@link GradientAggregator}), so both ways give the same bits.
 */
public final class DistributedObjective {
    private final JavaSparkContext context;
    private final JavaRDD<DataBlock> blocks;
    private final Topology topology;
    private final int depth;
    private long passes;

    /**
     * @param depth treeAggregate depth (2 suits up to a few hundred partitions), or
     *              {@link TrainConfig#AUTO_DEPTH} for {@link #autoDepth}'s choice for these blocks
     */
    public DistributedObjective(JavaSparkContext context, JavaRDD<DataBlock> blocks, Topology topology, int depth) {
        if (depth < TrainConfig.AUTO_DEPTH) {
            throw new IllegalArgumentException("--aggregation-depth must be auto or >= 1, got " + depth);
        }
        this.context = context;
        this.blocks = blocks;
        this.topology = topology;
        this.depth = depthFor(context, blocks.getNumPartitions(), topology.parameterCount(), depth);
    }

    /** The depth a pass over this many partitions uses: {@code requested}, or {@link #autoDepth}'s choice for auto. */
    public static int depthFor(JavaSparkContext context, int partitions, int parameterCount, int requested) {
        return requested != TrainConfig.AUTO_DEPTH ? requested
                : autoDepth(partitions, parameterCount, context.sc().isLocal(),
                        context.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g"));
    }

    /** The treeAggregate depth in use: the one asked for, or auto's choice. */
    public int depth() {
        return depth;
    }

    /** Serialized bytes of one task's sums: a double-double per parameter, plus the loss, counts and Spark's task metrics. */
    static long taskResultBytes(int parameterCount) {
        return 16L * parameterCount + 4096;
    }

    /**
     * What the driver may receive in one pass at depth 1 on a cluster: 16 MB, about 0.13 s of a 1 Gb/s
     * link. Beyond it an intermediate level spreads the merge over the executors.
     */
    static final long CLUSTER_DIRECT_BYTES = 16L << 20;

    /**
     * The depth that --aggregation-depth auto picks: 1 (every task's sums straight to the driver, no
     * intermediate level) when all the partitions' results together fit the budget, else 2. In local mode
     * the executors are the driver's own threads and an intermediate level only adds a shuffle (784-256-10
     * in 48 partitions on local[2]: 0.95 s per pass at depth 1 against 1.25 s at depth 2), so the budget is
     * half of spark.driver.maxResultSize, which a depth-1 job must not exceed; on a cluster it is also at
     * most {@link #CLUSTER_DIRECT_BYTES}. A maxResultSize of 0 means no limit, as in Spark.
     */
    static int autoDepth(int partitions, int parameterCount, boolean local, long maxResultSize) {
        long budget = maxResultSize <= 0 ? Long.MAX_VALUE : maxResultSize / 2;
        if (!local) {
            budget = Math.min(budget, CLUSTER_DIRECT_BYTES);
        }
        return (long) partitions * taskResultBytes(parameterCount) <= budget ? 1 : 2;
    }

    /** One pass at {@code params}; the gradient only when asked. */
    public Evaluation evaluate(double[] params, boolean withGradient) {
        Evaluation result = aggregate(params, new GradientAggregator(topology, withGradient));
        if (result.rows() == 0) {
            throw new IllegalStateException("The dataset has no rows");
        }
        return result;
    }

    /**
     * One pass over a seeded sample of the rows (see {@link GradientAggregator}), with the gradient.
     * The sample may be empty: then rows is 0, the loss NaN and the gradient zero.
     */
    public Evaluation evaluateSample(double[] params, double fraction, long seed) {
        return aggregate(params, new GradientAggregator(topology, true, fraction, seed));
    }

    private Evaluation aggregate(double[] params, GradientAggregator zero) {
        if (params.length != topology.parameterCount()) {
            throw new IllegalArgumentException("Expected " + topology.parameterCount() + " parameters, got " + params.length);
        }
        Broadcast<double[]> weights = context.broadcast(params);
        try {
            GradientAggregator total = treeAddsLevel(blocks.getNumPartitions(), depth)
                    ? blocks.treeAggregate(zero, (agg, block) -> agg.add(block, weights.value()),
                            GradientAggregator::merge, depth)
                    : directAggregate(zero, weights);
            passes++;
            long rows = total.rows();
            return new Evaluation(rows == 0 ? Double.NaN : total.lossSum() / rows,
                    rows == 0 ? Double.NaN : (double) total.correct() / rows, rows, total.meanGradient());
        } finally {
            weights.destroy();
        }
    }

    private GradientAggregator directAggregate(GradientAggregator zero, Broadcast<double[]> weights) {
        GradientAggregator total = zero.emptyCopy();
        ClassTag<GradientAggregator> tag = ClassTag$.MODULE$.apply(GradientAggregator.class);
        context.sc().runJob(blocks.rdd(), new PartitionSum(zero, weights),
                new Range.Exclusive(0, blocks.getNumPartitions(), 1), new MergeInto(total), tag);
        return total;
    }

    /** For the console: where a pass over this many partitions at this depth adds up the partitions' sums. */
    public static String describeAggregation(int partitions, int depth) {
        return treeAddsLevel(partitions, depth) ? "partial sums merged on the executors before the driver"
                : "every partition's sums straight to the driver";
    }

    /**
     * Whether Spark's treeAggregate, over this many partitions at this depth, would add an
     * intermediate level (its own rule: while the level shrinks the fan-in to the driver).
     */
    static boolean treeAddsLevel(int partitions, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
        return partitions > scale + Math.ceil((double) partitions / scale);
    }

    /** A task: the sums over one partition's blocks, from a fresh copy of the zero value. */
    private static final class PartitionSum
            extends AbstractFunction2<TaskContext, Iterator<DataBlock>, GradientAggregator> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final GradientAggregator zero;
        private final Broadcast<double[]> weights;

        PartitionSum(GradientAggregator zero, Broadcast<double[]> weights) {
            this.zero = zero;
            this.weights = weights;
        }

        @Override
        public GradientAggregator apply(TaskContext task, Iterator<DataBlock> partition) {
            GradientAggregator sums = zero.emptyCopy();
            double[] params = weights.value();
            while (partition.hasNext()) {
                sums.add(partition.next(), params);
            }
            return sums;
        }
    }

    /** The driver's side: merges each task's sums into one total (Spark calls it one result at a time). */
    private static final class MergeInto extends AbstractFunction2<Object, GradientAggregator, BoxedUnit> {
        private final GradientAggregator total;

        MergeInto(GradientAggregator total) {
            this.total = total;
        }

        @Override
        public BoxedUnit apply(Object partition, GradientAggregator sums) {
            total.merge(sums);
            return BoxedUnit.UNIT;
        }
    }

    /** Passes over the data so far. */
    public long passes() {
        return passes;
    }
}
