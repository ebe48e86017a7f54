/**
 * The network math: topology, activations, output losses, seeded initialization and the block
 * kernel that runs forward and back-propagation (its matrix products in Gemm: Vector
 * API or plain loops, bit-identical). Nothing here imports Spark.
 */
package org.l1net.nn;
