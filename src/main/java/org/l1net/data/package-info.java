/**
 * Reading labeled tables into cached, packed blocks: parsing and validation with exact error
 * locations, deterministic partitioning, and the synthetic data generator.
 */
package org.l1net.data;
