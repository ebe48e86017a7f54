/** What a run shows and leaves behind: the progress line, metrics.csv and summary.json. */
package org.l1net.report;
