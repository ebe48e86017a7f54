/**
 * What L1 left behind: which inputs and hidden units a trained network still uses, and the smaller
 * network that scores the same without the rest. Pure math, no Spark.
 */
package org.l1net.prune;
