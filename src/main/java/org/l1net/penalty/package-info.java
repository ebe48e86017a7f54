/**
 * The L1 penalty lambda * sum|w| as a driver-side step, kept apart from the data loss: its value,
 * its subgradient (the article's method) and its proximal operator (soft-thresholding).
 */
package org.l1net.penalty;
