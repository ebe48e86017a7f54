package org.l1net.data;

/** Bad input data; the message names the file, line and what was expected. */
public class InputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }
}
