package org.l1net.data;

import java.util.Locale;
import org.apache.spark.util.AccumulatorV2;

/**
 * Counts the rows that {@code --on-bad-rows skip} left out, and keeps one of them to show: the first by
 * file and place in the file, so the example does not depend on which task finished first.
 *
 * <p>The parsing runs before the shuffle, once per run; should Spark re-run a parsing task (a lost
 * executor), its skips would be counted again, as for any accumulator updated outside an action.
 */
public final class BadRowTally extends AccumulatorV2<RuntimeException, Long> {
    private static final long serialVersionUID = 1L;

    private long count;
    private String firstKey;
    private RuntimeException first;

    /** Counts a skipped row; {@code bad} is a {@link BadRowException} or a {@link BadRecordException}. */
    @Override
    public void add(RuntimeException bad) {
        count++;
        String key = key(bad);
        if (firstKey == null || key.compareTo(firstKey) < 0) {
            firstKey = key;
            first = bad;
        }
    }

    private static String key(RuntimeException bad) {
        if (bad instanceof BadRowException b) {
            return String.format(Locale.ROOT, "%s\u0000%020d\u0000%020d", b.file(), b.splitStart(), b.ordinalInSplit());
        }
        if (bad instanceof BadRecordException b) {
            return b.file() + "\u0000" + b.row();
        }
        return String.valueOf(bad.getMessage());
    }

    @Override
    public boolean isZero() {
        return count == 0;
    }

    @Override
    public BadRowTally copy() {
        BadRowTally c = new BadRowTally();
        c.count = count;
        c.firstKey = firstKey;
        c.first = first;
        return c;
    }

    @Override
    public void reset() {
        count = 0;
        firstKey = null;
        first = null;
    }

    @Override
    public void merge(AccumulatorV2<RuntimeException, Long> other) {
        BadRowTally o = (BadRowTally) other;
        count += o.count;
        if (o.firstKey != null && (firstKey == null || o.firstKey.compareTo(firstKey) < 0)) {
            firstKey = o.firstKey;
            first = o.first;
        }
    }

    /** The count (the example is {@link #first()}). */
    @Override
    public Long value() {
        return count;
    }

    public long count() {
        return count;
    }

    /** The first skipped row's error, or null when none was skipped. */
    public RuntimeException first() {
        return first;
    }
}
