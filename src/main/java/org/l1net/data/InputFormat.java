package org.l1net.data;

import java.util.Locale;

/** The formats l1net reads: CSV and LIBSVM through its own line parsers, the rest through Spark SQL's sources. */
public enum InputFormat {
    CSV("csv"),
    LIBSVM("libsvm"),
    PARQUET("parquet"),
    JSON("json"),
    ORC("orc");

    private final String cliName;

    InputFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line, and Spark's source name for the DataFrame formats. */
    public String cliName() {
        return cliName;
    }

    /** Parses csv, parquet, libsvm, json or orc. */
    public static InputFormat fromName(String name) {
        for (InputFormat f : values()) {
            if (f.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("--format '" + name + "': expected csv, parquet, libsvm, json or orc");
    }

    /**
     * The format a file name implies: .csv, .parquet, .libsvm or .svm, .json or .jsonl, .orc (after any
     * compression suffix such as .gz), or null when the name says nothing.
     */
    public static InputFormat fromFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String compression : new String[] {".gz", ".bz2", ".snappy", ".zst", ".lz4", ".deflate"}) {
            if (n.endsWith(compression)) {
                n = n.substring(0, n.length() - compression.length());
            }
        }
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".parquet")) {
            return PARQUET;
        }
        if (n.endsWith(".libsvm") || n.endsWith(".svm")) {
            return LIBSVM;
        }
        if (n.endsWith(".json") || n.endsWith(".jsonl")) {
            return JSON;
        }
        if (n.endsWith(".orc")) {
            return ORC;
        }
        return null;
    }
}
