package org.l1net.data;

import java.io.Serializable;

/**
 * Parses one comma-separated line into a feature array and a class index, strictly: every value
 * must be a finite decimal number, the label a whole number in 0..K-1 when K is known.
 */
public final class CsvRowParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int columns;
    private final int labelIndex;
    private final int classes;

    /**
     * @param columns    values expected on every line
     * @param labelIndex column of the label, or -1 when the lines carry no label
     * @param classes    K when known (labels must be below it), 0 when it is learned from the data
     */
    public CsvRowParser(int columns, int labelIndex, int classes) {
        if (columns < 1 || labelIndex >= columns || (labelIndex >= 0 && columns < 2)) {
            throw new IllegalArgumentException("Bad CSV layout: " + columns + " columns, label at " + labelIndex);
        }
        this.columns = columns;
        this.labelIndex = labelIndex;
        this.classes = classes;
    }

    public int features() {
        return labelIndex >= 0 ? columns - 1 : columns;
    }

    public int columns() {
        return columns;
    }

    /**
     * Parses {@code line} into {@code features} (length {@link #features()}) and returns the label,
     * or -1 when the layout has no label.
     *
     * @throws IllegalArgumentException whose message says what is wrong with the line (no location)
     */
    public int parse(String line, double[] features) {
        int found = 1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ',') {
                found++;
            }
        }
        if (found != columns) {
            throw new IllegalArgumentException("expected " + columns + " comma-separated values, found " + found);
        }
        int label = -1;
        int start = 0;
        int feature = 0;
        for (int c = 0; c < columns; c++) {
            int end = line.indexOf(',', start);
            if (end < 0) {
                end = line.length();
            }
            String field = line.substring(start, end);
            if (c == labelIndex) {
                label = parseLabel(field, c);
            } else {
                features[feature++] = parseNumber(field, c);
            }
            start = end + 1;
        }
        return label;
    }

    private int parseLabel(String field, int column) {
        double value = parseNumber(field, column);
        if (value != Math.rint(value) || value < 0 || value > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("label '" + field.trim() + "' in column " + (column + 1)
                    + " is not a class index (a whole number 0.." + (classes > 0 ? classes - 1 : "K-1") + ")");
        }
        int label = (int) value;
        if (classes > 0 && label >= classes) {
            throw new IllegalArgumentException("label " + label + " in column " + (column + 1)
                    + " is outside 0.." + (classes - 1) + " (the model has " + classes + " classes)");
        }
        return label;
    }

    /** A finite decimal number; NaN, Infinity, hex and Java suffixes such as "1d" are refused. */
    static double parseNumber(String raw, int column) {
        String s = raw.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("column " + (column + 1) + " is empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean ok = (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E';
            if (!ok) {
                String lower = s.toLowerCase(java.util.Locale.ROOT);
                if (lower.contains("nan") || lower.contains("inf")) {
                    throw new IllegalArgumentException("column " + (column + 1) + " is '" + s
                            + "': NaN and infinite values are not allowed");
                }
                throw new IllegalArgumentException("column " + (column + 1) + " is '" + s + "', not a number");
            }
        }
        double value;
        try {
            value = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column " + (column + 1) + " is '" + s + "', not a number");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("column " + (column + 1) + " is '" + s + "', which overflows a double");
        }
        return value;
    }

    /**
     * True when no field of the line is a number: such a first line is a header. A line that mixes
     * numbers with anything else is data, so a NaN or a typo in the first row of a headerless file
     * fails as a bad row instead of being swallowed as a header.
     */
    public static boolean looksLikeHeader(String line) {
        for (String field : line.split(",", -1)) {
            try {
                parseNumber(field, 0);
                return false;
            } catch (IllegalArgumentException e) {
                // not a number: header-like
            }
        }
        return true;
    }
}
