package org.l1net.data;

import java.util.Locale;

/** Whether CSV files start with a header line. */
public enum HeaderMode {
    /** A first line in which no value is a number is a header. */
    AUTO,
    TRUE,
    FALSE;

    /** Parses auto, true or false. */
    public static HeaderMode fromName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--header '" + name + "': expected auto, true or false");
        }
    }
}
