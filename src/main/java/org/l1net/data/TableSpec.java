package org.l1net.data;

import java.util.List;

/**
 * What the driver learned about an input before reading it: the columns, where the label is, and
 * whether files carry a header line.
 *
 * @param featureNames names of the feature columns in order (from the header, else x0, x1, ...)
 * @param labelName    the label column's name, or null when the data has no label column
 */
public record TableSpec(String path, boolean hasHeader, int columns, int labelIndex,
                        List<String> featureNames, String labelName) {

    public int features() {
        return featureNames.size();
    }

    public boolean hasLabel() {
        return labelIndex >= 0;
    }
}
