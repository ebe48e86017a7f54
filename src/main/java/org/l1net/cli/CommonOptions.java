package org.l1net.cli;

import java.util.Arrays;
import java.util.List;
import org.l1net.data.HeaderMode;
import org.l1net.data.InputFormat;
import org.l1net.data.OnBadRows;
import org.l1net.data.ReadOptions;
import picocli.CommandLine.Option;

/** Options every Spark command shares: where Spark runs, logging, and how input is read. */
final class CommonOptions {
    @Option(names = "--master", description = "Spark master URL (default: local[*], or what spark-submit set).")
    String master;

    @Option(names = "--verbose", description = "Show Spark's INFO logging (default: off).")
    boolean verbose;

    @Option(names = "--format", defaultValue = "auto", description = "Input format: csv, parquet, libsvm, json, orc, or auto "
            + "(from the file names; csv when they say nothing) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--features", description = "Feature columns by name, e.g. a,b,c, or one vector or array column "
            + "(Parquet, JSON, ORC) (default: every numeric column but the label, else the vector and array columns).")
    String features;

    @Option(names = "--num-features", defaultValue = "0", description = "LIBSVM: the feature count; 0 = the largest index "
            + "in the data. Vector or array columns: their width; 0 = the first row's (default: ${DEFAULT-VALUE}).")
    int numFeatures;

    @Option(names = "--on-bad-rows", defaultValue = "fail", description = "fail (naming the file and row) or skip "
            + "(and print how many) (default: ${DEFAULT-VALUE}).")
    String onBadRows;

    @Option(names = "--header", defaultValue = "auto", description = "CSV header line: auto, true or false (default: ${DEFAULT-VALUE}).")
    String header;

    @Option(names = "--label-col", defaultValue = "last",
            description = "Label column: last, a 0-based index, or a name; for Parquet, JSON and ORC, last means the "
                    + "column 'label' if there is one (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Partitions of the cached data; 0 = Spark's default parallelism (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--block-size", defaultValue = "0",
            description = "Rows per packed block; 0 = about 1 MB of float32 features, 64..4096 rows (default: ${DEFAULT-VALUE}).")
    int blockSize;

    ReadOptions readOptions() {
        List<String> featureList = features == null || features.isBlank() ? null
                : Arrays.stream(features.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
        return new ReadOptions(HeaderMode.fromName(header), labelColumn, partitions, blockSize,
                format.trim().equalsIgnoreCase("auto") ? null : InputFormat.fromName(format), featureList, numFeatures,
                OnBadRows.fromName(onBadRows));
    }
}
