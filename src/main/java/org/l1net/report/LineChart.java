package org.l1net.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG: one or more series over a shared x axis (linear, or log10 for a
 * regularization path), gridlines at round values, a legend. A NaN point is skipped (a test set
 * evaluated every few epochs), and a series with few points also gets a dot per point.
 */
public final class LineChart {
    static final int WIDTH = 640;
    static final int HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 34;
    private static final int BOTTOM = 44;
    private static final int DOTS_UP_TO = 40;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private boolean logX;
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;

    /** One line: its name in the legend, its points, and a CSS color. */
    public record Series(String name, double[] x, double[] y, String color, boolean dashed) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("Series " + name + ": " + x.length + " x values, " + y.length + " y values");
            }
        }
    }

    /** A vertical line at x with a label at its top, e.g. the chosen lambda. */
    public record Marker(double x, String label, String color) {
    }

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart add(String name, double[] x, double[] y, String color) {
        series.add(new Series(name, x.clone(), y.clone(), color, false));
        return this;
    }

    public LineChart addDashed(String name, double[] x, double[] y, String color) {
        series.add(new Series(name, x.clone(), y.clone(), color, true));
        return this;
    }

    /** Marks x with a dashed vertical line and a label; a marker outside the data's x range is not drawn. */
    public LineChart marker(double x, String label, String color) {
        markers.add(new Marker(x, label, color));
        return this;
    }

    /** A log10 x axis (every x must be positive). */
    public LineChart logX() {
        this.logX = true;
        return this;
    }

    /** A fixed y range, e.g. 0 to 1 for accuracy; otherwise the data's range. */
    public LineChart yRange(double min, double max) {
        this.yMin = min;
        this.yMax = max;
        return this;
    }

    /** The chart as an {@code <svg>} element; {@code id} names it for the page and its tests. */
    public String toSvg(String id) {
        double[][] xs = series.stream().map(Series::x).toArray(double[][]::new);
        double[][] ys = series.stream().map(Series::y).toArray(double[][]::new);
        double[] xr = Axis.range(xs);
        double[] yr = Double.isNaN(yMin) ? Axis.range(ys) : new double[] {yMin, yMax};
        if (Double.isNaN(xr[0])) {
            xr = new double[] {logX ? 1 : 0, logX ? 10 : 1};
        }
        if (Double.isNaN(yr[0])) {
            yr = new double[] {0, 1};
        }
        if (Double.isNaN(yMin) && yr[1] > yr[0]) {
            double pad = 0.05 * (yr[1] - yr[0]);
            yr = new double[] {yr[0] - pad, yr[1] + pad};
        }
        Axis x = new Axis(xr[0], xr[1], logX, LEFT, WIDTH - RIGHT);
        Axis y = new Axis(yr[0], yr[1], false, HEIGHT - BOTTOM, TOP);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg id=\"%s\" class=\"chart line-chart\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                + "height=\"%d\" role=\"img\" aria-label=\"%s\">%n", Axis.escape(id), WIDTH, HEIGHT, WIDTH, HEIGHT,
                Axis.escape(title)));
        sb.append("<title>").append(Axis.escape(title)).append("</title>\n");
        sb.append(String.format(Locale.ROOT, "<text class=\"chart-title\" x=\"%d\" y=\"20\">%s</text>%n", LEFT, Axis.escape(title)));
        for (double t : y.ticks(5)) {
            String py = Axis.px(y.pixel(t));
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\"/>"
                    + "<text class=\"tick\" x=\"%d\" y=\"%s\" text-anchor=\"end\" dy=\"0.32em\">%s</text>%n",
                    LEFT, WIDTH - RIGHT, py, py, LEFT - 6, py, Axis.label(t)));
        }
        for (double t : x.ticks(6)) {
            String pxs = Axis.px(x.pixel(t));
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%d\"/>"
                    + "<text class=\"tick\" x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    pxs, pxs, TOP, HEIGHT - BOTTOM, pxs, HEIGHT - BOTTOM + 16, Axis.label(t)));
        }
        sb.append(String.format(Locale.ROOT, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n",
                LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        sb.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 8, Axis.escape(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text class=\"axis-label\" transform=\"translate(16 %d) rotate(-90)\" "
                + "text-anchor=\"middle\">%s</text>%n", (TOP + HEIGHT - BOTTOM) / 2, Axis.escape(yLabel)));
        for (Series s : series) {
            appendSeries(sb, s, x, y);
        }
        int row = 0;
        for (Marker m : markers) {
            if (Double.isFinite(m.x()) && m.x() >= x.min && m.x() <= x.max && (!x.log || m.x() > 0)) {
                String pxs = Axis.px(x.pixel(m.x()));
                sb.append(String.format(Locale.ROOT, "<g class=\"marker\" data-marker=\"%s\"><line x1=\"%s\" x2=\"%s\" "
                        + "y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>"
                        + "<text class=\"legend\" x=\"%s\" y=\"%d\" dx=\"4\" fill=\"%s\">%s</text></g>%n", Axis.escape(m.label()),
                        pxs, pxs, TOP, HEIGHT - BOTTOM, m.color(), pxs, TOP + 14 + 14 * row++, m.color(), Axis.escape(m.label())));
            }
        }
        appendLegend(sb);
        return sb.append("</svg>\n").toString();
    }

    private static void appendSeries(StringBuilder sb, Series s, Axis x, Axis y) {
        StringBuilder points = new StringBuilder();
        int finite = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]) && (!x.log || s.x()[i] > 0)) {
                points.append(finite++ == 0 ? "" : " ").append(Axis.px(x.pixel(s.x()[i]))).append(',')
                        .append(Axis.px(y.pixel(s.y()[i])));
            }
        }
        if (finite == 0) {
            return;
        }
        sb.append(String.format(Locale.ROOT, "<g class=\"series\" data-series=\"%s\">", Axis.escape(s.name())));
        sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\">"
                + "<title>%s</title></polyline>", s.color(), s.dashed() ? " stroke-dasharray=\"6 4\"" : "", points,
                Axis.escape(s.name())));
        if (finite <= DOTS_UP_TO) {
            for (String point : points.toString().split(" ")) {
                String[] xy = point.split(",");
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>", xy[0], xy[1], s.color()));
            }
        }
        sb.append("</g>\n");
    }

    private void appendLegend(StringBuilder sb) {
        double at = WIDTH - RIGHT;
        List<String> items = new ArrayList<>();
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            double width = 28 + 7.2 * s.name().length();
            at -= width;
            items.add(0, String.format(Locale.ROOT, "<line x1=\"%s\" x2=\"%s\" y1=\"16\" y2=\"16\" stroke=\"%s\" stroke-width=\"3\"%s/>"
                    + "<text class=\"legend\" x=\"%s\" y=\"20\">%s</text>", Axis.px(at), Axis.px(at + 18), s.color(),
                    s.dashed() ? " stroke-dasharray=\"6 4\"" : "", Axis.px(at + 22), Axis.escape(s.name())));
        }
        sb.append("<g class=\"legend\">").append(String.join("", items)).append("</g>\n");
    }
}
