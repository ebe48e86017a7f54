package org.l1net.report;

import java.util.Locale;

/**
 * Which inputs of an image-shaped network survive L1, as a side x side picture (row-major, as
 * 28 x 28 digits are stored): an input's shade is the sum of |w| over its first-layer weights,
 * square-root scaled so that faint survivors still show; an input with no weights is left white
 * with a thin outline.
 */
public final class PixelMap {
    /** The smallest image side drawn: 8 x 8 = 64 inputs. */
    public static final int MIN_SIDE = 8;
    private static final int CELL_AREA = 336;

    private final String title;
    private final double[] importance;
    private final int side;

    /** @param importance per input, sum |w| over its first-layer weights (0 when pruned) */
    public PixelMap(String title, double[] importance) {
        this.side = side(importance.length);
        if (side == 0) {
            throw new IllegalArgumentException(importance.length + " inputs are not a square image of at least "
                    + MIN_SIDE + " x " + MIN_SIDE);
        }
        this.title = title;
        this.importance = importance.clone();
    }

    /** The image side when {@code inputs} is a perfect square of at least 64, else 0. */
    public static int side(int inputs) {
        int s = (int) Math.round(Math.sqrt(inputs));
        return s >= MIN_SIDE && s * s == inputs ? s : 0;
    }

    public String toSvg(String id) {
        double cell = Math.max(2.0, Math.floor((double) CELL_AREA / side));
        double size = cell * side;
        int top = 30;
        int width = (int) Math.ceil(size) + 220;
        int height = (int) Math.ceil(size) + top + 8;
        double most = 0;
        int alive = 0;
        for (double v : importance) {
            most = Math.max(most, v);
            alive += v > 0 ? 1 : 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg id=\"%s\" class=\"chart pixel-map\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                + "height=\"%d\" role=\"img\" aria-label=\"%s\">%n", Axis.escape(id), width, height, width, height,
                Axis.escape(title)));
        sb.append("<title>").append(Axis.escape(title)).append("</title>\n");
        sb.append(String.format(Locale.ROOT, "<text class=\"chart-title\" x=\"0\" y=\"20\">%s</text>%n", Axis.escape(title)));
        sb.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"%d\" width=\"%s\" height=\"%s\" fill=\"#ffffff\" stroke=\"#bdbdbd\"/>%n",
                top, Axis.px(size), Axis.px(size)));
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                double v = importance[r * side + c];
                if (v <= 0) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "<rect class=\"pixel\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>",
                        Axis.px(c * cell), Axis.px(top + r * cell), Axis.px(cell), Axis.px(cell), shade(Math.sqrt(v / most))));
            }
            sb.append('\n');
        }
        double lx = size + 24;
        sb.append(String.format(Locale.ROOT, "<text class=\"legend\" x=\"%s\" y=\"%d\">%d of %d inputs keep weights</text>%n",
                Axis.px(lx), top + 14, alive, importance.length));
        sb.append(String.format(Locale.ROOT, "<text class=\"legend\" x=\"%s\" y=\"%d\">(%d pruned: white)</text>%n",
                Axis.px(lx), top + 32, importance.length - alive));
        for (int i = 0; i <= 4; i++) {
            double t = 1.0 - i / 4.0;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%s\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"#bdbdbd\"/>"
                    + "<text class=\"tick\" x=\"%s\" y=\"%d\">%s</text>%n", Axis.px(lx), top + 52 + 20 * i,
                    t == 0 ? "#ffffff" : shade(t), Axis.px(lx + 20), top + 63 + 20 * i,
                    t == 0 ? "no weights" : Axis.label(t * t * most) + " sum |w|"));
        }
        return sb.append("</svg>\n").toString();
    }

    /** t in (0, 1]: from a pale blue to a dark blue. */
    private static String shade(double t) {
        int r = (int) Math.round(222 - t * (222 - 8));
        int g = (int) Math.round(235 - t * (235 - 48));
        int b = (int) Math.round(247 - t * (247 - 107));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }
}
