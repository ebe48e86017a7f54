package org.l1net.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart axis: a data range mapped onto a pixel range, linear or log10, with round tick values
 * (1, 2 or 5 times a power of ten). Also the number formatting and escaping the SVG charts share.
 */
final class Axis {
    final double min;
    final double max;
    final boolean log;
    private final double from;
    private final double to;

    /** Maps [min, max] to pixels [from, to]; a log axis needs min > 0. */
    Axis(double min, double max, boolean log, double from, double to) {
        if (log && !(min > 0)) {
            throw new IllegalArgumentException("A log axis needs positive values, got a minimum of " + min);
        }
        if (!(max > min)) {
            // one value, or none: widen around it so that it sits in the middle
            double half = log ? 0 : Math.max(Math.abs(min) * 0.1, 0.5);
            min = log ? min / Math.sqrt(10) : min - half;
            max = log ? max * Math.sqrt(10) : max + half;
        }
        this.min = min;
        this.max = max;
        this.log = log;
        this.from = from;
        this.to = to;
    }

    /** The smallest and largest finite values of the arrays, or {NaN, NaN} when there are none. */
    static double[] range(double[]... arrays) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] a : arrays) {
            for (double v : a) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo > hi ? new double[] {Double.NaN, Double.NaN} : new double[] {lo, hi};
    }

    double pixel(double value) {
        double t = log ? (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                : (value - min) / (max - min);
        return from + t * (to - from);
    }

    /** Round values inside [min, max]: about {@code target} of them on a linear axis, the powers of ten on a log axis. */
    List<Double> ticks(int target) {
        List<Double> ticks = new ArrayList<>();
        if (log) {
            for (int e = (int) Math.ceil(Math.log10(min) - 1e-9); e <= Math.floor(Math.log10(max) + 1e-9); e++) {
                ticks.add(Math.pow(10, e));
            }
            return ticks;
        }
        double step = niceStep((max - min) / Math.max(1, target));
        for (double v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
            ticks.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return ticks;
    }

    static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double f = rough / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }

    /** A tick label: as few digits as tell the ticks apart. */
    static String label(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.0e", v).replace("e+0", "e").replace("e-0", "e-");
        }
        String s = String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 1 ? "%.2f" : "%.3f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** A coordinate: two decimals are finer than a pixel. */
    static String px(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
