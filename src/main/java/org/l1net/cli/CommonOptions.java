package org.l1net.cli;

import org.l1net.data.HeaderMode;
import org.l1net.data.ReadOptions;
import picocli.CommandLine.Option;

/** Options every Spark command shares: where Spark runs, logging, and how input is read. */
final class CommonOptions {
    @Option(names = "--master", description = "Spark master URL (default: local[*], or what spark-submit set).")
    String master;

    @Option(names = "--verbose", description = "Show Spark's INFO logging (default: off).")
    boolean verbose;

    @Option(names = "--header", defaultValue = "auto", description = "CSV header line: auto, true or false (default: ${DEFAULT-VALUE}).")
    String header;

    @Option(names = "--label-col", defaultValue = "last",
            description = "Label column: last, a 0-based index, or a header name (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Partitions of the cached data; 0 = Spark's default parallelism (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--block-size", defaultValue = "0",
            description = "Rows per packed block; 0 = about 1 MB of float32 features, 64..4096 rows (default: ${DEFAULT-VALUE}).")
    int blockSize;

    ReadOptions readOptions() {
        return new ReadOptions(HeaderMode.fromName(header), labelColumn, partitions, blockSize);
    }
}
