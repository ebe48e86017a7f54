package org.l1net.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for the report tests: found on the PATH (or $L1NET_CHROMIUM), run with a fresh
 * profile, no network services and no GPU, on a file:// URL. .ci/install-chromium.sh installs it.
 */
final class Chromium {
    private static final long TIMEOUT_SECONDS = 120;

    /** What one run left: stdout (the DOM with --dump-dom) and stderr (the log, console messages included). */
    record Run(int status, String out, String log) {
        /** Console messages of the page: Chromium logs each as "...:CONSOLE:<line>] "text", source: ...". */
        List<String> consoleMessages() {
            return log.lines().filter(l -> l.contains(":CONSOLE")).toList();
        }
    }

    private final Path executable;
    private final Path work;

    private Chromium(Path executable, Path work) {
        this.executable = executable;
        this.work = work;
    }

    /**
     * The browser, or a skipped test when there is none here and this is not CI; on CI (CI=true) a missing
     * browser fails the test, so the check can never silently stop running there.
     */
    static Chromium require(Path work) {
        Path found = find();
        if (found == null) {
            String message = "no chromium on the PATH (nor $L1NET_CHROMIUM); .ci/install-chromium.sh installs Debian's";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " (CI=true: this check must run)");
            }
            Assumptions.abort(message + "; skipping the browser check");
        }
        return new Chromium(found, work);
    }

    private static Path find() {
        String configured = System.getenv("L1NET_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Loads the page and runs one action on it: e.g. --dump-dom, or --screenshot=FILE. */
    Run run(Path page, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile-");
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(action));
        command.add(page.toUri().toString());
        Path out = work.resolve(profile.getFileName() + ".out");
        Path err = work.resolve(profile.getFileName() + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
