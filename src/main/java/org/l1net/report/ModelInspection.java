package org.l1net.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.l1net.model.L1NetModel;
import org.l1net.nn.Topology;
import org.l1net.prune.Pruner;
import org.l1net.prune.Pruning;

/**
 * What L1 did to one trained network: per layer the weights and zeros, the dead hidden units, the
 * inputs it no longer reads (by name), the pruned network and the weight-magnitude histogram.
 * Computed from the parameters alone, so inspect, report.html and a regularization path (one per
 * lambda) all describe a model the same way.
 *
 * @param layers          one entry per weight layer, input side first
 * @param hidden          one entry per hidden layer
 * @param prunedInputs    inputs (0-based) whose first-layer weights are all zero
 * @param idleInputs      other inputs that feed only dead units: the pruned network does not read them either
 * @param pruning         the network predict scores with
 */
public record ModelInspection(String network, String activation, String loss, List<String> featureNames,
                              List<LayerStats> layers, List<HiddenUnits> hidden, List<Integer> prunedInputs,
                              List<Integer> idleInputs, Pruning pruning, WeightHistogram histogram) {

    /** Default bins of the magnitude histogram. */
    public static final int DEFAULT_BINS = 10;

    /**
     * One weight layer l: W [out x in].
     *
     * @param nonzeroBiases biases that are not 0 (a dead unit may keep one)
     */
    public record LayerStats(int layer, int out, int in, long nonzero, int nonzeroBiases) {
        public long weights() {
            return (long) out * in;
        }

        public double zeroFraction() {
            return weights() == 0 ? 0.0 : (double) (weights() - nonzero) / weights();
        }
    }

    /**
     * Hidden layer l (1-based, as in "hidden layer 1") and its dead units (0-based unit numbers): a unit
     * whose every incoming weight is zero computes a constant; one whose every outgoing weight is zero
     * changes nothing.
     *
     * @param kept units of this layer in the pruned network (dead ones gone, and those only they fed)
     */
    public record HiddenUnits(int layer, int units, List<Integer> noInputs, List<Integer> noOutputs, int kept) {
        /** Units with no inputs or no outputs, ascending. */
        public List<Integer> dead() {
            return new ArrayList<>(new java.util.TreeSet<>(concat(noInputs, noOutputs)));
        }
    }

    public ModelInspection {
        featureNames = List.copyOf(featureNames);
        layers = List.copyOf(layers);
        hidden = List.copyOf(hidden);
        prunedInputs = List.copyOf(prunedInputs);
        idleInputs = List.copyOf(idleInputs);
    }

    public static ModelInspection of(L1NetModel model) {
        return of(model.topology(), model.parameters(), model.featureNames(), DEFAULT_BINS);
    }

    public static ModelInspection of(L1NetModel model, int bins) {
        return of(model.topology(), model.parameters(), model.featureNames(), bins);
    }

    public static ModelInspection of(Topology topology, double[] params, List<String> featureNames, int bins) {
        int layerCount = topology.layerCount();
        List<LayerStats> layers = new ArrayList<>();
        // hasOutput[l][i]: unit i of layer l (0: the inputs) has a nonzero weight to layer l + 1;
        // hasInput[l][j]: unit j of layer l has a nonzero weight from layer l - 1
        boolean[][] hasOutput = new boolean[layerCount][];
        boolean[][] hasInput = new boolean[layerCount + 1][];
        for (int l = 0; l < layerCount; l++) {
            int in = topology.size(l);
            int out = topology.size(l + 1);
            int w = topology.weightOffset(l);
            hasOutput[l] = new boolean[in];
            hasInput[l + 1] = new boolean[out];
            long nonzero = 0;
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    if (params[w + j * in + i] != 0.0) {
                        nonzero++;
                        hasOutput[l][i] = true;
                        hasInput[l + 1][j] = true;
                    }
                }
            }
            int biases = 0;
            for (int j = 0; j < out; j++) {
                biases += params[topology.biasOffset(l) + j] != 0.0 ? 1 : 0;
            }
            layers.add(new LayerStats(l + 1, out, in, nonzero, biases));
        }
        Pruning pruning = Pruner.prune(topology, params);
        List<HiddenUnits> hidden = new ArrayList<>();
        for (int l = 1; l < layerCount; l++) {
            hidden.add(new HiddenUnits(l, topology.size(l), unset(hasInput[l]), unset(hasOutput[l]), pruning.kept(l).length));
        }
        List<Integer> pruned = unset(hasOutput[0]);
        List<Integer> idle = new ArrayList<>();
        boolean[] read = new boolean[topology.inputSize()];
        for (int i : pruning.kept(0)) {
            read[i] = true;
        }
        for (int i = 0; i < read.length; i++) {
            if (!read[i] && hasOutput[0][i]) {
                idle.add(i);
            }
        }
        boolean[] isWeight = topology.biasMask();
        for (int i = 0; i < isWeight.length; i++) {
            isWeight[i] = !isWeight[i];
        }
        return new ModelInspection(topology.describe(), topology.activation().cliName(), topology.loss().cliName(),
                featureNames, layers, hidden, pruned, idle, pruning, WeightHistogram.of(params, isWeight, bins));
    }

    public long weights() {
        return layers.stream().mapToLong(LayerStats::weights).sum();
    }

    public long nonzeroWeights() {
        return layers.stream().mapToLong(LayerStats::nonzero).sum();
    }

    /** Names of the inputs the pruned network reads. */
    public List<String> keptFeatures() {
        return names(Arrays.stream(pruning.kept(0)).boxed().toList());
    }

    /** Names of the inputs whose first-layer weights are all zero. */
    public List<String> prunedFeatures() {
        return names(prunedInputs);
    }

    /** Names of the other inputs the pruned network does not read: they feed only dead units. */
    public List<String> idleFeatures() {
        return names(idleInputs);
    }

    private List<String> names(List<Integer> inputs) {
        List<String> names = new ArrayList<>();
        for (int i : inputs) {
            names.add(featureNames.get(i));
        }
        return names;
    }

    /** The plain-text report of {@code l1net inspect}. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        long weights = weights();
        long nonzero = nonzeroWeights();
        sb.append(String.format(Locale.ROOT, "%s network, %s, %s: %d weights, %d nonzero (%.1f%% zero)%n%n", network,
                activation, loss, weights, nonzero, percent(weights - nonzero, weights)));
        sb.append(String.format(Locale.ROOT, "%-6s %-11s %9s %9s %7s  %s%n", "layer", "shape", "weights", "nonzero", "zero",
                "nonzero biases"));
        for (LayerStats s : layers) {
            sb.append(String.format(Locale.ROOT, "%-6d %-11s %9d %9d %6.1f%%  %d/%d%n", s.layer(), s.out() + " x " + s.in(),
                    s.weights(), s.nonzero(), 100 * s.zeroFraction(), s.nonzeroBiases(), s.out()));
        }
        sb.append('\n');
        for (HiddenUnits h : hidden) {
            sb.append(String.format(Locale.ROOT, "hidden layer %d: %d units, %d dead%n", h.layer(), h.units(), h.dead().size()));
            if (!h.noInputs().isEmpty()) {
                sb.append("  every input weight zero (a constant, folded into the next layer's bias): ")
                        .append(join(h.noInputs())).append('\n');
            }
            if (!h.noOutputs().isEmpty()) {
                sb.append("  every output weight zero (no effect): ").append(join(h.noOutputs())).append('\n');
            }
        }
        int inputs = featureNames.size();
        sb.append(String.format(Locale.ROOT, "pruned inputs (every first-layer weight zero): %d of %d%n", prunedInputs.size(),
                inputs));
        if (!prunedInputs.isEmpty()) {
            sb.append("  ").append(String.join(", ", prunedFeatures())).append('\n');
        }
        if (!idleInputs.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "inputs that feed only dead units: %d%n  %s%n", idleInputs.size(),
                    String.join(", ", idleFeatures())));
        }
        var net = pruning.network();
        sb.append(String.format(Locale.ROOT, "pruned network (what predict scores): %s, %d weights stored; reads %d of %d inputs%n",
                net.describe(), net.storedWeights(), net.inputs().length, inputs));
        sb.append('\n').append(histogramText());
        return sb.toString();
    }

    private String histogramText() {
        StringBuilder sb = new StringBuilder();
        WeightHistogram h = histogram;
        sb.append(String.format(Locale.ROOT, "|w| of the %d weights: %d exactly zero, %d nonzero%n", h.total(), h.zeros(),
                h.nonzero()));
        long most = Math.max(1, Arrays.stream(h.counts()).max().orElse(1));
        double[] edges = h.edges();
        long[] counts = h.counts();
        int decimals = edges[edges.length - 1] >= 10 ? 2 : edges[edges.length - 1] >= 0.1 ? 3 : 5;
        for (int b = 0; b < h.bins() && h.nonzero() > 0; b++) {
            String range = String.format(Locale.ROOT, "(%." + decimals + "f, %." + decimals + "f]", edges[b], edges[b + 1]);
            sb.append(String.format(Locale.ROOT, "  %-22s %-40s %d%n", range, "#".repeat((int) Math.round(40.0 * counts[b] / most)),
                    counts[b]));
        }
        return sb.toString();
    }

    /** The same content as a map, for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", network);
        m.put("activation", activation);
        m.put("loss", loss);
        m.put("weights", weights());
        m.put("nonzeroWeights", nonzeroWeights());
        List<Map<String, Object>> layerList = new ArrayList<>();
        for (LayerStats s : layers) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("layer", s.layer());
            l.put("shape", List.of(s.out(), s.in()));
            l.put("weights", s.weights());
            l.put("nonzero", s.nonzero());
            l.put("nonzeroBiases", s.nonzeroBiases());
            layerList.add(l);
        }
        m.put("layers", layerList);
        List<Map<String, Object>> hiddenList = new ArrayList<>();
        for (HiddenUnits h : hidden) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("layer", h.layer());
            l.put("units", h.units());
            l.put("dead", h.dead());
            l.put("noInputWeights", h.noInputs());
            l.put("noOutputWeights", h.noOutputs());
            l.put("keptAfterPruning", h.kept());
            hiddenList.add(l);
        }
        m.put("hiddenLayers", hiddenList);
        m.put("inputs", featureNames.size());
        m.put("prunedFeatures", prunedFeatures());
        m.put("featuresFeedingOnlyDeadUnits", idleFeatures());
        var net = pruning.network();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("network", net.describe());
        p.put("storedWeights", net.storedWeights());
        p.put("features", keptFeatures());
        m.put("prunedNetwork", p);
        Map<String, Object> hist = new LinkedHashMap<>();
        hist.put("zeros", histogram.zeros());
        hist.put("edges", histogram.edges());
        hist.put("counts", histogram.counts());
        m.put("magnitudeHistogram", hist);
        return m;
    }

    private static List<Integer> unset(boolean[] flags) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < flags.length; i++) {
            if (!flags[i]) {
                out.add(i);
            }
        }
        return out;
    }

    private static List<Integer> concat(List<Integer> a, List<Integer> b) {
        List<Integer> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String join(List<Integer> units) {
        StringBuilder sb = new StringBuilder();
        for (int u : units) {
            sb.append(sb.length() == 0 ? "" : ", ").append(u);
        }
        return sb.toString();
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0.0 : 100.0 * part / whole;
    }
}
