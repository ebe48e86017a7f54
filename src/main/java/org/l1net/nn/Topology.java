package org.l1net.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The shape of a network: layer sizes, hidden activation, output loss, and where each layer's
 * parameters sit in the one flat parameter vector.
 *
 * <p>Layout of the flat vector, layer l = 1..L in order: W_l as a row-major [out x in] matrix,
 * then b_l [out]. A network with no hidden layer ("10,4") is multinomial logistic regression.
 */
public final class Topology implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] sizes;
    private final Activation activation;
    private final OutputLoss loss;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final int parameterCount;
    private final int weightCount;

    public Topology(int[] sizes, Activation activation, OutputLoss loss) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("A network needs at least an input and an output layer, got "
                    + (sizes == null ? "none" : Arrays.toString(sizes)));
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("Layer sizes must be positive, got " + Arrays.toString(sizes));
            }
        }
        if (sizes[sizes.length - 1] < 2) {
            throw new IllegalArgumentException("The output layer needs at least 2 classes, got " + Arrays.toString(sizes));
        }
        this.sizes = sizes.clone();
        this.activation = activation;
        this.loss = loss;
        int layers = sizes.length - 1;
        this.weightOffsets = new int[layers];
        this.biasOffsets = new int[layers];
        long offset = 0;
        long weights = 0;
        for (int l = 0; l < layers; l++) {
            weightOffsets[l] = (int) offset;
            offset += (long) sizes[l] * sizes[l + 1];
            weights += (long) sizes[l] * sizes[l + 1];
            biasOffsets[l] = (int) offset;
            offset += sizes[l + 1];
            if (offset > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("Too many parameters for one flat vector: " + Arrays.toString(sizes));
            }
        }
        this.parameterCount = (int) offset;
        this.weightCount = (int) weights;
    }

    /** Parses a layer list such as "10,8,4". */
    public static int[] parseSizes(String spec, String optionName) {
        String[] parts = spec.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(optionName + " '" + spec + "': '" + parts[i].trim()
                        + "' is not a whole number (expected a list such as 10,8,4)");
            }
            if (out[i] < 1) {
                throw new IllegalArgumentException(optionName + " '" + spec + "': layer sizes must be positive");
            }
        }
        return out;
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public int size(int layer) {
        return sizes[layer];
    }

    /** Number of weight layers (matrices), one less than the number of layer sizes. */
    public int layerCount() {
        return sizes.length - 1;
    }

    public int inputSize() {
        return sizes[0];
    }

    public int classCount() {
        return sizes[sizes.length - 1];
    }

    public Activation activation() {
        return activation;
    }

    public OutputLoss loss() {
        return loss;
    }

    /** Offset of W for weight layer l (0-based: layer 0 maps the input to the first hidden layer). */
    public int weightOffset(int l) {
        return weightOffsets[l];
    }

    public int biasOffset(int l) {
        return biasOffsets[l];
    }

    public int parameterCount() {
        return parameterCount;
    }

    /** Number of connection weights, biases excluded. */
    public int weightCount() {
        return weightCount;
    }

    /** True where the flat vector holds a bias rather than a connection weight. */
    public boolean[] biasMask() {
        boolean[] mask = new boolean[parameterCount];
        for (int l = 0; l < layerCount(); l++) {
            Arrays.fill(mask, biasOffsets[l], biasOffsets[l] + sizes[l + 1], true);
        }
        return mask;
    }

    /** "10-8-4" */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topology t && Arrays.equals(sizes, t.sizes) && activation == t.activation && loss == t.loss;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes) * 31 + activation.hashCode() * 7 + loss.hashCode();
    }

    @Override
    public String toString() {
        return describe() + " " + activation + " " + loss;
    }
}
