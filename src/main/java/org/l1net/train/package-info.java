/**
 * The Spark data-parallel training loop: broadcast the weights, treeAggregate the loss and
 * gradient over cached blocks, divide once on the driver, add the L1 term, step, repeat.
 */
package org.l1net.train;
