package org.l1net.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster of separate JVMs on 127.0.0.1, started and stopped through
 * submit/local-cluster.sh (the script users run), with accessors for what the cluster tests inspect.
 * A JVM shutdown hook stops the cluster when the test JVM ends without reaching {@link #close()}.
 */
final class LocalCluster implements AutoCloseable {
    private final Path projectDir;
    private final Path runDir;
    private final Map<String, String> env;
    private final Thread stopHook;
    private boolean stopped;

    private LocalCluster(Path projectDir, Path runDir, Map<String, String> env) {
        this.projectDir = projectDir;
        this.runDir = runDir;
        this.env = env;
        this.stopHook = new Thread(this::stopQuietly, "stop-local-cluster");
    }

    /** Runs {@code local-cluster.sh start --workers N --dir runDir} with the Maven-built Spark (no $SPARK_HOME). */
    static LocalCluster start(Path projectDir, Path runDir, int workers) throws IOException, InterruptedException {
        Files.createDirectories(runDir);
        Files.deleteIfExists(runDir.resolve("cluster.env"));
        try {
            script(projectDir, Duration.ofMinutes(4), "start", "--workers", Integer.toString(workers), "--dir", runDir.toString());
        } finally {
            // A failed start stops its own daemons; this is the backstop (e.g. when the start timed out here).
            if (!Files.exists(runDir.resolve("cluster.env"))) {
                script(projectDir, Duration.ofMinutes(1), "stop", "--dir", runDir.toString());
            }
        }
        LocalCluster cluster = new LocalCluster(projectDir, runDir, readEnv(runDir.resolve("cluster.env")));
        Runtime.getRuntime().addShutdownHook(cluster.stopHook);
        return cluster;
    }

    String masterUrl() {
        return env.get("MASTER_URL");
    }

    Path sparkHome() {
        return Path.of(env.get("SPARK_HOME"));
    }

    Path runDir() {
        return runDir;
    }

    long masterPid() throws IOException {
        return pid("master");
    }

    /** Worker PIDs, worker-1 first. */
    List<Long> workerPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (int i = 1; Files.exists(runDir.resolve("worker-" + i + ".pid")); i++) {
            pids.add(pid("worker-" + i));
        }
        return pids;
    }

    /** The work dir of worker i (1-based): executor logs are in {@code <app id>/<executor id>/stderr}. */
    Path workDir(int worker) {
        return runDir.resolve("worker-" + worker).resolve("work");
    }

    /** Worker web UIs, worker-1 first. */
    List<URI> workerUis() {
        List<URI> uis = new ArrayList<>();
        for (String ui : env.get("WORKER_UIS").trim().split("\\s+")) {
            uis.add(URI.create(ui));
        }
        return uis;
    }

    /** Executor JVMs running now: the children of the Workers this cluster started. */
    List<ProcessHandle> executors() throws IOException {
        List<ProcessHandle> executors = new ArrayList<>();
        for (long worker : workerPids()) {
            ProcessHandle.of(worker).ifPresent(w -> w.children()
                    .filter(child -> child.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .forEach(executors::add));
        }
        return executors;
    }

    /** GET a page of a web UI on 127.0.0.1, e.g. a Worker's {@code /json/}. */
    static String httpGet(URI page) throws IOException {
        try (InputStream in = page.toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Stops the cluster through the script (Workers, their executors, then the Master, by PID). */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        script(projectDir, Duration.ofMinutes(2), "stop", "--dir", runDir.toString());
        try {
            Runtime.getRuntime().removeShutdownHook(stopHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself.
        }
    }

    private void stopQuietly() {
        try {
            close();
        } catch (IOException | InterruptedException e) {
            System.err.println("could not stop the local cluster in " + runDir + ": " + e);
        }
    }

    private long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(runDir.resolve(name + ".pid")).trim());
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    private static void script(Path projectDir, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(projectDir.resolve("submit/local-cluster.sh").toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("local-cluster-" + args[0], ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(projectDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // The tests use the Spark that Maven assembled in target/spark-home, whatever the machine has.
        builder.environment().remove("SPARK_HOME");
        builder.environment().remove("SPARK_CONF_DIR");
        builder.environment().remove("L1NET_CLUSTER_DIR");
        Process process = builder.start();
        boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        Files.delete(log);
        System.out.print(output);
        if (!finished) {
            throw new IOException("local-cluster.sh " + String.join(" ", args) + " did not finish in " + timeout + ":\n" + output);
        }
        if (process.exitValue() != 0) {
            throw new IOException("local-cluster.sh " + String.join(" ", args) + " failed (exit " + process.exitValue() + "):\n"
                    + output);
        }
    }
}
