package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.model.ModelFormat;
import org.l1net.report.ModelInspectionTest;

/** {@code l1net inspect} on model files: text, JSON, an old format version, and refusals. No Spark. */
class InspectCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheFindingsAsText() throws IOException {
        Path file = dir.resolve("model.json");
        ModelFormat.write(ModelInspectionTest.handBuilt(), file);

        Cli.Result r = Cli.withoutSpark("inspect", "--model", file.toString(), "--bins", "4");

        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("model " + file + "\n4-3-2 network, tanh, cross-entropy: 18 weights, 6 nonzero"), r.out());
        assertTrue(r.out().contains("hidden layer 1: 3 units, 2 dead\n"), r.out());
        assertTrue(r.out().contains("pruned inputs (every first-layer weight zero): 1 of 4\n  noise\n"), r.out());
        assertTrue(r.out().contains("  (1.500, 2.000]"), r.out());
    }

    @Test
    void printsTheFindingsAsJson() throws IOException {
        Path file = dir.resolve("model.json");
        ModelFormat.write(ModelInspectionTest.handBuilt(), file);

        Cli.Result r = Cli.withoutSpark("inspect", "--model", file.toString(), "--json");

        assertEquals(0, r.status(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(file.toString(), json.get("model").asText());
        assertEquals(6, json.get("nonzeroWeights").asInt());
        assertEquals("[\"noise\"]", json.get("prunedFeatures").toString());
        assertEquals("[\"zip\"]", json.get("featuresFeedingOnlyDeadUnits").toString());
        assertEquals("[1,2]", json.get("hiddenLayers").get(0).get("dead").toString());
        assertEquals("2-1-2", json.get("prunedNetwork").get("network").asText());
        assertEquals(12, json.get("magnitudeHistogram").get("zeros").asInt());
        assertEquals(10, json.get("magnitudeHistogram").get("counts").size());
    }

    @Test
    void readsAVersion1File() throws IOException {
        Path file = dir.resolve("golden-v1.json");
        try (InputStream in = ModelFormat.class.getResourceAsStream("golden-v1.json")) {
            Files.copy(in, file);
        }

        Cli.Result r = Cli.withoutSpark("inspect", "--model", file.toString());

        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("3-2-2 network, tanh, cross-entropy: 10 weights, 9 nonzero (10.0% zero)"), r.out());
    }

    @Test
    void refusesAMissingModelAndBadBins() throws IOException {
        Path missing = dir.resolve("none.json");
        Cli.Result r = Cli.withoutSpark("inspect", "--model", missing.toString());
        assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
        assertEquals("l1net inspect: error: " + missing + ": no such model file\n", r.err());

        Path file = dir.resolve("model.json");
        ModelFormat.write(ModelInspectionTest.handBuilt(), file);
        Cli.Result bins = Cli.withoutSpark("inspect", "--model", file.toString(), "--bins", "0");
        assertEquals(Main.USAGE_ERROR, bins.status(), bins.toString());
        assertEquals("l1net inspect: error: --bins must be 1..1000, got 0\n", bins.err());
    }
}
