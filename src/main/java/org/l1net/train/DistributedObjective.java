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
 *
 * <p>{@link #evaluateWith} runs this objective's pass and another's (the test set's) at the same
 * weights as one such job over the union of both cached RDDs: one broadcast and one job's fixed cost
 * instead of two, the same bits as two passes.
 */
public final class DistributedObjective {
    private final JavaSparkContext context;
    private final JavaRDD<DataBlock> blocks;
    private final Topology topology;
    private final int requestedDepth;
    private final int depth;
    private long passes;
    private DistributedObjective unionPartner;
    private JavaRDD<DataBlock> union;

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
        this.requestedDepth = depth;
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
                    : directAggregate(blocks, new GradientAggregator[] {zero}, Integer.MAX_VALUE, weights)[0];
            passes++;
            return evaluation(total);
        } finally {
            weights.destroy();
        }
    }

    private static Evaluation evaluation(GradientAggregator total) {
        long rows = total.rows();
        return new Evaluation(rows == 0 ? Double.NaN : total.lossSum() / rows,
                rows == 0 ? Double.NaN : (double) total.correct() / rows, rows, total.meanGradient());
    }

    /**
     * One direct job over {@code rdd}: partitions below {@code split} sum into a copy of zeros[0], the
     * others into a copy of zeros[1]; the driver merges each task's sums into its total as it arrives.
     */
    private GradientAggregator[] directAggregate(JavaRDD<DataBlock> rdd, GradientAggregator[] zeros, int split,
                                                 Broadcast<double[]> weights) {
        GradientAggregator[] totals = new GradientAggregator[zeros.length];
        for (int i = 0; i < zeros.length; i++) {
            totals[i] = zeros[i].emptyCopy();
        }
        ClassTag<GradientAggregator> tag = ClassTag$.MODULE$.apply(GradientAggregator.class);
        context.sc().runJob(rdd.rdd(), new PartitionSum(zeros, split, weights),
                new Range.Exclusive(0, rdd.getNumPartitions(), 1), new MergeInto(totals, split), tag);
        return totals;
    }

    /**
     * Whether {@link #evaluateWith} can run this pass and {@code other}'s as one job: the same network,
     * context and requested depth, and no intermediate treeAggregate level over both sets' partitions
     * at the depth that request gives them together (so their sums together also fit auto's budget).
     */
    public boolean canEvaluateWith(DistributedObjective other) {
        int partitions = blocks.getNumPartitions() + other.blocks.getNumPartitions();
        return other != this && other.context.sc() == context.sc() && other.topology.equals(topology)
                && other.requestedDepth == requestedDepth
                && !treeAddsLevel(partitions, depthFor(context, partitions, topology.parameterCount(), requestedDepth));
    }

    /**
     * This objective's pass with the gradient and {@code other}'s without it, both at {@code params}, as
     * one Spark job over the union of their cached blocks (see {@link #canEvaluateWith}). Counts a pass
     * for each; the two results have the bits of two separate passes.
     *
     * @return this set's evaluation, then other's
     */
    public Evaluation[] evaluateWith(DistributedObjective other, double[] params) {
        if (!canEvaluateWith(other)) {
            throw new IllegalArgumentException("These two passes cannot run as one direct job");
        }
        if (params.length != topology.parameterCount()) {
            throw new IllegalArgumentException("Expected " + topology.parameterCount() + " parameters, got " + params.length);
        }
        if (unionPartner != other) {
            union = context.union(blocks, other.blocks);
            unionPartner = other;
        }
        Broadcast<double[]> weights = context.broadcast(params);
        try {
            GradientAggregator[] totals = directAggregate(union, new GradientAggregator[] {
                new GradientAggregator(topology, true), new GradientAggregator(topology, false)},
                    blocks.getNumPartitions(), weights);
            passes++;
            other.passes++;
            Evaluation[] both = {evaluation(totals[0]), evaluation(totals[1])};
            if (both[0].rows() == 0 || both[1].rows() == 0) {
                throw new IllegalStateException("The dataset has no rows");
            }
            return both;
        } finally {
            weights.destroy();
        }
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

    /**
     * A task: the sums over one partition's blocks, from a fresh copy of zeros[0] for a partition below
     * split, else of zeros[1].
     */
    private static final class PartitionSum
            extends AbstractFunction2<TaskContext, Iterator<DataBlock>, GradientAggregator> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final GradientAggregator[] zeros;
        private final int split;
        private final Broadcast<double[]> weights;

        PartitionSum(GradientAggregator[] zeros, int split, Broadcast<double[]> weights) {
            this.zeros = zeros;
            this.split = split;
            this.weights = weights;
        }

        @Override
        public GradientAggregator apply(TaskContext task, Iterator<DataBlock> partition) {
            GradientAggregator sums = zeros[task.partitionId() < split ? 0 : 1].emptyCopy();
            double[] params = weights.value();
            while (partition.hasNext()) {
                sums.add(partition.next(), params);
            }
            return sums;
        }
    }

    /**
     * The driver's side: merges each task's sums into totals[0] for a partition below split, else into
     * totals[1] (Spark calls it one result at a time).
     */
    private static final class MergeInto extends AbstractFunction2<Object, GradientAggregator, BoxedUnit> {
        private final GradientAggregator[] totals;
        private final int split;

        MergeInto(GradientAggregator[] totals, int split) {
            this.totals = totals;
            this.split = split;
        }

        @Override
        public BoxedUnit apply(Object partition, GradientAggregator sums) {
            totals[(Integer) partition < split ? 0 : 1].merge(sums);
            return BoxedUnit.UNIT;
        }
    }

    /** Passes over the data so far. */
    public long passes() {
        return passes;
    }
}
