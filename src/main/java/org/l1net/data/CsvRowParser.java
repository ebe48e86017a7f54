package org.l1net.data;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * Parses one comma-separated line into a feature array and a class index, strictly: every value must
 * be a finite decimal number; the label a whole number in 0..K-1 when K is known, or with class names
 * one of the names. Labels of CSV data are all numbers (class indices) or all class names: a label of
 * the other kind is a {@link MixedLabelsException}.
 */
public final class CsvRowParser implements Serializable {
    private static final long serialVersionUID = 2L;
    private static final String RULE = "CSV labels are all class indices or all class names";

    private final int columns;
    private final int labelIndex;
    private final int classes;
    private final HashMap<String, Integer> classIndex;
    private final String firstLabel;

    /** Labels that are class indices. */
    public CsvRowParser(int columns, int labelIndex, int classes) {
        this(columns, labelIndex, classes, null, null);
    }

    /**
     * @param columns    values expected on every line
     * @param labelIndex column of the label, or -1 when the lines carry no label
     * @param classes    K when known (class indices must be below it), 0 when it is learned from the data
     * @param classNames the class names when labels are names (a label is looked up by its text), else null
     * @param firstLabel the data's first label and where it is ("0 on line 2 of t.csv"), named in the error
     *                   for a label of the other kind; null when not known
     */
    public CsvRowParser(int columns, int labelIndex, int classes, List<String> classNames, String firstLabel) {
        if (columns < 1 || labelIndex >= columns || (labelIndex >= 0 && columns < 2)) {
            throw new IllegalArgumentException("Bad CSV layout: " + columns + " columns, label at " + labelIndex);
        }
        this.columns = columns;
        this.labelIndex = labelIndex;
        this.classes = classes;
        this.classIndex = ClassNames.index(classNames);
        this.firstLabel = firstLabel;
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
        return parse(line, features, null);
    }

    /**
     * Parses {@code line} as {@link #parse} does, for the pass that collects the class names: returns the
     * label's text, which must be a class name ({@link MixedLabelsException} for a number).
     */
    public String parseName(String line, double[] features) {
        String[] name = new String[1];
        parse(line, features, name);
        return name[0];
    }

    /** The fields in order, so a line's first bad value is the one reported; the label's text into name[0] when given. */
    private int parse(String line, double[] features, String[] name) {
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
                if (name != null) {
                    name[0] = labelName(field, c);
                } else {
                    label = classIndex != null ? lookUp(field, c) : parseLabel(field, c);
                }
            } else {
                features[feature++] = parseNumber(field, c);
            }
            start = end + 1;
        }
        return label;
    }

    private int parseLabel(String field, int column) {
        double value;
        try {
            value = parseNumber(field, column);
        } catch (IllegalArgumentException e) {
            // Asked only of a label that is not a number, so class indices parse as fast as they always did.
            if (isName(field)) {
                throw new MixedLabelsException("label '" + field.trim() + "' in column " + (column + 1)
                        + " is a class name, but " + (firstLabel == null ? "the labels of this data are numbers (class indices)"
                        : "the first label, " + firstLabel + ", is a number (a class index)") + "; " + RULE);
            }
            throw e;
        }
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

    /** A class name by its text: with the model's (or training set's) names, a number is a name too. */
    private int lookUp(String field, int column) {
        String text = nonEmpty(field, column);
        Integer c = classIndex.get(text);
        if (c == null) {
            throw new IllegalArgumentException("label '" + text + "' in column " + (column + 1) + " "
                    + ClassNames.notOneOf(classIndex));
        }
        return c;
    }

    private String labelName(String field, int column) {
        String text = nonEmpty(field, column);
        if (!isName(text)) {
            throw new MixedLabelsException("label '" + text + "' in column " + (column + 1) + " is a number, but "
                    + (firstLabel == null ? "the labels of this data are class names"
                    : "the first label, " + firstLabel + ", is a class name") + "; " + RULE);
        }
        return text;
    }

    private static String nonEmpty(String field, int column) {
        String text = field.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("column " + (column + 1) + " is empty");
        }
        return text;
    }

    /**
     * True when a label is a class name: not empty, not a decimal number (finite or overflowing), and
     * not a spelling of NaN or infinity. So "cat", "E", "1d" and "10-20" are names; "3", "-1", "1.5",
     * "1e999" and "NaN" are numbers (the last three bad ones, refused as they always were).
     */
    static boolean isName(String raw) {
        String s = raw.trim();
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E')) {
                String unsigned = s.charAt(0) == '+' || s.charAt(0) == '-' ? s.substring(1) : s;
                return !(unsigned.equalsIgnoreCase("nan") || unsigned.equalsIgnoreCase("inf")
                        || unsigned.equalsIgnoreCase("infinity"));
            }
        }
        try {
            Double.parseDouble(s);
            return false;
        } catch (NumberFormatException e) {
            return true;
        }
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
                String lower = s.toLowerCase(Locale.ROOT);
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
