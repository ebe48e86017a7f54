package org.l1net.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.l1net.TestSpark;

/** Runs the real command line in this JVM, on the shared test Spark session, and keeps what it printed. */
public final class Cli {
    /** The job defaults the launcher passes, as shipped. */
    public static final Path SHIPPED_DEFAULTS = Path.of("conf", "l1net-defaults.properties");

    private Cli() {
    }

    /** What one command did: its exit status and everything it printed. */
    public record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * Runs {@code l1net args...}. The shared session is made current first, so the command's
     * getOrCreate finds it (UI off, loopback) instead of starting its own; the command stops it,
     * and the next {@link org.l1net.TestSpark#session()} starts a fresh one.
     */
    public static Result run(String... args) {
        TestSpark.session();
        return withoutSpark(args);
    }

    /** Runs a command that starts no Spark session (help, generate, option errors). */
    public static Result withoutSpark(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    /** Runs with {@code -Dl1net.defaults=file} set, as the launcher does, and restores the property after. */
    public static Result runWithDefaults(Path defaultsFile, String... args) {
        String before = System.getProperty(JobDefaults.PROPERTY);
        System.setProperty(JobDefaults.PROPERTY, defaultsFile.toString());
        try {
            return run(args);
        } finally {
            if (before == null) {
                System.clearProperty(JobDefaults.PROPERTY);
            } else {
                System.setProperty(JobDefaults.PROPERTY, before);
            }
        }
    }
}
