package org.l1net.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a properties file ({@code conf/l1net-defaults.properties}): the key
 * {@code train.epochs} is the default of {@code l1net train --epochs}. Options on the command line
 * override them; options missing from the file keep the default written in the code. A key that
 * names no option is an error, so a typo cannot silently leave a default in force.
 */
public final class JobDefaults implements CommandLine.IDefaultValueProvider {
    /** The system property that names the defaults file; the launchers set it. */
    public static final String PROPERTY = "l1net.defaults";
    /**
     * The same as a Spark property: spark-submit makes every {@code spark.*} setting a system property of the
     * driver, so {@code --conf spark.l1net.defaults=FILE} works in client and cluster mode alike.
     */
    public static final String SPARK_PROPERTY = "spark." + PROPERTY;

    private final Properties values;
    private final String source;

    private JobDefaults(Properties values, String source) {
        this.values = values;
        this.source = source;
    }

    /** The file named by -Dl1net.defaults (or spark.l1net.defaults), or only the code's defaults when unset. */
    public static JobDefaults fromSystemProperty() {
        String file = System.getProperty(PROPERTY, System.getProperty(SPARK_PROPERTY));
        if (file == null || file.isBlank()) {
            return new JobDefaults(new Properties(), "(built-in)");
        }
        return load(Path.of(file));
    }

    public static JobDefaults load(Path file) {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("Job defaults file " + file + " cannot be read: " + e.getMessage());
        }
        return new JobDefaults(p, file.toString());
    }

    /** Fails on any key that is not {@code <command>.<option>} for an option of a subcommand. */
    public void validate(CommandLine root) {
        TreeSet<String> known = new TreeSet<>();
        for (CommandLine sub : root.getSubcommands().values()) {
            for (OptionSpec option : sub.getCommandSpec().options()) {
                known.add(key(sub.getCommandSpec(), option));
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String key : values.stringPropertyNames()) {
            if (!known.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            unknown.sort(null);
            throw new IllegalArgumentException(source + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (keys are <command>.<option>, e.g. train.epochs)");
        }
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!argSpec.isOption() || argSpec.command() == null || argSpec.command().parent() == null) {
            return null;
        }
        String value = values.getProperty(key(argSpec.command(), (OptionSpec) argSpec));
        return value == null ? null : value.trim();
    }

    private static String key(CommandSpec command, OptionSpec option) {
        return command.name() + "." + option.longestName().replaceFirst("^-+", "");
    }

    public String source() {
        return source;
    }
}
