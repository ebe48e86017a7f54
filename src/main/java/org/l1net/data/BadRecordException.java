package org.l1net.data;

/**
 * Thrown on an executor for a row of a DataFrame format that cannot be used. It names the file and
 * the row (by its values, as the row is found in the file); the message needs no further lookup.
 */
public final class BadRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String row;
    private final String reason;

    public BadRecordException(String file, String row, String reason) {
        super(file + ": " + row + ": " + reason);
        this.file = file;
        this.row = row;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public String row() {
        return row;
    }

    public String reason() {
        return reason;
    }
}
