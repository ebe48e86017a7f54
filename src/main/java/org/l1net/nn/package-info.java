/**
 * The network math: topology, activations, output losses, seeded initialization and the block
 * kernel that runs forward and back-propagation. Nothing here imports Spark.
 */
package org.l1net.nn;
