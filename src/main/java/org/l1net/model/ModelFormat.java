package org.l1net.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l1net.data.Standardizer;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;

/**
 * model.json, format version 2:
 * <pre>
 * { "format": "l1net-model", "formatVersion": 2,
 *   "layers": [10, 8, 4], "activation": "tanh", "loss": "cross-entropy",
 *   "featureNames": [...], "labelName": "label",
 *   "config": {...}, "provenance": {...},
 *   "weights": [            // one entry per weight layer l: W_l [out x in] as compressed sparse rows, and b_l
 *     { "shape": [8, 10],
 *       "rowStart": [0, 2, 2, ...],   // out + 1 offsets: row j is entries rowStart[j] .. rowStart[j + 1] - 1
 *       "columns": [3, 7, ...],       // the input unit of each entry, ascending within a row
 *       "values": [0.41, -1.2, ...],  // the weight of each entry
 *       "bias": [...] }, ... ] }
 * </pre>
 * Only the nonzero weights are written, so an L1-trained model's file shrinks with its network: a pruned
 * input or a dead unit leaves no entries. (A -0.0 weight is written, to keep every bit.)
 *
 * <p>Version 3 adds what a model trained on named classes or standardized inputs needs to score:
 * <pre>
 *   "classNames": ["cat", "dog", ...],              // class c is the c-th name (labels were names)
 *   "standardization": { "mean": [...], "std": [...] }  // per feature; inputs become (x - mean) / std
 * </pre>
 * A model with neither is written as version 2, which older l1net versions read; one with either is
 * version 3, which they refuse by its version instead of scoring with the wrong classes or inputs.
 *
 * <p>Version 1 (l1net 0.1.0) had the dense flat vector instead of "weights": "parameters": [...], per layer
 * W [out x in] row-major, then b [out]. Versions 1 to 3 are read. l1net 0.1.0 refuses a version 2 or 3
 * file by its version. Doubles are written in their shortest round-trip form, so a saved model reloads
 * bit-identical. A file of any other format version is refused.
 */
public final class ModelFormat {
    public static final String FORMAT = "l1net-model";
    /** The newest version, written for models with class names or standardization. */
    public static final int VERSION = 3;
    /** The version written for models without them. */
    public static final int PLAIN_VERSION = 2;
    /** The oldest version read. */
    public static final int OLDEST_READ = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFormat() {
    }

    /** Writes the model atomically. */
    public static void write(L1NetModel model, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(model));
    }

    public static String toJson(L1NetModel model) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        boolean plain = model.classNames() == null && model.standardizer() == null;
        root.put("formatVersion", plain ? PLAIN_VERSION : VERSION);
        ArrayNode layers = root.putArray("layers");
        for (int size : model.topology().sizes()) {
            layers.add(size);
        }
        root.put("activation", model.topology().activation().cliName());
        root.put("loss", model.topology().loss().cliName());
        ArrayNode names = root.putArray("featureNames");
        model.featureNames().forEach(names::add);
        root.put("labelName", model.labelName());
        root.set("config", MAPPER.valueToTree(model.config()));
        root.set("provenance", MAPPER.valueToTree(model.provenance()));
        if (model.classNames() != null) {
            ArrayNode classes = root.putArray("classNames");
            model.classNames().forEach(classes::add);
        }
        if (model.standardizer() != null) {
            ObjectNode standardization = root.putObject("standardization");
            ArrayNode mean = standardization.putArray("mean");
            ArrayNode std = standardization.putArray("std");
            for (int j = 0; j < model.standardizer().features(); j++) {
                mean.add(model.standardizer().mean()[j]);
                std.add(model.standardizer().std()[j]);
            }
        }
        writeWeights(root.putArray("weights"), model.topology(), model.parametersView());
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize the model", e);
        }
    }

    /** Reads and validates a model file; the error names the file and what is wrong. */
    public static L1NetModel read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such model file");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not a valid JSON model file (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException(file + ": not an l1net model (missing \"format\": \"" + FORMAT + "\")");
        }
        JsonNode version = root.path("formatVersion");
        if (version.isMissingNode()) {
            throw new IllegalArgumentException(file + ": not an l1net model (missing \"formatVersion\")");
        }
        // isIntegralNumber: asInt would read 1.5 or "1" as version 1
        if (!version.isIntegralNumber() || version.asInt() < OLDEST_READ || version.asInt() > VERSION) {
            throw new IllegalArgumentException(file + ": model format version " + version
                    + " is not supported by l1net " + Versions.l1net() + " (it reads versions " + OLDEST_READ
                    + " to " + VERSION + ")");
        }
        try {
            int[] sizes = intArray(root.required("layers"));
            Topology topology = new Topology(sizes, Activation.fromName(root.required("activation").asText()),
                    OutputLoss.fromName(root.required("loss").asText()));
            double[] params = version.asInt() == 1
                    ? denseParameters(root.required("parameters"))
                    : readWeights(root.required("weights"), topology);
            List<String> names = new ArrayList<>();
            root.required("featureNames").forEach(n -> names.add(n.asText()));
            JsonNode label = root.path("labelName");
            List<String> classNames = null;
            Standardizer standardizer = null;
            if (version.asInt() >= 3) {
                JsonNode classes = root.path("classNames");
                if (!classes.isMissingNode() && !classes.isNull()) {
                    classNames = new ArrayList<>();
                    for (JsonNode c : classes) {
                        if (!c.isTextual()) {
                            throw new IllegalArgumentException("classNames: expected strings, got " + c);
                        }
                        classNames.add(c.asText());
                    }
                    if (new java.util.HashSet<>(classNames).size() != classNames.size()) {
                        throw new IllegalArgumentException("classNames has a name twice: " + classNames);
                    }
                }
                JsonNode standardization = root.path("standardization");
                if (!standardization.isMissingNode() && !standardization.isNull()) {
                    standardizer = new Standardizer(doubles(standardization.required("mean"), "standardization mean"),
                            doubles(standardization.required("std"), "standardization std"));
                }
            }
            return new L1NetModel(topology, params, names, label.isNull() || label.isMissingNode() ? null : label.asText(),
                    toMap(root.path("config")), toMap(root.path("provenance")), classNames, standardizer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": invalid model: " + e.getMessage(), e);
        }
    }

    private static double[] doubles(JsonNode node, String what) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = finite(node.get(i), what + " " + i);
        }
        return out;
    }

    /** Version 1: the flat vector as one array. */
    private static double[] denseParameters(JsonNode node) {
        double[] params = new double[node.size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = finite(node.get(i), "parameter " + i);
        }
        return params;
    }

    private static void writeWeights(ArrayNode layers, Topology topology, double[] params) {
        for (int l = 0; l < topology.layerCount(); l++) {
            int in = topology.size(l);
            int out = topology.size(l + 1);
            int w = topology.weightOffset(l);
            ObjectNode layer = layers.addObject();
            layer.putArray("shape").add(out).add(in);
            ArrayNode rowStart = layer.putArray("rowStart");
            ArrayNode columns = layer.putArray("columns");
            ArrayNode values = layer.putArray("values");
            int entries = 0;
            rowStart.add(0);
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    double v = params[w + j * in + i];
                    if (Double.doubleToRawLongBits(v) != 0L) {
                        columns.add(i);
                        values.add(v);
                        entries++;
                    }
                }
                rowStart.add(entries);
            }
            ArrayNode bias = layer.putArray("bias");
            for (int j = 0; j < out; j++) {
                bias.add(params[topology.biasOffset(l) + j]);
            }
        }
    }

    /** Version 2: each layer's sparse rows and biases back into the flat vector; every index is checked. */
    private static double[] readWeights(JsonNode layers, Topology topology) {
        if (!layers.isArray() || layers.size() != topology.layerCount()) {
            throw new IllegalArgumentException("\"weights\" must list " + topology.layerCount() + " layers for the "
                    + topology.describe() + " network, got " + (layers.isArray() ? layers.size() : layers.getNodeType()));
        }
        double[] params = new double[topology.parameterCount()];
        for (int l = 0; l < topology.layerCount(); l++) {
            String where = "weights layer " + (l + 1);
            JsonNode layer = layers.get(l);
            int in = topology.size(l);
            int out = topology.size(l + 1);
            int[] shape = intArray(layer.required("shape"));
            if (shape.length != 2 || shape[0] != out || shape[1] != in) {
                throw new IllegalArgumentException(where + ": shape " + java.util.Arrays.toString(shape)
                        + " does not match the " + topology.describe() + " network's [" + out + ", " + in + "]");
            }
            int[] rowStart = intArray(layer.required("rowStart"));
            JsonNode columns = layer.required("columns");
            JsonNode values = layer.required("values");
            if (rowStart.length != out + 1 || rowStart[0] != 0 || columns.size() != values.size()
                    || rowStart[out] != values.size()) {
                throw new IllegalArgumentException(where + ": rowStart must have " + (out + 1) + " offsets from 0 to "
                        + "the number of values, with one column per value");
            }
            for (int j = 0; j < out; j++) {
                if (rowStart[j + 1] < rowStart[j]) {
                    throw new IllegalArgumentException(where + ": rowStart decreases at row " + j);
                }
            }
            int w = topology.weightOffset(l);
            for (int j = 0; j < out; j++) {
                int previous = -1;
                for (int k = rowStart[j]; k < rowStart[j + 1]; k++) {
                    JsonNode c = columns.get(k);
                    if (!c.isIntegralNumber() || c.asInt() <= previous || c.asInt() >= in) {
                        throw new IllegalArgumentException(where + ": row " + j + " column " + c
                                + " is not an ascending index below " + in);
                    }
                    previous = c.asInt();
                    params[w + j * in + previous] = finite(values.get(k), where + " value " + k);
                }
            }
            JsonNode bias = layer.required("bias");
            if (bias.size() != out) {
                throw new IllegalArgumentException(where + ": " + out + " biases expected, got " + bias.size());
            }
            for (int j = 0; j < out; j++) {
                params[topology.biasOffset(l) + j] = finite(bias.get(j), where + " bias " + j);
            }
        }
        return params;
    }

    private static double finite(JsonNode p, String what) {
        if (!p.isNumber() || !Double.isFinite(p.asDouble())) {
            throw new IllegalArgumentException(what + " is not a finite number: " + p);
        }
        return p.asDouble();
    }

    private static int[] intArray(JsonNode node) {
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = node.get(i);
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new IllegalArgumentException("expected a whole number, got " + n);
            }
            out[i] = n.asInt();
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return new LinkedHashMap<>();
        }
        return MAPPER.convertValue(node, LinkedHashMap.class);
    }
}
