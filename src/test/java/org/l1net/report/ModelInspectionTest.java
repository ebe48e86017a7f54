package org.l1net.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.l1net.model.L1NetModel;
import org.l1net.nn.Activation;
import org.l1net.nn.OutputLoss;
import org.l1net.nn.Topology;

/** inspect's figures on a network wired by hand, where every zero, dead unit and pruned input is known. */
public class ModelInspectionTest {

    /**
     * A 4-3-2 network. Hidden unit 0 reads age and income; unit 1 reads nothing (a constant); unit 2 reads
     * zip but feeds no class. "noise" has no weights at all; "zip" feeds only the dead unit 2.
     */
    public static L1NetModel handBuilt() {
        Topology topology = new Topology(new int[] {4, 3, 2}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        double[] p = {
            // W1 [3 x 4]: age, income, noise, zip
            0.5, -1.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 2.0,
            // b1
            0.1, 0.7, 0.0,
            // W2 [2 x 3]
            1.5, -0.5, 0.0,
            -1.5, 0.0, 0.0,
            // b2
            0.2, -0.2};
        return new L1NetModel(topology, p, List.of("age", "income", "noise", "zip"), "label", Map.of(), Map.of());
    }

    @Test
    void findsZerosDeadUnitsAndPrunedInputsByName() {
        ModelInspection inspection = ModelInspection.of(handBuilt(), 4);

        assertEquals(List.of(new ModelInspection.LayerStats(1, 3, 4, 3, 2), new ModelInspection.LayerStats(2, 2, 3, 3, 2)),
                inspection.layers());
        assertEquals(18, inspection.weights());
        assertEquals(6, inspection.nonzeroWeights());
        ModelInspection.HiddenUnits hidden = inspection.hidden().get(0);
        assertEquals(List.of(1), hidden.noInputs(), "unit 1 reads nothing");
        assertEquals(List.of(2), hidden.noOutputs(), "unit 2 feeds nothing");
        assertEquals(List.of(1, 2), hidden.dead());
        assertEquals(1, hidden.kept());
        assertEquals(List.of("noise"), inspection.prunedFeatures());
        assertEquals(List.of("zip"), inspection.idleFeatures());
        assertEquals(List.of("age", "income"), inspection.keptFeatures());
        assertEquals("2-1-2", inspection.pruning().network().describe());
    }

    @Test
    void histogramCountsZerosApartAndBinsTheRestUpToTheLargest() {
        WeightHistogram h = ModelInspection.of(handBuilt(), 4).histogram();

        assertEquals(12, h.zeros());
        assertArrayEquals(new double[] {0, 0.5, 1.0, 1.5, 2.0}, h.edges());
        // |w| = 0.5, 1.0, 2.0, 1.5, 0.5, 1.5; a value on an edge belongs to the bin below it
        assertArrayEquals(new long[] {2, 1, 2, 1}, h.counts());
        assertEquals(18, h.total());
    }

    @Test
    void aNetworkWithNoWeightsHasOnlyZerosAndEmptyBins() {
        Topology topology = new Topology(new int[] {2, 2}, Activation.TANH, OutputLoss.CROSS_ENTROPY);
        L1NetModel model = new L1NetModel(topology, new double[] {0, 0, 0, 0, 1, -1}, List.of("a", "b"), null,
                Map.of(), Map.of());
        ModelInspection inspection = ModelInspection.of(model, 3);

        assertEquals(4, inspection.histogram().zeros());
        assertArrayEquals(new long[] {0, 0, 0}, inspection.histogram().counts());
        assertEquals(List.of("a", "b"), inspection.prunedFeatures());
        assertTrue(inspection.hidden().isEmpty());
        assertTrue(inspection.toText().contains("pruned inputs (every first-layer weight zero): 2 of 2\n  a, b\n"),
                inspection.toText());
    }

    @Test
    void textNamesEveryFinding() {
        String text = ModelInspection.of(handBuilt(), 4).toText();

        assertTrue(text.startsWith("4-3-2 network, tanh, cross-entropy: 18 weights, 6 nonzero (66.7% zero)\n"), text);
        assertTrue(text.contains("\n1      3 x 4              12         3   75.0%  2/3\n"), text);
        assertTrue(text.contains("\n2      2 x 3               6         3   50.0%  2/2\n"), text);
        assertTrue(text.contains("hidden layer 1: 3 units, 2 dead\n"
                + "  every input weight zero (a constant, folded into the next layer's bias): 1\n"
                + "  every output weight zero (no effect): 2\n"), text);
        assertTrue(text.contains("pruned inputs (every first-layer weight zero): 1 of 4\n  noise\n"), text);
        assertTrue(text.contains("inputs that feed only dead units: 1\n  zip\n"), text);
        assertTrue(text.contains("pruned network (what predict scores): 2-1-2, 4 weights stored; reads 2 of 4 inputs\n"), text);
        assertTrue(text.contains("|w| of the 18 weights: 12 exactly zero, 6 nonzero\n"), text);
        assertTrue(text.contains("  (0.000, 0.500]         ########################################"), text);
    }

    @Test
    void mapCarriesTheSameFindings() {
        Map<String, Object> m = new LinkedHashMap<>(ModelInspection.of(handBuilt(), 4).toMap());

        assertEquals("4-3-2", m.get("network"));
        assertEquals(6L, m.get("nonzeroWeights"));
        assertEquals(List.of("noise"), m.get("prunedFeatures"));
        assertEquals(List.of("zip"), m.get("featuresFeedingOnlyDeadUnits"));
        @SuppressWarnings("unchecked")
        Map<String, Object> hidden = ((List<Map<String, Object>>) m.get("hiddenLayers")).get(0);
        assertEquals(List.of(1, 2), hidden.get("dead"));
    }
}
