/**
 * Reading labeled tables into cached, packed blocks: a {@link org.l1net.data.TableReader} per format (CSV and
 * LIBSVM line by line with exact error locations; Parquet, JSON and ORC through Spark SQL), one pipeline
 * behind them all ({@link org.l1net.data.Datasets}: deterministic partitioning, validation split,
 * standardization, packing, caching), and the synthetic data generator.
 */
package org.l1net.data;
