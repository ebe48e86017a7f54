package org.l1net.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.l1net.nn.BlockKernel;

/**
 * {@link SyntheticData} made on the executors: rows 0..n-1 of a split are cut into contiguous ranges,
 * one per partition, and each task fills its own range. Every row is seeded by (seed, split, row), so
 * the table is the same whatever the partition count.
 */
public final class SyntheticTables {
    /** Rows filled per call of the teacher's kernel. */
    private static final int CHUNK = 4096;

    private SyntheticTables() {
    }

    /** Columns x0..x{F-1} (double) and label (int). */
    public static StructType schema(int features) {
        List<StructField> fields = new ArrayList<>(features + 1);
        for (int j = 0; j < features; j++) {
            fields.add(DataTypes.createStructField("x" + j, DataTypes.DoubleType, false));
        }
        fields.add(DataTypes.createStructField("label", DataTypes.IntegerType, false));
        return DataTypes.createStructType(fields);
    }

    /**
     * Rows [0, rows) of a split in {@code partitions} partitions (partition p holds the p-th
     * contiguous range). Features hold {@link SyntheticData#csvValue}: exactly what reading the CSV
     * file of the same seed gives, so both train to the same weights.
     */
    public static Dataset<Row> rows(SparkSession spark, SyntheticData data, long split, long rows, int partitions) {
        if (rows < 0 || partitions < 1) {
            throw new IllegalArgumentException("rows must be >= 0 and partitions >= 1, got " + rows + " and " + partitions);
        }
        List<Integer> indices = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            indices.add(p);
        }
        JavaRDD<Row> table = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(indices, partitions)
                .flatMap(p -> new RangeRows(data, split, rows * p / partitions, rows * (p + 1) / partitions));
        return spark.createDataFrame(table, schema(data.features()));
    }

    /** Rows [from, to) of one split, filled a chunk at a time. */
    private static final class RangeRows implements Iterator<Row> {
        private final SyntheticData data;
        private final long split;
        private final long to;
        private final int features;
        private final BlockKernel kernel;
        private final double[] x;      // CHUNK x features
        private final int[] labels;    // CHUNK
        private long next;             // the next row to fill
        private int filled;            // rows in the chunk
        private int taken;             // rows of the chunk already returned

        RangeRows(SyntheticData data, long split, long from, long to) {
            this.data = data;
            this.split = split;
            this.to = to;
            this.features = data.features();
            this.kernel = new BlockKernel(data.teacherTopology());
            this.x = new double[CHUNK * features];
            this.labels = new int[CHUNK];
            this.next = from;
        }

        @Override
        public boolean hasNext() {
            return taken < filled || next < to;
        }

        @Override
        public Row next() {
            if (taken == filled) {
                if (next >= to) {
                    throw new NoSuchElementException();
                }
                filled = (int) Math.min(CHUNK, to - next);
                data.fill(split, next, filled, x, labels, kernel);
                next += filled;
                taken = 0;
            }
            Object[] values = new Object[features + 1];
            for (int j = 0; j < features; j++) {
                values[j] = SyntheticData.csvValue(x[taken * features + j]);
            }
            values[features] = labels[taken];
            taken++;
            return RowFactory.create(values);
        }
    }
}
