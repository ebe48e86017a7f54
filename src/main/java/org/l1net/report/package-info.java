/**
 * What a run shows and leaves behind: the progress line, metrics.csv, summary.json, report.html (inline
 * SVG charts, no script, nothing loaded) and inspect's description of a model. Pure Java, no Spark.
 */
package org.l1net.report;
