package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.model.ModelFormat;

/**
 * Early stopping, resuming and their option errors through the real command line; and a real training
 * process killed with SIGKILL mid-run, then resumed, ending with the weights of a run that never stopped.
 */
class TrainStoppingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String[] train(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--train", "sample-data/train.csv", "--test",
                "sample-data/test.csv", "--out", out.toString(), "--master", "local[2]", "--partitions", "2", "--seed", "5"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /**
     * Adam at a high rate without L1 overfits the 200 rows, so the test loss turns up: training stops
     * {@code --patience} epochs after its minimum, model.json is that epoch's model, model-last.json the last.
     */
    @Test
    void patienceStopsAfterTheBestEpochAndKeepsBothModels() throws IOException {
        Path out = dir.resolve("patience");
        Cli.Result result = Cli.run(train(out, "--optimizer", "adam", "--lr", "0.05", "--l1", "0", "--epochs", "400",
                "--patience", "15"));
        assertEquals(0, result.status(), result.toString());

        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int testLoss = header.indexOf("test_loss");
        int bestEpoch = -1;
        double best = Double.POSITIVE_INFINITY;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            double loss = Double.parseDouble(f[testLoss]);
            if (loss < best) {
                best = loss;
                bestEpoch = Integer.parseInt(f[0]);
            }
        }
        int lastEpoch = lines.size() - 2;
        assertTrue(lastEpoch < 400, "the test loss must turn up before epoch 400 for this test to mean anything");
        assertEquals(bestEpoch + 15, lastEpoch, "stops 15 epochs after the best");
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("patience", summary.get("stop_reason").asText());
        assertEquals(bestEpoch, summary.get("best").get("epoch").asInt());
        assertTrue(result.out().contains("stopped at epoch " + lastEpoch + ": test-loss has not improved for 15 epochs"),
                result.toString());

        // Each saved model, scored independently by `evaluate`, reproduces its epoch's test loss.
        // evaluate prints 6 decimals
        assertEquals(best, evaluatedLoss(out.resolve("model.json")), 5.1e-7, "model.json is the best epoch's");
        String[] last = lines.get(lines.size() - 1).split(",", -1);
        assertEquals(Double.parseDouble(last[testLoss]), evaluatedLoss(out.resolve("model-last.json")), 5.1e-7,
                "model-last.json is the last epoch's");
    }

    private static double evaluatedLoss(Path model) {
        Cli.Result result = Cli.run("evaluate", "--model", model.toString(), "--data", "sample-data/test.csv",
                "--master", "local[2]");
        assertEquals(0, result.status(), result.toString());
        Matcher m = Pattern.compile("mean loss \\([^)]*\\) (\\d+\\.\\d+)").matcher(result.out());
        assertTrue(m.find(), result.toString());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void optionErrorsNameTheOption() {
        Path out = dir.resolve("errors");
        List<String[]> cases = List.of(
                new String[] {"--patience", "5", "--test"},
                new String[] {"--optimizer", "lbfgs", "--l1-mode", "subgradient"},
                new String[] {"--batch-fraction", "0"},
                new String[] {"--optimizer", "lbfgs", "--batch-fraction", "0.5"},
                new String[] {"--resume", "--overwrite"},
                new String[] {"--lbfgs-memory", "0", "--optimizer", "lbfgs"},
                new String[] {"--patience-on", "train-loss"},
                new String[] {"--aggregation-depth", "0"},
                new String[] {"--aggregation-depth", "deep"});
        List<String> expected = List.of("--patience needs a --test set", "--l1-mode subgradient does not apply to --optimizer lbfgs",
                "--batch-fraction must be in (0, 1]", "lbfgs needs the full gradient", "--resume goes on with the run in --out",
                "--lbfgs-memory must be >= 1", "--patience-on 'train-loss'",
                "--aggregation-depth must be auto or a whole number >= 1, got 0",
                "--aggregation-depth must be auto or a whole number >= 1, got deep");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new ArrayList<>(List.of(train(out, cases.get(i))));
            if (cases.get(i)[cases.get(i).length - 1].equals("--test")) {
                args.remove(args.size() - 1);
                int at = args.indexOf("--test");
                args.remove(at);
                args.remove(at);
            }
            Cli.Result result = Cli.run(args.toArray(String[]::new));
            assertEquals(Main.USAGE_ERROR, result.status(), result.toString());
            assertTrue(result.err().contains(expected.get(i)), "expected '" + expected.get(i) + "' in\n" + result);
            assertFalse(Files.exists(out.resolve("model.json")));
        }
    }

    /**
     * A real training JVM, writing a checkpoint every 10 epochs, is killed with SIGKILL (no shutdown hooks, no
     * cleanup) once it has passed epoch 20; `train --resume` in the same folder then ends with exactly the model
     * and metrics of an uninterrupted run.
     */
    @Test
    void aProcessKilledMidRunResumesToTheUninterruptedResult() throws Exception {
        String[] options = {"--optimizer", "adam", "--lr", "0.02", "--epochs", "60", "--checkpoint-every", "10"};
        Path straight = dir.resolve("straight");
        Cli.Result reference = Cli.run(train(straight, options));
        assertEquals(0, reference.status(), reference.toString());

        Path killed = dir.resolve("killed");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        command.addAll(List.of(Files.readString(Path.of("target/launcher/jvm-options.txt")).trim().split("\\s+")));
        command.addAll(List.of("-Dlog4j2.configurationFile=conf/log4j2.properties", "-cp", System.getProperty("java.class.path"),
                "org.l1net.cli.Main"));
        command.addAll(List.of(train(killed, options)));
        Path log = dir.resolve("killed-process.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process process = builder.start();
        try {
            Path checkpoint = killed.resolve("checkpoints").resolve("epoch-000020.ckpt");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(checkpoint) && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(checkpoint), "no checkpoint of epoch 20 appeared; the process printed:\n" + Files.readString(log));
            assertTrue(process.isAlive(), "the process ended before it could be killed:\n" + Files.readString(log));
            process.destroyForcibly(); // SIGKILL on Linux
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        } finally {
            process.destroyForcibly();
        }
        assertEquals(137, process.exitValue(), "killed by SIGKILL (128 + 9)");
        assertFalse(Files.exists(killed.resolve("model.json")), "the killed run must not have finished");

        Cli.Result refused = Cli.run(train(killed, options));
        assertEquals(Main.USAGE_ERROR, refused.status(), refused.toString());
        assertTrue(refused.err().contains("holds the checkpoints of an unfinished run; add --resume"), refused.toString());

        List<String> resumeArgs = new ArrayList<>(List.of(train(killed, options)));
        resumeArgs.add("--resume");
        Cli.Result resumed = Cli.run(resumeArgs.toArray(String[]::new));
        assertEquals(0, resumed.status(), resumed.toString());
        assertTrue(resumed.out().contains("resuming from "), resumed.toString());

        assertArrayEquals(parameters(straight), parameters(killed), 0.0, "the resumed model's weights, bit for bit");
        assertEquals(modelColumns(straight), modelColumns(killed), "metrics.csv apart from timing and pass counts");
    }

    private static double[] parameters(Path runDir) throws IOException {
        return ModelFormat.read(runDir.resolve("model.json")).parameters();
    }

    /** metrics.csv without the columns that depend on when and how often the run was interrupted. */
    private static List<String> modelColumns(Path runDir) throws IOException {
        List<String> lines = Files.readAllLines(runDir.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int seconds = header.indexOf("seconds");
        int passes = header.indexOf("passes");
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(",", -1);
            f[seconds] = "";
            f[passes] = "";
            kept.add(String.join(",", f));
        }
        return kept;
    }
}
