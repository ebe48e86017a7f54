package org.l1net.penalty;

import java.util.Locale;

/** How the L1 term enters an update. */
public enum L1Mode {
    /** The article's method: add lambda * sign(w) to the gradient. Weights hover near zero, rarely at it. */
    SUBGRADIENT("subgradient"),
    /** Gradient step on the data loss, then soft-threshold: weights inside the threshold become exactly 0. */
    PROXIMAL("proximal");

    private final String cliName;

    L1Mode(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Parses "subgradient" or "proximal". */
    public static L1Mode fromName(String name) {
        for (L1Mode m : values()) {
            if (m.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown L1 mode '" + name + "': expected subgradient or proximal");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
