package org.l1net.report;

import java.util.Locale;

/**
 * The weight-magnitude histogram as inline SVG bars: a first bar for the weights that are exactly
 * zero, set apart in its own color, then one bar per |w| bin. The y axis counts weights.
 */
public final class HistogramChart {
    private static final int WIDTH = LineChart.WIDTH;
    private static final int HEIGHT = LineChart.HEIGHT;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 34;
    private static final int BOTTOM = 44;
    static final String ZERO_COLOR = "#9e9e9e";
    static final String BAR_COLOR = "#1f77b4";

    private final String title;
    private final WeightHistogram histogram;

    public HistogramChart(String title, WeightHistogram histogram) {
        this.title = title;
        this.histogram = histogram;
    }

    public String toSvg(String id) {
        long[] counts = histogram.counts();
        double[] edges = histogram.edges();
        long most = histogram.zeros();
        for (long c : counts) {
            most = Math.max(most, c);
        }
        Axis y = new Axis(0, Math.max(1, most) * 1.05, false, HEIGHT - BOTTOM, TOP);
        int bars = counts.length + 1;
        double slot = (double) (WIDTH - LEFT - RIGHT) / (bars + 0.5);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg id=\"%s\" class=\"chart histogram\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                + "height=\"%d\" role=\"img\" aria-label=\"%s\">%n", Axis.escape(id), WIDTH, HEIGHT, WIDTH, HEIGHT,
                Axis.escape(title)));
        sb.append("<title>").append(Axis.escape(title)).append("</title>\n");
        sb.append(String.format(Locale.ROOT, "<text class=\"chart-title\" x=\"%d\" y=\"20\">%s</text>%n", LEFT, Axis.escape(title)));
        for (double t : y.ticks(5)) {
            if (t != Math.rint(t)) {
                continue; // counts are whole
            }
            String py = Axis.px(y.pixel(t));
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\"/>"
                    + "<text class=\"tick\" x=\"%d\" y=\"%s\" text-anchor=\"end\" dy=\"0.32em\">%s</text>%n",
                    LEFT, WIDTH - RIGHT, py, py, LEFT - 6, py, Axis.label(t)));
        }
        appendBar(sb, 0, slot, histogram.zeros(), y, ZERO_COLOR, "exactly 0", "=0");
        for (int b = 0; b < counts.length; b++) {
            String range = "(" + Axis.label(edges[b]) + ", " + Axis.label(edges[b + 1]) + "]";
            appendBar(sb, b + 1.5, slot, counts[b], y, BAR_COLOR, "|w| in " + range, null);
        }
        // edge labels under the bins, every other one when crowded
        int every = counts.length > 12 ? 2 : 1;
        for (int b = 0; b <= counts.length; b += every) {
            double px = LEFT + slot * (b + 1.5);
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    Axis.px(px), HEIGHT - BOTTOM + 16, Axis.label(edges[b])));
        }
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>%n", LEFT, WIDTH - RIGHT,
                HEIGHT - BOTTOM, HEIGHT - BOTTOM));
        sb.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 8, "|w| (grey: weights exactly 0)"));
        sb.append(String.format(Locale.ROOT, "<text class=\"axis-label\" transform=\"translate(16 %d) rotate(-90)\" "
                + "text-anchor=\"middle\">weights</text>%n", (TOP + HEIGHT - BOTTOM) / 2));
        return sb.append("</svg>\n").toString();
    }

    /** A bar starting at slot position {@code at} (in slots from the left), with its count above it. */
    private static void appendBar(StringBuilder sb, double at, double slot, long count, Axis y, String color, String what,
                                  String label) {
        double x = LEFT + slot * (at + 0.08);
        double top = y.pixel(count);
        double bottom = y.pixel(0);
        sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\">"
                + "<title>%s: %d</title></rect>", Axis.px(x), Axis.px(top), Axis.px(slot * 0.84), Axis.px(bottom - top),
                color, Axis.escape(what), count));
        if (count > 0) {
            sb.append(String.format(Locale.ROOT, "<text class=\"bar-count\" x=\"%s\" y=\"%s\" text-anchor=\"middle\">%d</text>",
                    Axis.px(x + slot * 0.42), Axis.px(top - 4), count));
        }
        if (label != null) {
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    Axis.px(x + slot * 0.42), HEIGHT - BOTTOM + 16, label));
        }
        sb.append('\n');
    }
}
