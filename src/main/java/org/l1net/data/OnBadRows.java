package org.l1net.data;

import java.util.Locale;

/** What a bad row does: fail the run (naming the file and row), or be skipped and counted. */
public enum OnBadRows {
    FAIL,
    SKIP;

    /** Parses fail or skip. */
    public static OnBadRows fromName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--on-bad-rows '" + name + "': expected fail or skip");
        }
    }
}
