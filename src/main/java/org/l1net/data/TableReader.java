package org.l1net.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * One input format: learns a table's layout on the driver, and turns its files into rows
 * [features..., label] on the executors. What follows (partitioning by row hash, sorting, packing,
 * caching, counting) is the same for every format: {@link Datasets}.
 */
public interface TableReader {

    /** The layout of training data: features, label column, and the class names when labels are names. */
    TableSpec inspect(SparkSession spark, String path, ReadOptions options);

    /**
     * The layout of data read for a model or beside a training set: the same features, and labels coded the
     * same way; a label column unless {@code labelOptional} allows data of features only.
     */
    TableSpec inspectLike(SparkSession spark, String path, ReadOptions options, Expected expected,
                          boolean labelOptional);

    /**
     * The rows as [features..., label] (label -1 when the layout has none), each a fresh array, in the
     * files' order. A bad row throws {@link BadRowException} or {@link BadRecordException} on the
     * executor; with a tally it is counted there and left out instead.
     *
     * @param classes K when known (labels must be below it), 0 when learned from the data
     * @param skipped where skipped rows are counted, or null to fail on the first
     */
    JavaRDD<double[]> rows(SparkSession spark, TableSpec spec, ReadOptions options, int classes, BadRowTally skipped);

    /**
     * What a model or training set expects of other data.
     *
     * @param featureNames the features by name, in order
     * @param classNames   the class names when labels are names, else null
     */
    record Expected(List<String> featureNames, List<String> classNames) {
        public int features() {
            return featureNames.size();
        }
    }
}
