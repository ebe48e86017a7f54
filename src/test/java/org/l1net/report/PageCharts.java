package org.l1net.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the charts out of a report page, for the report tests. */
final class PageCharts {
    private static final Pattern FIGURE = Pattern.compile("<figure data-chart=\"([a-z]+)\">\\s*(<svg .*?</svg>)", Pattern.DOTALL);

    private PageCharts() {
    }

    /** Figure id to its SVG, in page order. */
    static Map<String, String> charts(String html) {
        Map<String, String> charts = new LinkedHashMap<>();
        Matcher m = FIGURE.matcher(html);
        while (m.find()) {
            charts.put(m.group(1), m.group(2));
        }
        return charts;
    }

    /** How often {@code what} occurs in {@code text}, overlaps included. */
    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
