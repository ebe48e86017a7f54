package org.l1net.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.l1net.data.DataBlock;
import org.l1net.data.Datasets;
import org.l1net.data.HeaderMode;
import org.l1net.data.InputFormat;
import org.l1net.data.ReadOptions;
import org.l1net.data.TableReader;
import org.l1net.data.TableSpec;
import org.l1net.data.TrainingData;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;

/**
 * Reading one table in every format into cached blocks: N generated rows x F features are written as
 * CSV, LIBSVM, Parquet, JSON and ORC, then each is read as train reads it (layout, parse, shuffle by row
 * hash, pack, cache, count) and timed; the cached size is Spark's own figure, and a checksum of the
 * blocks shows every format packed the same rows. Not a test: run it with submit/bench-read.sh.
 */
public final class ReadBench {
    private ReadBench() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String master = args.length > 2 ? args[2] : "local[2]";
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path dir = Files.createTempDirectory("l1net-read-bench");
        SparkSession spark = SparkSession.builder().master(master).appName("l1net read bench")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        List<Column> columns = new ArrayList<>();
        for (int j = 0; j < features; j++) {
            columns.add(rand(1000 + j).multiply(4).minus(2).as(String.format(Locale.ROOT, "x%02d", j)));
        }
        columns.add(pmod(abs(hash(col("id"))), org.apache.spark.sql.functions.lit(4)).cast("int").as("label"));
        Dataset<Row> table = spark.range(0, rows, 1, partitions).select(columns.toArray(new Column[0])).cache();
        table.count();
        long start = System.nanoTime();
        table.write().option("header", "true").csv(dir.resolve("t.csv").toString());
        table.write().parquet(dir.resolve("t.parquet").toString());
        table.write().json(dir.resolve("t.json").toString());
        table.write().orc(dir.resolve("t.orc").toString());
        int f = features;
        table.map((MapFunction<Row, String>) r -> {
            StringBuilder sb = new StringBuilder().append(r.getInt(f));
            for (int j = 0; j < f; j++) {
                sb.append(' ').append(j + 1).append(':').append(r.getDouble(j));
            }
            return sb.toString();
        }, Encoders.STRING()).write().text(dir.resolve("t.libsvm").toString());
        table.unpersist();
        System.out.printf(Locale.ROOT, "%,d rows x %d features written in 5 formats in %.1f s (%s); %s, %d partitions, "
                + "Java %s, %d cores%n", rows, features, (System.nanoTime() - start) / 1e9, dir, master, partitions,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-8s %10s %9s %12s %12s %12s %18s%n", "format", "input MB", "read s", "rows/s",
                "cached MB", "float32 MB", "block checksum");
        for (InputFormat format : InputFormat.values()) {
            String path = dir.resolve("t." + format.cliName()).toString();
            long inputBytes;
            try (var walk = Files.walk(Path.of(path))) {
                inputBytes = walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                        .mapToLong(p -> p.toFile().length()).sum();
            }
            ReadOptions options = new ReadOptions(HeaderMode.AUTO, "last", partitions, 0, format, null, 0, null);
            long t0 = System.nanoTime();
            TableReader reader = Datasets.reader(format);
            TableSpec spec = reader.inspect(spark, path, options);
            TrainingData data = Datasets.readTraining(spark, reader, spec, options, 0, false, 0, 1);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long cached = 0;
            for (RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
                if (info.id() == data.train().blocks().id()) {
                    cached = info.memSize() + info.diskSize();
                }
            }
            long checksum = data.train().blocks().map(ReadBench::checksum).reduce(Long::sum);
            System.out.printf(Locale.ROOT, "%-8s %10.1f %9.2f %,12.0f %12.1f %12.1f %18x%n", format.cliName(),
                    inputBytes / 1e6, seconds, data.train().rows() / seconds, cached / 1e6,
                    4.0 * data.train().rows() * (spec.features() + 1) / 1e6, checksum);
            data.release();
        }
        spark.stop();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** An order-dependent hash of one block's bits; summed over blocks, so partition results may come in any order. */
    private static long checksum(DataBlock block) {
        long h = block.rows();
        for (float v : block.x()) {
            h = h * 31 + Float.floatToRawIntBits(v);
        }
        for (int label : block.labels()) {
            h = h * 31 + label;
        }
        return h;
    }
}
