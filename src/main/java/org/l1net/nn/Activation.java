package org.l1net.nn;

import java.util.Locale;

/**
 * Hidden-layer activation functions; the derivative is expressed through the output y = f(z).
 * tanh and sigmoid use {@link FastMath} (within 2 ulp of Math.tanh and Math.exp), which the vector
 * kernel reproduces bit for bit.
 */
public enum Activation {
    TANH("tanh") {
        @Override
        void applyInPlace(double[] values, int from, int to) {
            for (int i = from; i < to; i++) {
                values[i] = FastMath.tanh(values[i]);
            }
        }

        @Override
        double derivativeFromOutput(double y) {
            return 1.0 - y * y;
        }
    },
    RELU("relu") {
        @Override
        void applyInPlace(double[] values, int from, int to) {
            for (int i = from; i < to; i++) {
                values[i] = FastMath.relu(values[i]);
            }
        }

        @Override
        double derivativeFromOutput(double y) {
            return y > 0.0 ? 1.0 : 0.0;
        }
    },
    SIGMOID("sigmoid") {
        @Override
        void applyInPlace(double[] values, int from, int to) {
            for (int i = from; i < to; i++) {
                values[i] = FastMath.sigmoid(values[i]);
            }
        }

        @Override
        double derivativeFromOutput(double y) {
            return y * (1.0 - y);
        }
    };

    private final String cliName;

    Activation(String cliName) {
        this.cliName = cliName;
    }

    /** Applies f to values[from, to). */
    abstract void applyInPlace(double[] values, int from, int to);

    /** f'(z) written through y = f(z), so back-propagation needs only the stored activations. */
    abstract double derivativeFromOutput(double y);

    /** f(z) for one value, by the same code as the block kernel's. */
    public double apply(double z) {
        double[] one = {z};
        applyInPlace(one, 0, 1);
        return one[0];
    }

    /** The name used on the command line and in model files. */
    public String cliName() {
        return cliName;
    }

    /** Parses a command-line name such as "tanh"; the error lists the accepted names. */
    public static Activation fromName(String name) {
        for (Activation a : values()) {
            if (a.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("Unknown activation '" + name + "': expected tanh, relu or sigmoid");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
