package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code l1net generate}: reproducible files whose rows do not depend on how many were asked for. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void theSameSeedWritesTheSameFiles() throws IOException {
        Path a = generate("a", "--seed", "7", "--train-rows", "60", "--test-rows", "30");
        Path b = generate("b", "--seed", "7", "--train-rows", "60", "--test-rows", "30");
        Path c = generate("c", "--seed", "8", "--train-rows", "60", "--test-rows", "30");

        for (String file : List.of("train.csv", "test.csv")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(file)), Files.readAllBytes(b.resolve(file)), file);
            assertNotEquals(Files.readString(a.resolve(file)), Files.readString(c.resolve(file)), "another seed, " + file);
        }
        List<String> train = Files.readAllLines(a.resolve("train.csv"));
        List<String> test = Files.readAllLines(a.resolve("test.csv"));
        assertEquals(61, train.size());
        assertEquals(31, test.size());
        assertNotEquals(train.get(1), test.get(1), "training and test rows come from separate streams");
    }

    @Test
    void rowIDoesNotDependOnHowManyRowsWereAskedFor() throws IOException {
        Path small = generate("small", "--seed", "3", "--train-rows", "50", "--test-rows", "10");
        Path large = generate("large", "--seed", "3", "--train-rows", "200", "--test-rows", "40");

        List<String> smallTrain = Files.readAllLines(small.resolve("train.csv"));
        List<String> largeTrain = Files.readAllLines(large.resolve("train.csv"));
        assertEquals(201, largeTrain.size());
        assertEquals(smallTrain, largeTrain.subList(0, 51), "header and the first 50 rows");
        List<String> smallTest = Files.readAllLines(small.resolve("test.csv"));
        assertEquals(smallTest, Files.readAllLines(large.resolve("test.csv")).subList(0, 11));
    }

    @Test
    void rowsHaveTheAskedShapeAndLabelsInRange() throws IOException {
        Path out = generate("shape", "--seed", "5", "--features", "6", "--classes", "3", "--train-rows", "300",
                "--test-rows", "1");

        List<String> lines = Files.readAllLines(out.resolve("train.csv"));
        assertEquals("x0,x1,x2,x3,x4,x5,label", lines.get(0));
        TreeSet<Integer> seen = new TreeSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertEquals(7, f.length, line);
            for (int j = 0; j < 6; j++) {
                double x = Double.parseDouble(f[j]);
                assertTrue(x >= -1 && x <= 1, line);
            }
            seen.add(Integer.parseInt(f[6]));
        }
        assertEquals(new TreeSet<>(List.of(0, 1, 2)), seen, "labels are 0..K-1, and 300 rows reach every class");
    }

    @Test
    void invalidSettingsAreRefusedAndWriteNothing() {
        for (String[] bad : List.of(new String[] {"--noise", "1.5"}, new String[] {"--classes", "1"},
                new String[] {"--train-rows", "0"}, new String[] {"--teacher-scale", "-1"})) {
            Path out = dir.resolve("bad");
            Cli.Result r = Cli.withoutSpark("generate", "--out", out.toString(), bad[0], bad[1]);
            assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
            assertTrue(r.err().contains(bad[0]), "the message names " + bad[0] + ": " + r);
            assertFalse(Files.exists(out), r.toString());
        }
    }

    private Path generate(String name, String... options) {
        Path out = dir.resolve(name);
        String[] args = new String[options.length + 3];
        args[0] = "generate";
        args[1] = "--out";
        args[2] = out.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        Cli.Result r = Cli.withoutSpark(args);
        assertEquals(0, r.status(), r.toString());
        return out;
    }
}
