package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.model.ModelFormat;

/**
 * Image-shaped data end to end, generated (nothing is downloaded): 784 features (28 x 28) and 10 classes,
 * through generate, train with L1 (report.html with its pixel map), inspect, evaluate and predict.
 */
class ImageShapedTest {
    @TempDir
    Path dir;

    @Test
    void a784By10DatasetTrainsScoresAndPrunesInputs() throws IOException {
        Path data = dir.resolve("data");
        Cli.Result generated = Cli.withoutSpark("generate", "--out", data.toString(), "--features", "784", "--classes", "10",
                "--teacher-hidden", "16", "--train-rows", "400", "--test-rows", "100", "--seed", "9");
        assertEquals(0, generated.status(), generated.toString());

        Path run = dir.resolve("run");
        Cli.Result trained = Cli.run("train", "--train", data.resolve("train.csv").toString(), "--test",
                data.resolve("test.csv").toString(), "--out", run.toString(), "--hidden", "16", "--optimizer", "lbfgs",
                "--epochs", "30", "--l1", "0.002", "--master", "local[2]", "--partitions", "2");
        assertEquals(0, trained.status(), trained.toString());
        assertTrue(trained.out().contains("784-16-10 network"), trained.out());

        double[] w = ModelFormat.read(run.resolve("model.json")).parameters();
        int prunedInputs = 0;
        for (int j = 0; j < 784; j++) {
            boolean any = false;
            for (int h = 0; h < 16; h++) {
                any |= w[h * 784 + j] != 0.0; // layer 1: W [16 x 784] row-major
            }
            prunedInputs += any ? 0 : 1;
        }
        assertTrue(prunedInputs > 0, "L1 should leave some of the 784 inputs without any weight");

        Cli.Result inspected = Cli.withoutSpark("inspect", "--model", run.resolve("model.json").toString());
        assertEquals(0, inspected.status(), inspected.toString());
        Matcher m = Pattern.compile("pruned inputs \\(every first-layer weight zero\\): (\\d+) of 784").matcher(inspected.out());
        assertTrue(m.find(), inspected.out());
        assertEquals(prunedInputs, Integer.parseInt(m.group(1)), "inspect counts the inputs this test counts");

        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("id=\"chart-inputs\""), "the report pictures the surviving pixels of the 28 x 28 input");

        Path predictions = dir.resolve("predictions.csv");
        Cli.Result predicted = Cli.run("predict", "--model", run.resolve("model.json").toString(), "--data",
                data.resolve("test.csv").toString(), "--out", predictions.toString(), "--master", "local[2]");
        assertEquals(0, predicted.status(), predicted.toString());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals(101, lines.size(), "a header and one row per test row");
        assertEquals(11, lines.get(1).split(",").length, "the prediction and 10 probabilities");

        Cli.Result evaluated = Cli.run("evaluate", "--model", run.resolve("model.json").toString(), "--data",
                data.resolve("test.csv").toString(), "--master", "local[2]");
        assertEquals(0, evaluated.status(), evaluated.toString());
        assertTrue(evaluated.out().contains("rows 100"), evaluated.out());
    }
}
