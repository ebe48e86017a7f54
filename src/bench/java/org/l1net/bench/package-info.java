/**
 * Benchmarks, built only by the Maven profile "bench": JMH for the block kernel
 * ({@link org.l1net.bench.KernelBench}) and l1net against Spark MLlib's MultilayerPerceptronClassifier
 * ({@link org.l1net.bench.MlpcBench}). See docs/PERFORMANCE.md.
 */
package org.l1net.bench;
