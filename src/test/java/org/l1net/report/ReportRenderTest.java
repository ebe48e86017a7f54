package org.l1net.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import static org.l1net.report.PageCharts.charts;
import static org.l1net.report.PageCharts.count;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.model.L1NetModel;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;
import org.l1net.train.EpochMetrics;
import org.w3c.dom.Document;

/**
 * report.html: self-contained (nothing to load, no script), every chart present and well-formed SVG,
 * and headless Chromium renders it to a PNG with every chart on the page and no console message.
 */
class ReportRenderTest {

    @TempDir
    Path dir;

    @Test
    void thePageLoadsNothingAndEveryChartIsWellFormedSvg() throws Exception {
        String html = TrainReport.page(imageModel(28), history(120, 5), 240, 3.5).toHtml();

        for (String forbidden : List.of("http:", "https:", "//", "<script", " src=", "url(", "@import", "<link")) {
            assertFalse(html.contains(forbidden), "the page must load nothing: found '" + forbidden + "'");
        }
        assertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""), "the page forbids loading");
        Map<String, String> charts = charts(html);
        assertEquals(List.of("loss", "objective", "accuracy", "nonzero", "weights", "inputs"), List.copyOf(charts.keySet()));
        assertEquals(TrainReport.chartIds(784), List.copyOf(charts.keySet()));
        for (Map.Entry<String, String> chart : charts.entrySet()) {
            Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(chart.getValue().getBytes(StandardCharsets.UTF_8)));
            assertEquals("svg", svg.getDocumentElement().getTagName(), chart.getKey());
        }
        assertEquals(2, count(charts.get("loss"), "<polyline"), "train and test loss");
        assertEquals(3, count(charts.get("objective"), "<polyline"), "train, test and the L1 term");
        assertEquals(2, count(charts.get("accuracy"), "<polyline"), "train and test accuracy");
        assertEquals(1, count(charts.get("nonzero"), "<polyline"));
        assertEquals(1 + 20, count(charts.get("weights"), "class=\"bar\""), "the zero bar and 20 bins");
        assertTrue(count(charts.get("inputs"), "class=\"pixel\"") > 100, "the surviving pixels are drawn");
    }

    @Test
    void aNetworkWhoseInputsAreNoImageHasNoPixelChartAndNoTestCurves() {
        Topology topology = new Topology(new int[] {10, 8, 4}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        L1NetModel model = model(topology, new SplittableRandom(2), 0.7);
        List<EpochMetrics> noTest = new ArrayList<>();
        for (EpochMetrics m : history(30, 1)) {
            noTest.add(new EpochMetrics(m.epoch(), m.dataLoss(), m.l1Penalty(), m.trainAccuracy(), Double.NaN, Double.NaN,
                    m.nonzeroWeights(), m.totalWeights(), m.seconds(), m.passes(), m.stepSize(), m.gradientNorm()));
        }
        Map<String, String> charts = charts(TrainReport.page(model, noTest, 60, 1.0).toHtml());

        assertEquals(List.of("loss", "objective", "accuracy", "nonzero", "weights"), List.copyOf(charts.keySet()));
        assertEquals(TrainReport.chartIds(10), List.copyOf(charts.keySet()));
        assertEquals(1, count(charts.get("loss"), "<polyline"));
        assertEquals(2, count(charts.get("objective"), "<polyline"), "train and the L1 term");
    }

    @Test
    void imageShapedMeansASquareOfAtLeast64Inputs() {
        assertEquals(28, PixelMap.side(784));
        assertEquals(8, PixelMap.side(64));
        assertEquals(0, PixelMap.side(49), "7 x 7 is too small to be worth a picture");
        assertEquals(0, PixelMap.side(785));
        assertEquals(0, PixelMap.side(10));
    }

    /**
     * The page as Chromium sees it: the DOM after loading holds every chart with its marks, no console
     * message was logged (the page has no script, so any message is a blocked load or an error), and the
     * screenshot is a page with ink on it.
     */
    @Test
    void chromiumRendersEveryChartWithNoConsoleMessage() throws Exception {
        Chromium chromium = Chromium.require(dir);
        Path page = dir.resolve("report.html");
        TrainReport.page(imageModel(28), history(120, 5), 240, 3.5).write(page);

        Chromium.Run dom = chromium.run(page, "--dump-dom");
        assertEquals(0, dom.status(), dom.log());
        assertEquals(List.of(), dom.consoleMessages(), "console messages while loading the report");
        Map<String, String> rendered = charts(dom.out());
        assertEquals(TrainReport.chartIds(784), List.copyOf(rendered.keySet()), dom.out());
        for (String id : List.of("loss", "objective", "accuracy", "nonzero")) {
            assertTrue(rendered.get(id).contains("<polyline"), id);
        }
        assertTrue(rendered.get("weights").contains("class=\"bar\""));
        assertTrue(rendered.get("inputs").contains("class=\"pixel\""));

        Path png = dir.resolve("report.png");
        Chromium.Run shot = chromium.run(page, "--window-size=1380,1800", "--screenshot=" + png);
        assertEquals(0, shot.status(), shot.log());
        assertEquals(List.of(), shot.consoleMessages(), "console messages while rendering the report");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1380, image.getWidth());
        assertEquals(1800, image.getHeight());
        double ink = inkFraction(image);
        assertTrue(ink > 0.02 && ink < 0.6, "a page of charts, neither blank nor solid: " + ink);
    }

    /** The console check is not vacuous: a page that tries to load an image logs the blocked load. */
    @Test
    void theConsoleCheckSeesABlockedLoad() throws Exception {
        Chromium chromium = Chromium.require(dir);
        Path page = dir.resolve("bad.html");
        String report = TrainReport.page(imageModel(8), history(10, 1), 20, 1.0).toHtml();
        Files.writeString(page, report.replace("</body>", "<img src=\"file:///nonexistent/l1net.png\" alt=\"\"></body>"));

        Chromium.Run run = chromium.run(page, "--dump-dom");

        assertEquals(1, run.consoleMessages().size(), run.log());
        assertTrue(run.consoleMessages().get(0).contains("Content Security Policy"), run.consoleMessages().get(0));
    }



    private static double inkFraction(BufferedImage image) {
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                ink += r + g + b < 3 * 235 ? 1 : 0;
            }
        }
        return (double) ink / ((long) image.getWidth() * image.getHeight());
    }

    /** A side x side-input relu network whose surviving first-layer weights sit in a disc, as on digits. */
    static L1NetModel imageModel(int side) {
        int inputs = side * side;
        Topology topology = new Topology(new int[] {inputs, 16, 10}, Activation.RELU, OutputLoss.CROSS_ENTROPY);
        SplittableRandom random = new SplittableRandom(side);
        double[] p = new double[topology.parameterCount()];
        double c = (side - 1) / 2.0;
        for (int j = 0; j < 16; j++) {
            for (int i = 0; i < inputs; i++) {
                double d = Math.hypot(i / side - c, i % side - c);
                if (d < side * 0.36 && random.nextDouble() < 0.6) {
                    p[topology.weightOffset(0) + j * inputs + i] = random.nextGaussian() * Math.exp(-d / (side / 4.0));
                }
            }
        }
        for (int k = topology.weightOffset(1); k < p.length; k++) {
            p[k] = random.nextDouble() < 0.5 ? 0.0 : random.nextGaussian();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            names.add("pixel" + i);
        }
        return new L1NetModel(topology, p, names, "label", Map.of("l1", 0.001, "epochs", 120), Map.of("seed", 1));
    }

    private static L1NetModel model(Topology topology, SplittableRandom random, double zeros) {
        double[] p = new double[topology.parameterCount()];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextDouble() < zeros ? 0.0 : random.nextGaussian();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < topology.inputSize(); i++) {
            names.add("x" + i);
        }
        return new L1NetModel(topology, p, names, "label", Map.of("l1", 0.01), Map.of());
    }

    /** Curves shaped like a run's: loss falling, accuracy rising, weights going to zero; test every k epochs. */
    static List<EpochMetrics> history(int epochs, int testEvery) {
        List<EpochMetrics> h = new ArrayList<>();
        int weights = 1000;
        for (int e = 0; e <= epochs; e++) {
            double f = Math.exp(-e / (epochs / 5.0));
            boolean test = e % testEvery == 0 || e == epochs;
            h.add(new EpochMetrics(e, 0.3 + 2 * f, 0.05 + 0.2 * f, 0.95 - 0.8 * f, test ? 0.9 - 0.8 * f : Double.NaN,
                    test ? 0.4 + 2 * f : Double.NaN, (int) (weights * (0.1 + 0.9 * f)), weights, 0.01, e + 1L,
                    e == 0 ? Double.NaN : 0.01, f));
        }
        return h;
    }
}
