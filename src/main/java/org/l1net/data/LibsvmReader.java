package org.l1net.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * LIBSVM text ({@code label index:value index:value ...}, 1-based ascending indices, the zeros left
 * out) read into dense rows, through the text source like CSV, so a bad row is reported by file and
 * line. The feature count is {@code --num-features} or the largest index in the training data. Labels
 * that are all whole numbers from 0 are class indices; any other labels (such as -1 and +1) are class
 * names, ordered by value. Spark's own "libsvm" source is not used: it lives in spark-mllib.
 */
final class LibsvmReader implements TableReader {
    static final LibsvmReader INSTANCE = new LibsvmReader();

    private LibsvmReader() {
    }

    @Override
    public TableSpec inspect(SparkSession spark, String path, ReadOptions options) {
        DataFiles.list(spark.sparkContext().hadoopConfiguration(), path);
        // One pass over the lines: the largest index and the distinct labels. Bad lines fail here as they
        // would in the read pass, or are passed over when skipped (the read pass counts them).
        BadRowTally ignored = Datasets.tally(spark, options);
        JavaRDD<double[]> scanned = TextLines.parse(spark, path, false, ignored, line -> {
            Line parsed = Line.parse(line, Integer.MAX_VALUE);
            return new double[] {parsed.label, parsed.indices.length == 0 ? 0 : parsed.indices[parsed.indices.length - 1]};
        });
        List<double[]> parts = Datasets.withRowLocations(spark, () -> scanned.mapPartitions(rows -> {
            TreeSet<Double> labels = new TreeSet<>();
            double max = 0;
            while (rows.hasNext()) {
                double[] r = rows.next();
                max = Math.max(max, r[1]);
                if (labels.size() <= ClassNames.MAX) {
                    labels.add(r[0]);
                }
            }
            double[] out = new double[1 + labels.size()];
            out[0] = max;
            int i = 1;
            for (double label : labels) {
                out[i++] = label;
            }
            return List.of(out).iterator();
        }).collect());
        int maxIndex = 0;
        TreeSet<Double> labels = new TreeSet<>();
        for (double[] part : parts) {
            maxIndex = Math.max(maxIndex, (int) part[0]);
            for (int i = 1; i < part.length; i++) {
                labels.add(part[i]);
            }
        }
        if (labels.isEmpty()) {
            throw new InputException(path + ": no data rows");
        }
        if (labels.size() > ClassNames.MAX) {
            throw new InputException(path + ": more than " + ClassNames.MAX + " distinct labels; l1net trains classifiers");
        }
        int features = options.numFeatures() > 0 ? options.numFeatures() : maxIndex;
        if (features < 1) {
            throw new InputException(path + ": no feature has a value in any row; give --num-features");
        }
        boolean indices = labels.stream().allMatch(v -> v >= 0 && v == Math.rint(v) && v < Integer.MAX_VALUE);
        List<String> classNames = null;
        if (!indices) {
            classNames = new ArrayList<>();
            for (double label : labels) {
                classNames.add(labelName(label));
            }
        }
        return spec(path, features, classNames);
    }

    @Override
    public TableSpec inspectLike(SparkSession spark, String path, ReadOptions options, Expected expected,
                                 boolean labelOptional) {
        DataFiles.list(spark.sparkContext().hadoopConfiguration(), path);
        if (options.numFeatures() > 0 && options.numFeatures() != expected.features()) {
            throw new IllegalArgumentException("--num-features " + options.numFeatures() + ": the model takes "
                    + expected.features() + " features");
        }
        return spec(path, expected.features(), expected.classNames());
    }

    private static TableSpec spec(String path, int features, List<String> classNames) {
        List<String> names = new ArrayList<>();
        for (int j = 1; j <= features; j++) {
            names.add("f" + j);
        }
        return new TableSpec(path, false, 0, 0, names, "label", InputFormat.LIBSVM, classNames, List.of());
    }

    @Override
    public JavaRDD<double[]> rows(SparkSession spark, TableSpec spec, ReadOptions options, int classes,
                                  BadRowTally skipped) {
        int features = spec.features();
        Map<String, Integer> classIndex = ClassNames.index(spec.classNames());
        return TextLines.parse(spark, spec.path(), false, skipped, line -> {
            Line parsed = Line.parse(line, features);
            double[] row = new double[features + 1];
            for (int k = 0; k < parsed.indices.length; k++) {
                row[parsed.indices[k] - 1] = parsed.values[k];
            }
            row[features] = label(parsed.label, classIndex, classes);
            return row;
        });
    }

    private static int label(double value, Map<String, Integer> classIndex, int classes) {
        if (classIndex != null) {
            Integer c = classIndex.get(labelName(value));
            if (c == null) {
                throw new IllegalArgumentException("label " + labelName(value) + " " + ClassNames.notOneOf(classIndex));
            }
            return c;
        }
        if (value != Math.rint(value) || value < 0 || value > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("label '" + labelName(value) + "' is not a class index (a whole number 0.."
                    + (classes > 0 ? classes - 1 : "K-1") + ")");
        }
        if (classes > 0 && value >= classes) {
            throw new IllegalArgumentException("label " + labelName(value) + " is outside 0.." + (classes - 1)
                    + " (the model has " + classes + " classes)");
        }
        return (int) value;
    }

    /** A label as a class name: a whole number without ".0", else the shortest decimal. */
    static String labelName(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** One parsed line: the label and the (index, value) pairs, indices 1-based and ascending. */
    private record Line(double label, int[] indices, double[] values) {
        static Line parse(String text, int maxIndex) {
            int hash = text.indexOf('#');
            String[] tokens = (hash >= 0 ? text.substring(0, hash) : text).trim().split("\\s+");
            if (tokens.length == 0 || tokens[0].isEmpty()) {
                throw new IllegalArgumentException("no label");
            }
            double label = number(tokens[0], "the label");
            int[] indices = new int[tokens.length - 1];
            double[] values = new double[tokens.length - 1];
            int previous = 0;
            for (int k = 1; k < tokens.length; k++) {
                String token = tokens[k];
                int colon = token.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("'" + token + "' is not index:value");
                }
                int index;
                try {
                    index = Integer.parseInt(token.substring(0, colon));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + token + "': the index is not a whole number");
                }
                if (index <= previous) {
                    throw new IllegalArgumentException("'" + token + "': indices must be 1-based and ascending (after "
                            + previous + ")");
                }
                if (index > maxIndex) {
                    throw new IllegalArgumentException("'" + token + "': index " + index + " is beyond the "
                            + maxIndex + " features");
                }
                indices[k - 1] = index;
                values[k - 1] = number(token.substring(colon + 1), "index " + index);
                previous = index;
            }
            return new Line(label, indices, values);
        }

        private static double number(String text, String what) {
            try {
                return CsvRowParser.parseNumber(text, 0);
            } catch (IllegalArgumentException e) {
                String reason = e.getMessage().replace("column 1 is", what + " is").replace("column 1", what);
                throw new IllegalArgumentException(reason);
            }
        }
    }
}
