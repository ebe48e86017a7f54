/**
 * The trained model as an immutable value, its versioned JSON file format, and atomic file writes.
 */
package org.l1net.model;
