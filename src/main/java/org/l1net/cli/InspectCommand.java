package org.l1net.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;
import org.l1net.report.ModelInspection;
import org.l1net.report.RunFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code l1net inspect}: what L1 did to a saved model: weights and zeros per layer, dead hidden units,
 * pruned inputs by name, the pruned network and a magnitude histogram. Reads only the model file; no Spark.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show a saved model's zeros, dead units, pruned inputs and weight magnitudes.")
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "A model.json written by train.")
    Path modelFile;

    @Option(names = "--json", description = "Print JSON instead of text (default: off).")
    boolean json;

    @Option(names = "--bins", defaultValue = "10", description = "Bins of the |w| histogram (default: ${DEFAULT-VALUE}).")
    int bins;

    @Override
    public Integer call() throws IOException {
        if (bins < 1 || bins > 1000) {
            throw new IllegalArgumentException("--bins must be 1..1000, got " + bins);
        }
        L1NetModel model = ModelFormat.read(modelFile);
        ModelInspection inspection = ModelInspection.of(model, bins);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", modelFile.toString());
            m.putAll(inspection.toMap());
            out.print(RunFiles.toJson(m));
        } else {
            out.println("model " + modelFile);
            out.print(inspection.toText());
        }
        out.flush();
        return 0;
    }
}
