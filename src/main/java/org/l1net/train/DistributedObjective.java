package org.l1net.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.l1net.data.DataBlock;
import org.l1net.nn.Topology;

/**
 * The mean data loss (and gradient) over cached blocks, computed as one Spark job: broadcast the
 * weights, treeAggregate a {@link GradientAggregator}, destroy the broadcast. Counts its passes.
 */
public final class DistributedObjective {
    private final JavaSparkContext context;
    private final JavaRDD<DataBlock> blocks;
    private final Topology topology;
    private final int depth;
    private long passes;

    /**
     * @param depth treeAggregate depth; 2 suits up to a few hundred partitions
     */
    public DistributedObjective(JavaSparkContext context, JavaRDD<DataBlock> blocks, Topology topology, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("--aggregation-depth must be >= 1, got " + depth);
        }
        this.context = context;
        this.blocks = blocks;
        this.topology = topology;
        this.depth = depth;
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
            GradientAggregator total = blocks.treeAggregate(zero,
                    (agg, block) -> agg.add(block, weights.value()),
                    GradientAggregator::merge,
                    depth);
            passes++;
            long rows = total.rows();
            return new Evaluation(rows == 0 ? Double.NaN : total.lossSum() / rows,
                    rows == 0 ? Double.NaN : (double) total.correct() / rows, rows, total.meanGradient());
        } finally {
            weights.destroy();
        }
    }

    /** Passes over the data so far. */
    public long passes() {
        return passes;
    }
}
