package org.l1net.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import static org.l1net.report.PageCharts.charts;
import static org.l1net.report.PageCharts.count;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.train.PathChoice;

/** The sweep's report.html: self-contained, every chart with its curves and the chosen lambdas marked, rendered by Chromium. */
class SweepReportRenderTest {

    @TempDir
    Path dir;

    @Test
    void everyChartHasItsCurvesAndMarkersAndChromiumRendersThePageWithNoConsoleMessage() throws Exception {
        List<SweepRow> rows = rows(8);
        PathChoice choice = new PathChoice(4, 2, 0.02);
        String html = SweepReport.page("l1net sweep", new LinkedHashMap<>(Map.of("network", "10-8-4")), rows, choice).toHtml();

        for (String forbidden : List.of("http:", "https:", "<script", " src=", "url(", "<link")) {
            assertFalse(html.contains(forbidden), "the page must load nothing: found '" + forbidden + "'");
        }
        Map<String, String> charts = charts(html);
        assertEquals(SweepReport.chartIds(), List.copyOf(charts.keySet()));
        assertEquals(2, count(charts.get("accuracy"), "<polyline"), "train and validation");
        assertEquals(2, count(charts.get("loss"), "<polyline"), "train and validation");
        assertEquals(1, count(charts.get("nonzero"), "<polyline"));
        for (String svg : charts.values()) {
            assertEquals(2, count(svg, "class=\"marker\""), "best and one-SE marked");
            assertEquals(8, count(svg, "<circle") / count(svg, "<polyline"), "a dot per lambda");
        }
        assertTrue(html.contains("data-table=\"sweep\""));
        assertEquals(2, count(html, "<tr class=\"chosen\">"));

        Chromium chromium = Chromium.require(dir);
        Path page = dir.resolve("report.html");
        SweepReport.page("l1net sweep", Map.of("network", "10-8-4"), rows, choice).write(page);
        Chromium.Run dom = chromium.run(page, "--dump-dom");
        assertEquals(0, dom.status(), dom.log());
        assertEquals(List.of(), dom.consoleMessages(), "console messages while loading the sweep report");
        Map<String, String> rendered = charts(dom.out());
        assertEquals(SweepReport.chartIds(), List.copyOf(rendered.keySet()), dom.out());
        for (String svg : rendered.values()) {
            assertTrue(svg.contains("<polyline") && svg.contains("data-marker=\"best\""), svg);
        }
    }

    @Test
    void oneChoiceThatIsBothIsMarkedOnce() {
        Map<String, String> charts = charts(SweepReport.page("s", Map.of(), rows(3), new PathChoice(1, 1, 0.05)).toHtml());
        for (String svg : charts.values()) {
            assertEquals(1, count(svg, "class=\"marker\""));
            assertTrue(svg.contains("best, one SE"));
        }
    }

    /** A path shaped like a real one: accuracy rising then falling as lambda shrinks, weights and inputs coming back. */
    private static List<SweepRow> rows(int n) {
        List<SweepRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double lambda = 0.1 * Math.pow(10, -3.0 * i / Math.max(1, n - 1));
            double t = (double) i / Math.max(1, n - 1);
            long first = Math.round(80 * t);
            long second = Math.round(32 * t);
            rows.add(new SweepRow(i, lambda, i > 0, 0.4 + 0.55 * t, 1.2 - 0.8 * t, 0.4 + 0.35 * Math.sin(Math.PI * t * 0.8),
                    1.2 - 0.4 * t, 0.1 * (1 - t), new long[] {first, second}, 112, (int) Math.round(10 * t), 10, 40,
                    41L * (i + 1), 0.5, String.format("lambda-%02d", i)));
        }
        return rows;
    }


}
