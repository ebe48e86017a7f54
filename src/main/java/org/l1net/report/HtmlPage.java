package org.l1net.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.l1net.model.AtomicFiles;

/**
 * A self-contained HTML page: inline CSS and inline SVG, no script, and a Content-Security-Policy
 * that forbids loading anything, so the page renders the same offline and can never reach a network.
 * Each chart sits in a {@code <figure data-chart="id">}.
 */
public final class HtmlPage {
    private static final String STYLE = """
            body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #212121; margin: 24px auto;
                   max-width: 1340px; padding: 0 16px; background: #ffffff; }
            h1 { font-size: 22px; margin: 0 0 4px 0; }
            h2 { font-size: 17px; margin: 24px 0 8px 0; border-bottom: 1px solid #e0e0e0; padding-bottom: 4px; }
            p { font-size: 14px; line-height: 1.45; margin: 6px 0; }
            table.facts { border-collapse: collapse; font-size: 13px; }
            table.facts td { padding: 2px 14px 2px 0; vertical-align: top; }
            table.facts td:first-child { color: #616161; white-space: nowrap; }
            .charts { display: flex; flex-wrap: wrap; gap: 8px 24px; }
            figure { margin: 0; }
            figcaption { font-size: 12px; color: #616161; max-width: 560px; margin: 2px 0 0 64px; }
            svg.chart { font-family: inherit; background: #ffffff; }
            svg .chart-title { font-size: 14px; font-weight: bold; fill: #212121; }
            svg .tick, svg .bar-count { font-size: 11px; fill: #616161; }
            svg .axis-label, svg .legend { font-size: 12px; fill: #424242; }
            svg .grid { stroke: #eeeeee; stroke-width: 1; }
            svg .frame { fill: none; stroke: #bdbdbd; stroke-width: 1; }
            svg .axis { stroke: #9e9e9e; stroke-width: 1; }
            table.data { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
            table.data th, table.data td { padding: 2px 10px; text-align: right; border-bottom: 1px solid #eeeeee; }
            table.data th { color: #616161; font-weight: normal; border-bottom: 1px solid #bdbdbd; }
            table.data tr.chosen td { font-weight: bold; }
            .names { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
            """;

    private final String title;
    private final StringBuilder body = new StringBuilder();
    private boolean inCharts;

    public HtmlPage(String title) {
        this.title = title;
    }

    public HtmlPage heading(String text) {
        closeCharts();
        body.append("<h2>").append(Axis.escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlPage paragraph(String text) {
        closeCharts();
        body.append("<p>").append(Axis.escape(text)).append("</p>\n");
        return this;
    }

    /** A paragraph with a label and a list of names in a fixed-width font. */
    public HtmlPage names(String label, String names) {
        closeCharts();
        body.append("<p>").append(Axis.escape(label)).append(" <span class=\"names\">").append(Axis.escape(names))
                .append("</span></p>\n");
        return this;
    }

    /** A two-column table of labels and values. */
    public HtmlPage facts(Map<String, String> rows) {
        closeCharts();
        body.append("<table class=\"facts\">\n");
        rows.forEach((k, v) -> body.append("<tr><td>").append(Axis.escape(k)).append("</td><td>").append(Axis.escape(v))
                .append("</td></tr>\n"));
        body.append("</table>\n");
        return this;
    }

    /**
     * A table with a header row; the rows whose index is in {@code emphasized} are bold (e.g. the chosen
     * lambdas of a sweep).
     */
    public HtmlPage table(String id, List<String> header, List<List<String>> rows, Set<Integer> emphasized) {
        closeCharts();
        body.append("<table class=\"data\" data-table=\"").append(Axis.escape(id)).append("\">\n<tr>");
        header.forEach(h -> body.append("<th>").append(Axis.escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (int r = 0; r < rows.size(); r++) {
            body.append(emphasized.contains(r) ? "<tr class=\"chosen\">" : "<tr>");
            rows.get(r).forEach(c -> body.append("<td>").append(Axis.escape(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** A chart; consecutive charts flow side by side where the window is wide enough. */
    public HtmlPage chart(String id, String svg, String caption) {
        if (!inCharts) {
            body.append("<div class=\"charts\">\n");
            inCharts = true;
        }
        body.append("<figure data-chart=\"").append(Axis.escape(id)).append("\">\n").append(svg);
        if (caption != null && !caption.isEmpty()) {
            body.append("<figcaption>").append(Axis.escape(caption)).append("</figcaption>\n");
        }
        body.append("</figure>\n");
        return this;
    }

    private void closeCharts() {
        if (inCharts) {
            body.append("</div>\n");
            inCharts = false;
        }
    }

    public String toHtml() {
        closeCharts();
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + Axis.escape(title) + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<h1>"
                + Axis.escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
    }

    /** Writes the page atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toHtml());
    }
}
