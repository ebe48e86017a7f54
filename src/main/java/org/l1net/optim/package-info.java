/**
 * Optimizers that update the flat parameter vector from the mean data-loss gradient and apply the
 * L1 penalty as its mode says: momentum gradient descent and Adam.
 */
package org.l1net.optim;
