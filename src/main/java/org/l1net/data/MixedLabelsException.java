package org.l1net.data;

/**
 * A CSV label of the other kind than the data's first label: a class name among class indices, or a
 * number among class names. It says the labels of the whole input are coded two ways, not that one row
 * is bad, so {@code --on-bad-rows skip} does not pass over it: skipping would quietly drop one kind.
 */
final class MixedLabelsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MixedLabelsException(String message) {
        super(message);
    }
}
