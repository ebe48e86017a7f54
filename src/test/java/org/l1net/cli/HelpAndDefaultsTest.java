package org.l1net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** --help on every command, the job-defaults file (conf/), and option errors. */
class HelpAndDefaultsTest {
    private static final List<String> COMMANDS = List.of("train", "sweep", "generate", "evaluate", "predict", "inspect");
    /** An option's row in picocli's help: indented, optionally "-h, ", then the long name. */
    private static final Pattern OPTION_ROW = Pattern.compile("^ {2,6}(?:-\\w, )?(--[\\w-]+)(.*)$");

    @TempDir
    Path dir;

    @Test
    void everyCommandsHelpListsEveryOptionWithItsDefault() {
        for (String command : COMMANDS) {
            Cli.Result help = Cli.withoutSpark(command, "--help");
            assertEquals(0, help.status(), help.toString());
            Map<String, String> rows = optionRows(help.out());
            for (OptionSpec option : subcommand(new CommandLine(new Main()), command).options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                String name = option.longestName();
                String row = rows.get(name);
                assertNotNull(row, command + " --help does not list " + name + "\n" + help.out());
                if (option.required()) {
                    continue;
                }
                if (option.defaultValue() != null) {
                    assertTrue(row.contains("(default: " + option.defaultValueString() + ")"),
                            command + " " + name + " should show its default " + option.defaultValueString() + ": " + row);
                } else {
                    assertTrue(row.contains("(default: "), command + " " + name + " shows no default: " + row);
                }
            }
        }
    }

    @Test
    void helpShowsTheDefaultsInForceFromTheJobDefaultsFile() throws IOException {
        Path defaults = Files.writeString(dir.resolve("jobs.properties"),
                "train.epochs = 77\ntrain.l1-mode = subgradient\ngenerate.noise = 0.25\n");

        Map<String, String> train = optionRows(Cli.runWithDefaults(defaults, "train", "--help").out());
        Map<String, String> generate = optionRows(Cli.runWithDefaults(defaults, "generate", "--help").out());

        assertTrue(train.get("--epochs").contains("(default: 77)"), train.get("--epochs"));
        assertTrue(train.get("--l1-mode").contains("(default: subgradient)"), train.get("--l1-mode"));
        assertTrue(train.get("--lr").contains("(default: 0.01)"), "untouched options keep the code's default");
        assertTrue(generate.get("--noise").contains("(default: 0.25)"), generate.get("--noise"));
    }

    @Test
    void unknownOptionIsAnErrorThatNamesIt() {
        for (String[] args : minimalArgs().values()) {
            String command = args[0];
            String[] withUnknown = java.util.Arrays.copyOf(args, args.length + 2);
            withUnknown[args.length] = "--bogus-option";
            withUnknown[args.length + 1] = "3";
            Cli.Result r = Cli.withoutSpark(withUnknown);
            assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
            assertTrue(r.err().contains("Unknown options: '--bogus-option', '3'"), r.toString());
        }
        Cli.Result typo = Cli.withoutSpark("train", "--train", "x.csv", "--out", dir.toString(), "--epoch", "5");
        assertEquals(Main.USAGE_ERROR, typo.status(), typo.toString());
        assertTrue(typo.err().contains("'--epoch'"), typo.toString());
    }

    @Test
    void unknownKeyInTheJobDefaultsIsAnErrorThatNamesIt() throws IOException {
        Path defaults = Files.writeString(dir.resolve("jobs.properties"),
                "train.epochs = 3\ntrain.epochz = 3\nfit.lr = 0.1\ntrain = 1\n");

        Cli.Result r = Cli.runWithDefaults(defaults, "generate", "--out", dir.resolve("data").toString());

        assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
        assertTrue(r.err().contains(defaults.toString()), r.toString());
        assertTrue(r.err().contains("unknown keys fit.lr, train, train.epochz "),
                "each unknown key named, and only those: " + r);
        assertFalse(Files.exists(dir.resolve("data")), "nothing ran");
    }

    @Test
    void missingJobDefaultsFileIsAnError() {
        Path missing = dir.resolve("nowhere.properties");
        Cli.Result r = Cli.runWithDefaults(missing, "train", "--help");
        assertEquals(Main.USAGE_ERROR, r.status(), r.toString());
        assertTrue(r.err().contains(missing.toString()), r.toString());
    }

    /**
     * conf/l1net-defaults.properties names only existing options, and each of its values is what
     * the option holds after parsing (converted to the option's type) when the command line is
     * silent. TrainCommandTest trains with this file too.
     */
    @Test
    void theShippedJobDefaultsAreValidForEveryCommand() throws IOException {
        JobDefaults defaults = JobDefaults.load(Cli.SHIPPED_DEFAULTS);
        CommandLine cli = new CommandLine(new Main());
        defaults.validate(cli);
        cli.setDefaultValueProvider(defaults);
        Properties file = new Properties();
        try (var reader = Files.newBufferedReader(Cli.SHIPPED_DEFAULTS)) {
            file.load(reader);
        }
        assertFalse(file.isEmpty());
        for (String command : COMMANDS) {
            CommandLine.ParseResult parsed = cli.parseArgs(minimalArgs().get(command));
            CommandLine.Model.CommandSpec spec = parsed.subcommand().commandSpec();
            for (String key : file.stringPropertyNames()) {
                if (key.startsWith(command + ".")) {
                    OptionSpec option = spec.findOption("--" + key.substring(command.length() + 1));
                    assertEquals(file.getProperty(key).trim(), String.valueOf((Object) option.getValue()), key);
                }
            }
        }
    }

    /** Each command with its required options and nothing else. */
    private static Map<String, String[]> minimalArgs() {
        Map<String, String[]> args = new LinkedHashMap<>();
        args.put("train", new String[] {"train", "--train", "t.csv", "--out", "o"});
        args.put("sweep", new String[] {"sweep", "--train", "t.csv", "--validation", "v.csv", "--out", "o"});
        args.put("generate", new String[] {"generate", "--out", "o"});
        args.put("evaluate", new String[] {"evaluate", "--model", "m.json", "--data", "d.csv"});
        args.put("predict", new String[] {"predict", "--model", "m.json", "--data", "d.csv", "--out", "p.csv"});
        args.put("inspect", new String[] {"inspect", "--model", "m.json"});
        assertEquals(COMMANDS, List.copyOf(args.keySet()));
        return args;
    }

    private static CommandLine.Model.CommandSpec subcommand(CommandLine root, String name) {
        return root.getSubcommands().get(name).getCommandSpec();
    }

    /** Each option's help text, its wrapped lines joined with single spaces, by long name. */
    static Map<String, String> optionRows(String help) {
        Map<String, String> rows = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : help.lines().toList()) {
            Matcher m = OPTION_ROW.matcher(line);
            if (m.matches()) {
                if (current != null) {
                    rows.put(current, text.toString().trim().replaceAll("\\s+", " "));
                }
                current = m.group(1);
                text.setLength(0);
                text.append(m.group(2));
            } else if (current != null && line.startsWith("        ")) {
                text.append(' ').append(line);
            }
        }
        if (current != null) {
            rows.put(current, text.toString().trim().replaceAll("\\s+", " "));
        }
        return rows;
    }
}
