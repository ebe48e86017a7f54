package org.l1net.data;

/**
 * Thrown on an executor for a row that cannot be parsed. It carries where the row sits in the
 * text source's split (file, split start, ordinal within the split); the driver turns that into a
 * line number, which the executor cannot know without re-reading the file.
 */
public final class BadRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long splitStart;
    private final long ordinalInSplit;
    private final String reason;

    public BadRowException(String file, long splitStart, long ordinalInSplit, String reason) {
        super(file + " (split at byte " + splitStart + ", record " + ordinalInSplit + "): " + reason);
        this.file = file;
        this.splitStart = splitStart;
        this.ordinalInSplit = ordinalInSplit;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public long splitStart() {
        return splitStart;
    }

    public long ordinalInSplit() {
        return ordinalInSplit;
    }

    public String reason() {
        return reason;
    }
}
