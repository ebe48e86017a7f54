package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The job on a real Spark standalone cluster: a Master and two Workers started by submit/local-cluster.sh,
 * executors in JVMs of their own, and a client-mode driver started by submit/spark-submit.sh through
 * Spark's SparkSubmit with the shaded jar, everything on 127.0.0.1. A run must give the same model as a
 * local-mode run with the same seed and partitions (the blocks are a function of data and partition count,
 * and task results merge in double-double arithmetic), also when an executor JVM is killed mid-training.
 *
 * <p>Runs in the cluster profile ({@code mvn -Pcluster -DskipUnitTests verify}); it prints the time each
 * step took and the peak memory of every JVM, and writes them to target/cluster-it/measurements.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    /** Relative tolerance on every weight; the runs are expected to agree bit for bit. */
    private static final double RELATIVE_TOLERANCE = 1e-9;
    private static final int PARTITIONS = 4;
    private static final long SEED = 7;
    // The cluster runs get these two from a job defaults file through spark-submit.sh (the reference run gets
    // them as options), so a defaults file that does not reach the driver shows as a wrong epoch count.
    private static final int EPOCHS = 200;
    private static final int EVAL_EVERY = 5;
    private static final int KILL_AT_EPOCH = 40;
    private static final int CHECKPOINT_EVERY = 20;
    private static final int KILL_DRIVER_AT_EPOCH = 70;
    private static final long SUBMIT_TIMEOUT_MINUTES = 10;
    private static final Pattern EPOCH_LINE = Pattern.compile("^epoch\\s+(\\d+)/(\\d+)\\b.*");
    private static final Pattern DAEMON_PID = Pattern.compile("Started daemon with process name: (\\d+)@");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path projectDir;
    private static Path jar;
    private static Path workDir;
    private static Path defaultsFile;
    private static LocalCluster cluster;
    private static TrainedModel reference;
    private static TrainedModel uninterrupted;
    private static final StringBuilder measurements = new StringBuilder();

    /** What a training run left in its run folder. */
    record TrainedModel(Path dir, double[] parameters, JsonNode summary) {
        static TrainedModel load(Path dir) throws IOException {
            double[] parameters = org.l1net.model.ModelFormat.read(dir.resolve("model.json")).parameters();
            return new TrainedModel(dir, parameters, JSON.readTree(dir.resolve("summary.json").toFile()));
        }
    }

    /** A finished spark-submit: its exit status, driver PID and command line, and what the process watch saw. */
    record Submission(int exitStatus, Path stderr, long driverPid, String driverCommand, Path eventLogDir, Path runDir,
                      ProcessWatch watch) {
    }

    @BeforeAll
    static void startClusterAndTrainLocally() throws Exception {
        projectDir = Path.of(System.getProperty("l1net.projectDir", ".")).toAbsolutePath();
        jar = Path.of(System.getProperty("l1net.jar"));
        assertTrue(Files.isRegularFile(jar), "the shaded jar " + jar + " must exist (mvn package runs before the ITs)");
        workDir = projectDir.resolve("target/cluster-it");
        deleteRecursively(workDir);
        Files.createDirectories(workDir);
        defaultsFile = workDir.resolve("job-defaults.properties");
        Files.writeString(defaultsFile, "train.epochs = " + EPOCHS + "\ntrain.eval-every = " + EVAL_EVERY + "\n");

        long start = System.nanoTime();
        cluster = LocalCluster.start(projectDir, workDir.resolve("cluster"), 2);
        measure("cluster start (Master + 2 Workers ready)", start, null);
        assertEquals(Path.of(System.getProperty("l1net.sparkHome")).toRealPath(), cluster.sparkHome().toRealPath(),
                "the cluster must run the Spark that Maven assembled");

        start = System.nanoTime();
        Path localRun = workDir.resolve("local-run");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(trainArgs(localRun, "--master", "local[2]", "--epochs", Integer.toString(EPOCHS),
                "--eval-every", Integer.toString(EVAL_EVERY)), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, "local reference run failed:\n" + out + err);
        reference = TrainedModel.load(localRun);
        measure("local[2] reference run, in the test JVM", start, null);
    }

    @AfterAll
    static void stopClusterAndReport() throws Exception {
        try {
            if (cluster != null) {
                long start = System.nanoTime();
                cluster.close();
                measure("cluster stop", start, null);
            }
        } finally {
            String report = "Standalone-cluster test measurements (wall time, peak resident memory from /proc)\n" + measurements;
            System.out.println(report);
            Files.writeString(workDir.resolve("measurements.txt"), report);
        }
    }

    @Test
    @Order(1)
    void clusterRunGivesTheLocalModeModelWithExecutorsInSeparateJvms() throws Exception {
        Submission run = submit("cluster-run", epoch -> { });
        assertEquals(0, run.exitStatus(), "spark-submit failed; driver log " + run.stderr());
        assertTrue(run.driverCommand().contains("org.apache.spark.deploy.SparkSubmit")
                        && run.driverCommand().contains(jar.getFileName().toString()),
                "the driver must be Spark's SparkSubmit running the shaded jar, was: " + run.driverCommand());
        EventLog events = EventLog.read(run.eventLogDir());

        // Executors in separate JVMs: every executor that ran tasks, the Worker that started it, and its PID.
        Map<String, Long> executorPids = new TreeMap<>();
        Set<Integer> workersUsed = new HashSet<>();
        for (String executor : events.successfulTasks().keySet()) {
            int worker = events.worker(executor, cluster.workerUis());
            workersUsed.add(worker);
            executorPids.put(executor, executorPid(worker, events.appId(), executor));
        }
        assertTrue(workersUsed.size() >= 2, "tasks must run on executors of both Workers; tasks per executor: "
                + events.successfulTasks() + ", workers " + workersUsed);
        assertTrue(new HashSet<>(executorPids.values()).size() >= 2, "executors must be separate JVMs: " + executorPids);
        assertFalse(executorPids.containsValue(run.driverPid()), "no executor may run in the driver JVM");
        for (int worker = 1; worker <= 2; worker++) {
            assertTrue(workerListsExecutorOf(worker, events.appId()),
                    "worker-" + worker + "'s /json/ must list an executor of " + events.appId());
        }
        assertAllListenersOnLoopback(run.watch());

        uninterrupted = TrainedModel.load(run.runDir());
        assertSameModel(reference, uninterrupted);
    }

    @Test
    @Order(2)
    void executorKilledMidTrainingChangesNothing() throws Exception {
        CompletableFuture<KilledExecutor> killed = new CompletableFuture<>();
        Submission run = submit("executor-kill-run", epoch -> {
            if (epoch >= KILL_AT_EPOCH && !killed.isDone()) {
                killed.complete(killOneExecutor(epoch));
            }
        });
        assertEquals(0, run.exitStatus(), "the job must survive a lost executor; driver log " + run.stderr());
        assertTrue(killed.isDone(), "no executor was killed: training never reached epoch " + KILL_AT_EPOCH);
        KilledExecutor victim = killed.get();
        assertTrue(victim.epoch() < EPOCHS, "the executor must die before training ends, died at epoch " + victim.epoch());

        EventLog events = EventLog.read(run.eventLogDir());
        assertTrue(events.removedExecutors().contains(victim.executorId()),
                "the driver must see executor " + victim.executorId() + " lost; removed: " + events.removedExecutors());
        List<String> replacements = events.addedAfterRemoval(victim.executorId());
        assertFalse(replacements.isEmpty(), "a replacement executor must start after executor " + victim.executorId() + " died");
        assertTrue(replacements.stream().anyMatch(e -> events.successfulTasks().getOrDefault(e, 0) > 0),
                "tasks must run on the replacement executor(s) " + replacements + ": " + events.successfulTasks());

        TrainedModel recovered = TrainedModel.load(run.runDir());
        assertSameModel(reference, recovered);
        if (uninterrupted != null) {
            assertSameModel(uninterrupted, recovered);
        }
        measurements.append(String.format(Locale.ROOT, "  (killed executor %s, pid %d, at epoch %d of %d; replaced by %s)%n",
                victim.executorId(), victim.pid(), victim.epoch(), EPOCHS, replacements));
    }

    /**
     * The driver (the client-mode spark-submit JVM) killed with SIGKILL after a checkpoint: the same submission
     * with --resume goes on from the checkpoint and ends with the uninterrupted run's model, bit for bit.
     */
    @Test
    @Order(3)
    void driverKilledAndResubmittedWithResumeEndsWithTheSameModel() throws Exception {
        Path runDir = workDir.resolve("driver-kill-run").resolve("run");
        String every = Integer.toString(CHECKPOINT_EVERY);
        AtomicInteger killedAt = new AtomicInteger(-1);
        Submission killed = submit("driver-kill-run", runDir, (epoch, driver) -> {
            // The checkpoint of epoch 60 is written before update 61; by the line of epoch 70 it is on disk.
            if (epoch >= KILL_DRIVER_AT_EPOCH && killedAt.get() < 0) {
                killedAt.set(epoch);
                // Through the handle: Process.destroyForcibly would also close the pipe we are reading the log from.
                driver.toHandle().destroyForcibly();
                System.out.printf(Locale.ROOT, "killed the driver (pid %d) with SIGKILL at epoch %d%n", driver.pid(), epoch);
            }
        }, "--checkpoint-every", every);
        assertTrue(killedAt.get() >= 0, "the driver was never killed; log " + killed.stderr());
        assertEquals(137, killed.exitStatus(), "the driver must die of SIGKILL; log " + killed.stderr());
        assertFalse(Files.exists(runDir.resolve("model.json")), "the killed run must not have finished");
        assertTrue(Files.exists(runDir.resolve("checkpoints").resolve("epoch-000060.ckpt")), "a checkpoint of epoch 60");

        Submission resumed = submit("driver-resume-run", runDir, (epoch, driver) -> { }, "--checkpoint-every", every, "--resume");
        assertEquals(0, resumed.exitStatus(), "the resumed run failed; log " + resumed.stderr());
        TrainedModel model = TrainedModel.load(runDir);
        assertSameModel(reference, model);
        measurements.append(String.format(Locale.ROOT, "  (killed the driver at epoch %d of %d; resumed from the checkpoint of epoch %d)%n",
                killedAt.get(), EPOCHS, killedAt.get() / CHECKPOINT_EVERY * CHECKPOINT_EVERY));
    }

    /** The executor JVM that was killed: its Spark id (from its work dir), PID and the epoch the driver was at. */
    record KilledExecutor(String executorId, long pid, int epoch) {
    }

    private static KilledExecutor killOneExecutor(int epoch) {
        try {
            List<ProcessHandle> executors = cluster.executors();
            assertFalse(executors.isEmpty(), "no executor JVM under the Workers at epoch " + epoch);
            ProcessHandle victim = executors.get(0);
            // The Worker starts each executor in WORKDIR/<app id>/<executor id>.
            String executorId = Files.readSymbolicLink(Path.of("/proc", Long.toString(victim.pid()), "cwd"))
                    .getFileName().toString();
            assertTrue(victim.destroyForcibly(), "SIGKILL to executor pid " + victim.pid() + " was refused");
            victim.onExit().get(30, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "killed executor %s (pid %d) with SIGKILL at epoch %d%n", executorId, victim.pid(), epoch);
            return new KilledExecutor(executorId, victim.pid(), epoch);
        } catch (Exception e) {
            throw new IllegalStateException("could not kill an executor", e);
        }
    }

    /** Something to do when the driver prints an epoch line, given the driver's process. */
    @FunctionalInterface
    interface EpochAction {
        void at(int epoch, Process driver) throws Exception;
    }

    /** Submits the training through submit/spark-submit.sh in client mode and waits for it to end. */
    private static Submission submit(String name, IntConsumer onEpoch) throws Exception {
        return submit(name, workDir.resolve(name).resolve("run"), (epoch, driver) -> onEpoch.accept(epoch));
    }

    /**
     * Submits the training into {@code runDir} with extra train options, and waits for the driver to end
     * (also when {@code onEpoch} kills it).
     */
    private static Submission submit(String name, Path runDir, EpochAction onEpoch, String... extraTrainArgs)
            throws Exception {
        Path dir = workDir.resolve(name);
        Path events = dir.resolve("events");
        Files.createDirectories(events);
        List<String> command = new ArrayList<>(List.of(projectDir.resolve("submit/spark-submit.sh").toString(),
                "--master", cluster.masterUrl(), "--deploy-mode", "client",
                "--driver-memory", "1g", "--executor-memory", "512m", "--executor-cores", "1",
                // Wait for both executors before the first job, so the data is spread over both JVMs.
                "--conf", "spark.cores.max=2",
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                // One plain JSON-lines event log per run (Spark 4 otherwise writes a rolling, compressed log folder).
                "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.compress=false",
                "--conf", "spark.eventLog.rolling.enabled=false",
                "--conf", "spark.eventLog.dir=" + events.toUri()));
        command.addAll(List.of(trainArgs(runDir, extraTrainArgs)));
        ProcessBuilder builder = new ProcessBuilder(command).directory(projectDir.toFile())
                .redirectError(dir.resolve("driver-stderr.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", cluster.sparkHome().toString());
        env.put("L1NET_JAR", jar.toString());
        env.put("L1NET_DEFAULTS", defaultsFile.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
        env.remove("SPARK_CONF_DIR");
        env.remove("L1NET_SPARK_CONF");

        long start = System.nanoTime();
        Process driver = builder.start();
        ProcessWatch watch = new ProcessWatch(() -> clusterProcesses(driver));
        String driverCommand = "";
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("[" + name + "] " + line);
                if (driverCommand.isEmpty()) {
                    // bin/spark-class execs the JVM, so by the first output line the PID is the driver's.
                    driverCommand = driver.info().commandLine().orElse("");
                }
                Matcher epoch = EPOCH_LINE.matcher(line);
                if (epoch.matches()) {
                    onEpoch.at(Integer.parseInt(epoch.group(1)), driver);
                }
            }
            if (!driver.waitFor(SUBMIT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                fail(name + " did not finish in " + SUBMIT_TIMEOUT_MINUTES + " minutes");
            }
        } finally {
            driver.destroyForcibly();
            watch.close();
        }
        measure(name + " (spark-submit, client mode)", start, watch);
        return new Submission(driver.exitValue(), dir.resolve("driver-stderr.log"), driver.pid(), driverCommand, events,
                runDir, watch);
    }

    /** The JVMs of a cluster run now: Master, Workers, their executors, and the driver (with its launcher). */
    private static Map<Long, String> clusterProcesses(Process driver) {
        Map<Long, String> processes = new LinkedHashMap<>();
        try {
            processes.put(cluster.masterPid(), "master");
            List<Long> workers = cluster.workerPids();
            for (int i = 0; i < workers.size(); i++) {
                String worker = "worker-" + (i + 1);
                processes.put(workers.get(i), worker);
                ProcessHandle.of(workers.get(i)).ifPresent(w -> w.children().filter(StandaloneClusterIT::isJvm)
                        .forEach(child -> processes.put(child.pid(), "executor of " + worker)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        processes.put(driver.pid(), "driver (spark-submit)");
        driver.descendants().filter(StandaloneClusterIT::isJvm)
                .forEach(child -> processes.put(child.pid(), "Spark launcher (before the driver)"));
        return processes;
    }

    /** A Java process, not a shell or a process caught between fork and exec. */
    private static boolean isJvm(ProcessHandle process) {
        return process.info().command().orElse("").endsWith("/java");
    }

    private static String[] trainArgs(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train",
                "--train", projectDir.resolve("sample-data/train.csv").toUri().toString(),
                "--test", projectDir.resolve("sample-data/test.csv").toUri().toString(),
                "--out", out.toString(), "--partitions", Integer.toString(PARTITIONS), "--seed", Long.toString(SEED)));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    /** The PID an executor logged at start ("Started daemon with process name: PID@host"). */
    private static long executorPid(int worker, String appId, String executor) throws IOException {
        Path stderr = cluster.workDir(worker).resolve(appId).resolve(executor).resolve("stderr");
        Matcher m = DAEMON_PID.matcher(Files.readString(stderr));
        assertTrue(m.find(), "no process name in " + stderr);
        return Long.parseLong(m.group(1));
    }

    private static boolean workerListsExecutorOf(int worker, String appId) throws IOException {
        JsonNode state = JSON.readTree(LocalCluster.httpGet(cluster.workerUis().get(worker - 1).resolve("/json/")));
        for (String list : List.of("executors", "finishedexecutors")) {
            for (JsonNode executor : state.path(list)) {
                if (appId.equals(executor.path("appid").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void assertAllListenersOnLoopback(ProcessWatch watch) {
        List<ProcessWatch.Listener> listeners = watch.listeners();
        assertTrue(listeners.stream().anyMatch(l -> l.role().startsWith("executor"))
                        && listeners.stream().anyMatch(l -> l.role().startsWith("driver")),
                "the watch must see listening sockets of the driver and the executors: " + listeners);
        List<ProcessWatch.Listener> exposed = listeners.stream().filter(l -> !l.loopback()).toList();
        assertTrue(exposed.isEmpty(), "every socket must be bound to 127.0.0.1; exposed: " + exposed);
    }

    private static void assertSameModel(TrainedModel expected, TrainedModel actual) {
        assertEquals(EPOCHS, actual.summary().path("epochs").asInt(), "epochs of " + actual.dir());
        for (String field : List.of("train_accuracy", "test_accuracy", "nonzero_weights")) {
            assertEquals(expected.summary().path(field).asDouble(), actual.summary().path(field).asDouble(), 0.0,
                    field + ": " + expected.dir() + " vs " + actual.dir());
        }
        List<double[]> expectedEpochs = trajectory(expected.dir());
        List<double[]> actualEpochs = trajectory(actual.dir());
        assertEquals(expectedEpochs.size(), actualEpochs.size(), "metrics.csv rows");
        for (int e = 0; e < expectedEpochs.size(); e++) {
            for (int c = 0; c < expectedEpochs.get(e).length; c++) {
                double relative = relativeDifference(expectedEpochs.get(e)[c], actualEpochs.get(e)[c]);
                assertTrue(relative <= RELATIVE_TOLERANCE, "metrics.csv epoch " + e + " column " + c + ": "
                        + expectedEpochs.get(e)[c] + " vs " + actualEpochs.get(e)[c] + " (" + actual.dir() + ")");
            }
        }
        assertEquals(expected.parameters().length, actual.parameters().length, "parameter count");
        double worst = 0;
        int differing = 0;
        for (int i = 0; i < expected.parameters().length; i++) {
            double a = expected.parameters()[i];
            double b = actual.parameters()[i];
            double relative = relativeDifference(a, b);
            assertTrue(relative <= RELATIVE_TOLERANCE, "parameter " + i + ": " + a + " vs " + b + " (relative " + relative + ")");
            worst = Math.max(worst, relative);
            differing += a == b ? 0 : 1;
        }
        measurements.append(String.format(Locale.ROOT, "  %s vs %s: %d of %d parameters differ, largest relative difference %.3g%n",
                workDir.relativize(expected.dir()), workDir.relativize(actual.dir()), differing, expected.parameters().length, worst));
    }

    /** metrics.csv without its timing columns: per epoch, the columns about the model (losses, accuracies, zeros). */
    private static List<double[]> trajectory(Path runDir) {
        try {
            List<String> lines = Files.readAllLines(runDir.resolve("metrics.csv"));
            String[] header = lines.get(0).split(",", -1);
            List<Integer> modelColumns = new ArrayList<>();
            for (int c = 0; c < header.length; c++) {
                if (header[c].matches(".*(loss|penalty|objective|accuracy|nonzero).*")) {
                    modelColumns.add(c);
                }
            }
            List<double[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                // An epoch without a test evaluation leaves test_accuracy empty.
                rows.add(modelColumns.stream().mapToDouble(c -> cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]))
                        .toArray());
            }
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** |a - b| <= tolerance * max(|a|, |b|); NaN only equals NaN. */
    private static double relativeDifference(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b) ? 0 : Double.POSITIVE_INFINITY;
        }
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }

    private static void measure(String step, long startNanos, ProcessWatch watch) {
        measurements.append(String.format(Locale.ROOT, "%-50s %7.1f s%n", step, (System.nanoTime() - startNanos) / 1e9));
        if (watch != null) {
            measurements.append(watch.report());
        } else if (step.startsWith("local")) {
            measurements.append(String.format(Locale.ROOT, "  %-40s peak RSS %7.1f MiB%n", "test JVM (hosts the local run)",
                    ownPeakMib()));
        }
    }

    private static double ownPeakMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // Not Linux; the figure is informational.
        }
        return Double.NaN;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }

    /** What a Spark event log says about executors and tasks. */
    record EventLog(String appId, Map<String, URI> executorLogUrls, Map<String, Integer> successfulTasks,
                    List<String> removedExecutors, List<String> events) {
        static EventLog read(Path dir) throws IOException {
            Path file;
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> logs = files.filter(p -> !p.getFileName().toString().endsWith(".inprogress")).toList();
                assertEquals(1, logs.size(), "one finished event log expected in " + dir + ": " + logs);
                file = logs.get(0);
            }
            String appId = null;
            Map<String, URI> logUrls = new HashMap<>();
            Map<String, Integer> tasks = new TreeMap<>();
            List<String> removed = new ArrayList<>();
            List<String> order = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                JsonNode event = JSON.readTree(line);
                switch (event.path("Event").asText()) {
                    case "SparkListenerApplicationStart" -> appId = event.path("App ID").asText();
                    case "SparkListenerExecutorAdded" -> {
                        String id = event.path("Executor ID").asText();
                        logUrls.put(id, URI.create(event.path("Executor Info").path("Log Urls").path("stderr").asText()));
                        order.add("added " + id);
                    }
                    case "SparkListenerExecutorRemoved" -> {
                        removed.add(event.path("Executor ID").asText());
                        order.add("removed " + event.path("Executor ID").asText());
                    }
                    case "SparkListenerTaskEnd" -> {
                        if ("Success".equals(event.path("Task End Reason").path("Reason").asText())) {
                            tasks.merge(event.path("Task Info").path("Executor ID").asText(), 1, Integer::sum);
                        }
                    }
                    default -> { }
                }
            }
            assertNotNull(appId, "no application start in " + file);
            return new EventLog(appId, logUrls, tasks, removed, order);
        }

        /** The Worker (1-based) that started an executor: its log URL points at that Worker's web UI. */
        int worker(String executor, List<URI> workerUis) {
            URI log = executorLogUrls.get(executor);
            assertNotNull(log, "executor " + executor + " ran tasks but was never added");
            for (int i = 0; i < workerUis.size(); i++) {
                if (workerUis.get(i).getPort() == log.getPort()) {
                    return i + 1;
                }
            }
            throw new AssertionError("executor " + executor + "'s log URL " + log + " names no Worker of " + workerUis);
        }

        /** Executors added after the given one was removed. */
        List<String> addedAfterRemoval(String executor) {
            int removedAt = events.indexOf("removed " + executor);
            if (removedAt < 0) {
                return List.of();
            }
            List<String> added = new ArrayList<>();
            for (String event : events.subList(removedAt + 1, events.size())) {
                if (event.startsWith("added ")) {
                    added.add(event.substring(6));
                }
            }
            return added;
        }
    }
}
