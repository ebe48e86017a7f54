package org.l1net.data;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import static org.apache.spark.sql.functions.col;

/**
 * The line formats (CSV, LIBSVM) read through Spark SQL's text source. Each line arrives with
 * {@code _metadata.file_path} and {@code _metadata.file_block_start}, so a bad line is known by its
 * file, split and place in the split, which the driver turns into a line number ({@link LineLocator}).
 */
final class TextLines {
    private TextLines() {
    }

    /**
     * Parses one line into a row (or what a pass over the lines needs of it); throws
     * IllegalArgumentException (message without location) for a bad one.
     */
    @FunctionalInterface
    interface LineParser<T> extends Serializable {
        T parse(String line);
    }

    /** The parsed rows of every file under path, in file order; blank lines (and a header line) are skipped. */
    static <T> JavaRDD<T> parse(SparkSession spark, String path, boolean header, BadRowTally skipped,
                                LineParser<T> parser) {
        return spark.read().text(path)
                .select(col("value"), col("_metadata.file_path"), col("_metadata.file_block_start"))
                .javaRDD()
                .mapPartitions(new ParseSplit<>(parser, header, skipped));
    }

    /**
     * Parses the lines of one partition, tracking each line's place in its split for error messages. A bad
     * line throws {@link BadRowException}, or with a tally is counted there and left out; a label of the
     * other kind than the first ({@link MixedLabelsException}) is a bad line like any other.
     */
    private static final class ParseSplit<T> implements FlatMapFunction<Iterator<Row>, T> {
        private static final long serialVersionUID = 1L;
        private final LineParser<T> parser;
        private final boolean header;
        private final BadRowTally skipped;

        ParseSplit(LineParser<T> parser, boolean header, BadRowTally skipped) {
            this.parser = parser;
            this.header = header;
            this.skipped = skipped;
        }

        @Override
        public Iterator<T> call(Iterator<Row> lines) {
            return new Iterator<>() {
                private String file;
                private long splitStart = -1;
                private long ordinal;
                private T next;

                @Override
                public boolean hasNext() {
                    while (next == null && lines.hasNext()) {
                        Row row = lines.next();
                        String rowFile = row.getString(1);
                        long rowStart = row.getLong(2);
                        if (rowStart != splitStart || !rowFile.equals(file)) {
                            file = rowFile;
                            splitStart = rowStart;
                            ordinal = 0;
                        } else {
                            ordinal++;
                        }
                        String text = row.getString(0);
                        if ((header && splitStart == 0 && ordinal == 0) || text.isBlank()) {
                            continue;
                        }
                        try {
                            next = parser.parse(text);
                        } catch (IllegalArgumentException e) {
                            BadRowException bad = new BadRowException(file, splitStart, ordinal, e.getMessage());
                            if (skipped == null) {
                                throw bad;
                            }
                            skipped.add(bad);
                        }
                    }
                    return next != null;
                }

                @Override
                public T next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    T out = next;
                    next = null;
                    return out;
                }
            };
        }
    }
}
