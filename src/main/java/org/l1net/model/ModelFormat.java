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
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;

/**
 * model.json, format version 1:
 * <pre>
 * { "format": "l1net-model", "formatVersion": 1,
 *   "layers": [10, 8, 4], "activation": "tanh", "loss": "cross-entropy",
 *   "featureNames": [...], "labelName": "label",
 *   "parameters": [...]   // flat: per layer W [out x in] row-major, then b [out]
 *   "config": {...}, "provenance": {...} }
 * </pre>
 * Doubles are written in their shortest round-trip form, so a saved model reloads bit-identical.
 * A file of another format version is refused.
 */
public final class ModelFormat {
    public static final String FORMAT = "l1net-model";
    public static final int VERSION = 1;

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
        root.put("formatVersion", VERSION);
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
        ArrayNode params = root.putArray("parameters");
        for (double p : model.parameters()) {
            params.add(p);
        }
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
        if (!version.isIntegralNumber() || version.asInt() != VERSION) {
            throw new IllegalArgumentException(file + ": model format version " + version
                    + " is not supported by l1net " + Versions.l1net() + " (it reads version " + VERSION + ")");
        }
        try {
            int[] sizes = intArray(root.required("layers"));
            Topology topology = new Topology(sizes, Activation.fromName(root.required("activation").asText()),
                    OutputLoss.fromName(root.required("loss").asText()));
            JsonNode paramNode = root.required("parameters");
            double[] params = new double[paramNode.size()];
            for (int i = 0; i < params.length; i++) {
                JsonNode p = paramNode.get(i);
                if (!p.isNumber() || !Double.isFinite(p.asDouble())) {
                    throw new IllegalArgumentException("parameter " + i + " is not a finite number: " + p);
                }
                params[i] = p.asDouble();
            }
            List<String> names = new ArrayList<>();
            root.required("featureNames").forEach(n -> names.add(n.asText()));
            JsonNode label = root.path("labelName");
            return new L1NetModel(topology, params, names, label.isNull() || label.isMissingNode() ? null : label.asText(),
                    toMap(root.path("config")), toMap(root.path("provenance")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": invalid model: " + e.getMessage(), e);
        }
    }

    private static int[] intArray(JsonNode node) {
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asInt();
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
