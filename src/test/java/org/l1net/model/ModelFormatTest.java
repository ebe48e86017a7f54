package org.l1net.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.ReferenceNetwork;
import org.l1net.nn.Topology;

/** model.json: a saved model comes back bit for bit, and whatever is not a readable model is refused by name. */
class ModelFormatTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryBitAndEveryPrediction() throws IOException {
        Topology topology = new Topology(new int[] {5, 7, 3, 4}, Activation.RELU, OutputLoss.MEAN_SQUARED_ERROR);
        SplittableRandom random = new SplittableRandom(42);
        double[] params = new double[topology.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = random.nextGaussian() * Math.pow(10, random.nextInt(-8, 3));
        }
        // values whose shortest decimal form is easy to get wrong
        double[] awkward = {-0.0, 0.0, Double.MIN_VALUE, Double.MIN_NORMAL, 0.1 + 0.2, 1.0 / 3, -Double.MAX_VALUE,
                4.35, 1e-300, 123456789.98765433, Math.nextUp(1.0)};
        System.arraycopy(awkward, 0, params, 0, awkward.length);
        L1NetModel model = model(topology, params, "target");
        Path file = dir.resolve("model.json");

        ModelFormat.write(model, file);
        L1NetModel loaded = ModelFormat.read(file);

        assertEquals(topology, loaded.topology());
        assertArrayEquals(rawBits(params), rawBits(loaded.parameters()), "parameters bit for bit");
        assertEquals(model.featureNames(), loaded.featureNames());
        assertEquals("target", loaded.labelName());
        assertEquals(ModelFormat.toJson(model), ModelFormat.toJson(loaded), "the file reproduces itself");

        int rows = 37;
        float[] x = new float[rows * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 4 - 2);
        }
        double[] before = model.scorer().probabilities(x, rows).clone();
        double[] after = loaded.scorer().probabilities(x, rows);
        assertArrayEquals(rawBits(before), rawBits(after), "identical predictions on a block");
    }

    @Test
    void aModelWithoutALabelNameRoundTrips() throws IOException {
        Topology topology = new Topology(new int[] {2, 3}, Activation.SIGMOID, OutputLoss.CROSS_ENTROPY);
        Path file = dir.resolve("model.json");
        ModelFormat.write(model(topology, new double[topology.parameterCount()], null), file);
        assertNull(ModelFormat.read(file).labelName());
    }

    /**
     * Format version 1 and 2 files written by hand (src/test/resources), the same 3-2-2 network: later
     * versions of l1net must still read them, with the parameters in the documented order, and score
     * as the plain reference forward pass does.
     */
    @Test
    void readsTheHandWrittenVersion1And2Files() throws IOException {
        double[] expectedParams = {0.5, -1.0, 0.25, 2.0, 0.0, -0.75, 0.1, -0.2, 1.5, -2.0, -0.5, 1.0, 0.0, 0.3};
        for (String name : new String[] {"golden-v1.json", "golden-v2.json"}) {
            Path file = write(name, golden(name));

            L1NetModel model = ModelFormat.read(file);

            assertEquals(new Topology(new int[] {3, 2, 2}, Activation.TANH, OutputLoss.CROSS_ENTROPY), model.topology(), name);
            assertArrayEquals(expectedParams, model.parameters(), name);
            assertEquals(List.of("a", "b", "c"), model.featureNames());
            assertEquals("y", model.labelName());
            assertEquals(10, ((Number) model.config().get("epochs")).intValue());
            float[][] rows = {{0.5f, -1.0f, 2.0f}, {0f, 0f, 0f}, {-1.5f, 0.25f, 0.75f}};
            float[] block = new float[9];
            for (int r = 0; r < 3; r++) {
                System.arraycopy(rows[r], 0, block, r * 3, 3);
            }
            ReferenceNetwork reference = new ReferenceNetwork(new int[] {3, 2, 2}, "tanh", "cross-entropy", expectedParams);
            for (L1NetModel.Scorer scorer : List.of(model.scorer(), model.denseScorer())) {
                double[] p = scorer.probabilities(block, 3);
                for (int r = 0; r < 3; r++) {
                    double[] expected = reference.probabilities(new double[] {rows[r][0], rows[r][1], rows[r][2]});
                    for (int k = 0; k < 2; k++) {
                        assertEquals(expected[k], p[r * 2 + k], 1e-15, name + " row " + r + " class " + k);
                    }
                }
            }
        }
    }

    /** A version 1 model is written back as version 2, with the same parameters: the upgrade path. */
    @Test
    void aVersion1ModelIsRewrittenAsVersion2() throws IOException {
        L1NetModel v1 = ModelFormat.read(write("golden-v1.json", golden("golden-v1.json")));
        Path file = dir.resolve("upgraded.json");

        ModelFormat.write(v1, file);

        assertTrue(Files.readString(file).contains("\"formatVersion\" : 2,"));
        assertArrayEquals(rawBits(v1.parameters()), rawBits(ModelFormat.read(file).parameters()));
    }

    /** Only nonzero weights are stored: a layer's entries are its nonzero weights, and a zero input has none. */
    @Test
    void storesOnlyTheNonzeroWeights() throws IOException {
        Topology topology = new Topology(new int[] {20, 6, 3}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        SplittableRandom random = new SplittableRandom(3);
        double[] params = new double[topology.parameterCount()];
        int nonzero = 0;
        for (int i = 0; i < params.length; i++) {
            boolean bias = topology.biasMask()[i];
            boolean zeroColumn = i < topology.biasOffset(0) && (i - topology.weightOffset(0)) % 20 >= 5;
            params[i] = bias ? random.nextGaussian() : zeroColumn || random.nextInt(3) == 0 ? 0.0 : random.nextGaussian();
            nonzero += !bias && params[i] != 0.0 ? 1 : 0;
        }
        L1NetModel model = model(topology, params, "label");
        Path file = dir.resolve("sparse.json");
        ModelFormat.write(model, file);

        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        int entries = 0;
        for (var layer : root.get("weights")) {
            entries += layer.get("values").size();
            for (var column : layer.get("columns")) {
                assertTrue(layer != root.get("weights").get(0) || column.asInt() < 5, "columns 5..19 of layer 1 are zero");
            }
        }
        assertEquals(nonzero, entries);
        assertArrayEquals(rawBits(params), rawBits(ModelFormat.read(file).parameters()));
    }

    /**
     * golden-v3.json (written by hand): the 3-2-2 network with class names and a standardization whose third
     * feature has zero variance. Scores must be the reference forward pass of (x - mean) / std, with the
     * zero-variance feature only centered; written back, the file is version 3 again and reproduces itself.
     */
    @Test
    void readsTheHandWrittenVersion3FileWithClassNamesAndStandardization() throws IOException {
        L1NetModel model = ModelFormat.read(write("golden-v3.json", golden("golden-v3.json")));
        assertEquals(List.of("no", "yes"), model.classNames());
        assertEquals("yes", model.className(1));
        assertArrayEquals(new double[] {1.0, -0.5, 0.0}, model.standardizer().mean());
        assertArrayEquals(new double[] {2.0, 0.25, 0.0}, model.standardizer().std());
        double[] params = {0.5, -1.0, 0.25, 2.0, 0.0, -0.75, 0.1, -0.2, 1.5, -2.0, -0.5, 1.0, 0.0, 0.3};
        assertArrayEquals(params, model.parameters());
        double[] raw = {3.0, -0.25, 7.0};
        float[] x = new float[3];
        org.l1net.data.Standardizer.pack(raw, 3, model.standardizer(), x, 0);
        assertArrayEquals(new float[] {1.0f, 1.0f, 7.0f}, x, "(3 - 1) / 2, (-0.25 + 0.5) / 0.25, 7 - 0 (std 0)");
        double[] expected = new ReferenceNetwork(new int[] {3, 2, 2}, "tanh", "cross-entropy", params)
                .probabilities(new double[] {1.0, 1.0, 7.0});
        assertArrayEquals(expected, model.scorer().probabilities(x, 1).clone(), 1e-15);

        String json = ModelFormat.toJson(model);
        assertTrue(json.contains("\"formatVersion\" : 3,"), json);
        assertEquals(json, ModelFormat.toJson(ModelFormat.read(write("again.json", json))));
        L1NetModel plain = new L1NetModel(model.topology(), params, model.featureNames(), "y", Map.of(), Map.of());
        assertTrue(ModelFormat.toJson(plain).contains("\"formatVersion\" : 2,"), "a model without either stays version 2");
        assertTrue(!ModelFormat.toJson(plain).contains("classNames") && !ModelFormat.toJson(plain).contains("standardization"));
    }

    @Test
    void badClassNamesAndStandardizationAreRefused() throws IOException {
        String v3 = golden("golden-v3.json");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(v3.replace("[ \"no\", \"yes\" ]", "[ \"no\", \"no\" ]"), "classNames has a name twice: [no, no]");
        cases.put(v3.replace("[ \"no\", \"yes\" ]", "[ \"no\" ]"), "The network has 2 classes, but 1 class names were given");
        cases.put(v3.replace("[ \"no\", \"yes\" ]", "[ \"no\", 1 ]"), "classNames: expected strings, got 1");
        cases.put(v3.replace("\"std\" : [ 2.0, 0.25, 0.0 ]", "\"std\" : [ 2.0, -0.25, 0.0 ]"),
                "standardization of feature 1: mean -0.5, std -0.25 (expected finite values and std >= 0)");
        cases.put(v3.replace("\"mean\" : [ 1.0, -0.5, 0.0 ]", "\"mean\" : [ 1.0, -0.5 ]"),
                "standardization has 2 means and 3 standard deviations");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertTrue(!c.getKey().equals(v3), "case " + n + " changed nothing");
            Path file = write("bad3-" + n++ + ".json", c.getKey());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFormat.read(file));
            assertTrue(e.getMessage().startsWith(file + ": invalid model: ") && e.getMessage().endsWith(c.getValue()),
                    e.getMessage());
        }
    }

    @Test
    void unknownFormatVersionIsRefused() throws IOException {
        String json = savedJson();
        for (String version : new String[] {"4", "0", "1.5", "\"one\"", "\"2\""}) {
            Path file = write("v" + version.replace("\"", "") + ".json",
                    json.replace("\"formatVersion\" : 2", "\"formatVersion\" : " + version));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFormat.read(file));
            assertEquals(file + ": model format version " + version + " is not supported by l1net "
                    + Versions.l1net() + " (it reads versions 1 to 3)", e.getMessage());
        }
    }

    @Test
    void missingFormatVersionIsRefused() throws IOException {
        Path file = write("noversion.json", savedJson().replace("\"formatVersion\" : 2,", ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFormat.read(file));
        assertEquals(file + ": not an l1net model (missing \"formatVersion\")", e.getMessage());
    }

    @Test
    void filesThatAreNotL1netModelsAreRefusedByName() throws IOException {
        String json = savedJson();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("other.json", "{\"format\": \"keras\", \"formatVersion\": 1}");
        cases.put("array.json", "[1, 2, 3]");
        cases.put("empty.json", "");
        cases.put("data.csv", "x0,x1,label\n0.5,0.25,1\n");
        cases.put("truncated.json", json.substring(0, json.length() / 2));
        cases.put("nan.json", json.replace("\"values\" : [ ", "\"values\" : [ NaN, "));
        Map<String, String> expected = Map.of(
                "other.json", "not an l1net model",
                "array.json", "not an l1net model",
                "empty.json", "not an l1net model",
                "data.csv", "not a valid JSON model file",
                "truncated.json", "not a valid JSON model file",
                "nan.json", "not a valid JSON model file");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = write(c.getKey(), c.getValue());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFormat.read(file),
                    c.getKey());
            assertTrue(e.getMessage().startsWith(file + ": " + expected.get(c.getKey())), e.getMessage());
        }
    }

    @Test
    void inconsistentModelsAreRefusedByName() throws IOException {
        String json = savedJson(); // a 3-4-2 tanh network, 3 feature names; layer 1 has 10 nonzero weights
        String layer1 = "\"rowStart\" : [ 0, 2, 5, 8, 10 ],\n    \"columns\" : [ 0, 1, 0, 1, 2, 0, 1, 2, 1, 2 ],\n"
                + "    \"values\" : [ -0.25, ";
        assertTrue(json.contains(layer1), json);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(json.replace("[ 4, 3 ]", "[ 3, 4 ]"), "weights layer 1: shape [3, 4] does not match the 3-4-2 network's [4, 3]");
        cases.put(json.replace("[ 0, 2, 5, 8, 10 ]", "[ 0, 2, 5, 8, 9 ]"), "weights layer 1: rowStart must have 5 offsets");
        cases.put(json.replace("[ 0, 2, 5, 8, 10 ]", "[ 0, 5, 2, 8, 10 ]"), "weights layer 1: rowStart decreases at row 1");
        cases.put(json.replace("[ 0, 1, 0, 1, 2, 0,", "[ 0, 3, 0, 1, 2, 0,"), "weights layer 1: row 0 column 3 is not an ascending index below 3");
        cases.put(json.replace("[ 0, 1, 0, 1, 2, 0,", "[ 1, 0, 0, 1, 2, 0,"), "weights layer 1: row 0 column 0 is not an ascending");
        cases.put(json.replace("[ 0, 1, 0, 1, 2, 0,", "[ 0, 1.5, 0, 1, 2, 0,"), "column 1.5 is not an ascending");
        cases.put(json.replace("\"values\" : [ -0.25, ", "\"values\" : [ \"abc\", "), "weights layer 1 value 0 is not a finite number");
        cases.put(json.replace("\"values\" : [ -0.25, ", "\"values\" : [ 1e999, "), "weights layer 1 value 0 is not a finite number");
        cases.put(json.replace("[ 0.125, 0.25 ]", "[ 0.125 ]"), "weights layer 2: 2 biases expected, got 1");
        cases.put(json.replace("[ 0.125, 0.25 ]", "[ 0.125, 1e999 ]"), "weights layer 2 bias 1 is not a finite number");
        cases.put(json.replace("\"weights\"", "\"parameters\""), "weights");
        cases.put(json.replace("\"x2\" ]", "\"x2\", \"x3\" ]"), "The network takes 3 inputs, but 4 feature names");
        cases.put(json.replace("[ 3, 4, 2 ]", "[ 3, 0, 2 ]"), "Layer sizes must be positive");
        cases.put(json.replace("[ 3, 4, 2 ]", "[ 3, 4, 2, 2 ]"), "\"weights\" must list 3 layers for the 3-4-2-2 network, got 2");
        cases.put(json.replace("\"tanh\"", "\"swish\""), "swish");
        cases.put(json.replace("\"layers\" : [ 3, 4, 2 ],", ""), "layers");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertTrue(!c.getKey().equals(json), "case " + n + " changed nothing");
            Path file = write("bad-" + n++ + ".json", c.getKey());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFormat.read(file),
                    c.getValue());
            assertTrue(e.getMessage().startsWith(file + ": invalid model: "), e.getMessage());
            assertTrue(e.getMessage().contains(c.getValue()), "expected '" + c.getValue() + "' in " + e.getMessage());
        }
    }

    /** Version 1 files are still checked: the dense vector must fit the layers. */
    @Test
    void inconsistentVersion1ModelsAreRefusedByName() throws IOException {
        String golden = golden("golden-v1.json"); // 3-2-2: 14 parameters
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(golden.replace("[ 0.5, -1.0, ", "[ -1.0, "), "The 3-2-2 network has 14 parameters, got 13");
        cases.put(golden.replace("[ 0.5, -1.0, ", "[ 0.5, 0.5, -1.0, "), "has 14 parameters, got 15");
        cases.put(golden.replace("[ 0.5, -1.0, ", "[ \"abc\", -1.0, "), "parameter 0 is not a finite number");
        cases.put(golden.replace("[ 0.5, -1.0, ", "[ 1e999, -1.0, "), "parameter 0 is not a finite number");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertTrue(!c.getKey().equals(golden), "case " + n + " changed nothing");
            Path file = write("bad-v1-" + n++ + ".json", c.getKey());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFormat.read(file));
            assertTrue(e.getMessage().startsWith(file + ": invalid model: "), e.getMessage());
            assertTrue(e.getMessage().contains(c.getValue()), "expected '" + c.getValue() + "' in " + e.getMessage());
        }
    }

    @Test
    void missingFileIsRefusedByName() {
        Path file = dir.resolve("nowhere/model.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFormat.read(file));
        assertEquals(file + ": no such model file", e.getMessage());
    }

    @Test
    void writeLeavesOnlyTheModelAndReplacesAnOldOneWhole() throws IOException {
        Path file = dir.resolve("run/model.json");
        Topology big = new Topology(new int[] {20, 30, 4}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        ModelFormat.write(model(big, new double[big.parameterCount()], "label"), file);
        Topology small = new Topology(new int[] {2, 2}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        L1NetModel replacement = model(small, new double[] {1, 2, 3, 4, 5, 6}, "label");

        ModelFormat.write(replacement, file);

        assertEquals(ModelFormat.toJson(replacement), Files.readString(file), "no trace of the larger old file");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    private String savedJson() throws IOException {
        Topology topology = new Topology(new int[] {3, 4, 2}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        double[] params = new double[topology.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (i % 7) * 0.125 - 0.25;
        }
        Path file = dir.resolve("saved.json");
        ModelFormat.write(model(topology, params, "label"), file);
        String json = Files.readString(file);
        assertTrue(json.contains("\"formatVersion\" : 2,") && json.contains("\"values\" : [ ")
                && json.contains("[ 3, 4, 2 ]") && json.contains("\"x2\" ]"), "the layout these tests edit:\n" + json);
        return json;
    }

    private String golden(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static L1NetModel model(Topology topology, double[] params, String labelName) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < topology.inputSize(); j++) {
            names.add("x" + j);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("epochs", 20);
        config.put("l1", 0.01);
        config.put("layers", null);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("seed", 7L);
        provenance.put("trainData", "/data/train.csv");
        return new L1NetModel(topology, params, names, labelName, config, provenance);
    }

    private static long[] rawBits(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }
}
