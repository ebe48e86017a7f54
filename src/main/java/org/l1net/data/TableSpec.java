package org.l1net.data;

import java.util.List;

/**
 * What the driver learned about an input before reading it: the format, the columns, where the label
 * is and how it is coded, and whether CSV files carry a header line.
 *
 * @param columns        CSV: values per line; DataFrame formats: columns in the schema; LIBSVM: 0
 * @param labelIndex     the label's column (CSV, DataFrame formats), 0 for LIBSVM, -1 when there is no label
 * @param featureNames   names of the features in order (from the header or schema, else x0, x1, ...)
 * @param labelName      the label column's name, or null when the data has no label column
 * @param format         how the rows are read
 * @param classNames     the class names, in class-index order, when labels are names rather than class
 *                       indices; null for class indices
 * @param featureColumns DataFrame formats: the columns the features come from (a vector or array column
 *                       gives several); empty for the line formats
 */
public record TableSpec(String path, boolean hasHeader, int columns, int labelIndex, List<String> featureNames,
                        String labelName, InputFormat format, List<String> classNames,
                        List<FeatureColumn> featureColumns) {

    public TableSpec {
        featureNames = List.copyOf(featureNames);
        classNames = classNames == null ? null : List.copyOf(classNames);
        featureColumns = featureColumns == null ? List.of() : List.copyOf(featureColumns);
    }

    /** A CSV layout. */
    public TableSpec(String path, boolean hasHeader, int columns, int labelIndex, List<String> featureNames,
                     String labelName) {
        this(path, hasHeader, columns, labelIndex, featureNames, labelName, InputFormat.CSV, null, List.of());
    }

    public int features() {
        return featureNames.size();
    }

    public boolean hasLabel() {
        return labelIndex >= 0;
    }

    /** This layout with labels coded by the given class names (null: class indices). */
    public TableSpec withClassNames(List<String> names) {
        return new TableSpec(path, hasHeader, columns, labelIndex, featureNames, labelName, format, names, featureColumns);
    }
}
