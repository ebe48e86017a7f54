package org.l1net.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.l1net.nn.KernelPath;
import org.l1net.nn.Topology;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link KernelBenchmark} with JMH (any JMH command-line option passes through, e.g.
 * {@code -p layers=10-8-4 -p path=VECTOR -wi 2 -i 3}) and prints one line per case: blocks/s,
 * rows/s and GFLOP/s of one thread.
 */
public final class KernelBench {
    private KernelBench() {
    }

    public static void main(String[] args) throws RunnerException, org.openjdk.jmh.runner.options.CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        Options options = new OptionsBuilder().parent(cli).include(KernelBenchmark.class.getSimpleName()).build();
        System.out.println("kernel paths: vector available " + KernelPath.vectorAvailable() + "; "
                + Runtime.getRuntime().availableProcessors() + " cpus; "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        Collection<RunResult> results = new Runner(options).run();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-12s %-7s %-8s %6s %12s %12s %14s %9s",
                "layers", "path", "act", "rows", "blocks/s", "+-", "rows/s", "GFLOP/s"));
        for (RunResult result : results) {
            String layers = result.getParams().getParam("layers");
            String path = result.getParams().getParam("path");
            String activation = result.getParams().getParam("activation");
            Topology topology = KernelBenchmark.topology(layers, activation);
            int rows = KernelBenchmark.blockRows(topology, Integer.parseInt(result.getParams().getParam("rows")));
            double blocks = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            double rowsPerSecond = blocks * rows;
            lines.add(String.format(Locale.ROOT, "%-12s %-7s %-8s %6d %12.1f %12.1f %14.0f %9.2f",
                    layers, path, activation, rows, blocks, error, rowsPerSecond,
                    rowsPerSecond * KernelBenchmark.flopsPerRow(topology) / 1e9));
        }
        System.out.println();
        lines.forEach(System.out::println);
    }
}
