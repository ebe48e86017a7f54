package org.l1net.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l1net.TestSpark;
import org.l1net.cli.Cli;
import org.l1net.model.L1NetModel;
import org.l1net.model.ModelFormat;

/**
 * Synthetic data made on the executors: the same rows whatever the partition count, exactly the rows
 * of the CSV file of the same seed, and therefore the same trained weights from either file.
 */
class SyntheticTablesTest {
    private static final SyntheticData DATA = new SyntheticData(5, 3, 6, 2.0, 0.1, 21);

    @TempDir
    Path dir;

    @Test
    void csvValueIsWhatTheCsvFileParsesTo() {
        SplittableRandom random = new SplittableRandom(4);
        double[] edges = {0.0, 1.0, -1.0, 5e-7, -5e-7, 4.9e-7, -4.9e-7, 1e-9, -1e-9, 0.0000015, -0.0000025,
                0.1234565, -0.1234565, 0.9999995, -0.9999995, Math.nextDown(0.0000005), Math.nextUp(-0.0000005)};
        for (double x : edges) {
            assertSame(x);
        }
        for (int i = 0; i < 300_000; i++) {
            assertSame(2.0 * random.nextDouble() - 1.0);
        }
        for (int i = 0; i < 20_000; i++) { // values on a tie of the sixth decimal, and their neighbours
            double tie = (random.nextInt(2_000_000) - 1_000_000 + 0.5) / 1e6;
            assertSame(tie);
            assertSame(Math.nextUp(tie));
            assertSame(Math.nextDown(tie));
        }
    }

    private static void assertSame(double x) {
        double expected = Double.parseDouble(String.format(Locale.ROOT, "%.6f", x));
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(SyntheticData.csvValue(x)),
                () -> "x = " + x + " (" + String.format(Locale.ROOT, "%.6f", x) + ")");
    }

    @Test
    void theRowsDoNotDependOnThePartitionCountAndAreTheCsvRows() throws IOException {
        long rows = 5_003; // not a multiple of the chunk or of the partition counts
        List<Row> one = SyntheticTables.rows(TestSpark.session(), DATA, SyntheticData.TRAIN_SPLIT, rows, 1).collectAsList();
        List<Row> five = SyntheticTables.rows(TestSpark.session(), DATA, SyntheticData.TRAIN_SPLIT, rows, 5).collectAsList();
        assertEquals(rows, one.size());
        assertEquals(one, five, "1 and 5 partitions");

        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        DATA.writeCsv(SyntheticData.TRAIN_SPLIT, rows, csv);
        String[] lines = csv.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("x0,x1,x2,x3,x4,label", lines[0]);
        for (int r = 0; r < rows; r++) {
            String[] f = lines[r + 1].split(",");
            Row row = one.get(r);
            for (int j = 0; j < 5; j++) {
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(f[j])), Double.doubleToRawLongBits(row.getDouble(j)),
                        "row " + r + ", x" + j);
            }
            assertEquals(Integer.parseInt(f[5]), row.getInt(5), "row " + r + " label");
        }
    }

    @Test
    void csvAndParquetOfOneSeedTrainToTheSameWeights() {
        Path csv = dir.resolve("csv");
        Path parquet = dir.resolve("parquet");
        String[] shape = {"--seed", "9", "--train-rows", "3000", "--test-rows", "200", "--features", "6", "--classes", "3"};
        Cli.Result a = Cli.withoutSpark(concat(new String[] {"generate", "--out", csv.toString()}, shape));
        assertEquals(0, a.status(), a.toString());
        Cli.Result b = Cli.run(concat(new String[] {"generate", "--out", parquet.toString(), "--format", "parquet",
                "--partitions", "3", "--master", "local[2]"}, shape));
        assertEquals(0, b.status(), b.toString());
        assertTrue(b.out().contains("wrote 3000 training rows to " + parquet.resolve("train.parquet")), b.toString());

        for (String[] extra : List.of(new String[0], new String[] {"--standardize"})) {
            long[][] weights = new long[2][];
            int i = 0;
            for (Path[] files : List.of(new Path[] {csv.resolve("train.csv"), csv.resolve("test.csv")},
                    new Path[] {parquet.resolve("train.parquet"), parquet.resolve("test.parquet")})) {
                Path run = dir.resolve("run-" + i + extra.length);
                Cli.Result t = Cli.run(concat(new String[] {"train", "--train", files[0].toString(), "--test", files[1].toString(),
                        "--out", run.toString(), "--epochs", "5", "--layers", "6,8,3", "--partitions", "2", "--master",
                        "local[2]"}, extra));
                assertEquals(0, t.status(), t.toString());
                assertTrue(t.out().contains("cached training blocks: 2/2 partitions,"), t.toString());
                // 3,000 rows x (6 float32 features + an int label) x 4 bytes = 84,000 bytes
                assertTrue(t.out().contains("x the raw float32 rows (84.0 KB)"), t.toString());
                L1NetModel model = readModel(run);
                weights[i++] = bits(model.parameters());
            }
            assertArrayEquals(weights[0], weights[1], "CSV and Parquet weights " + List.of(extra));
        }
    }

    private static L1NetModel readModel(Path run) {
        try {
            return ModelFormat.read(run.resolve("model.json"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long[] bits(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
