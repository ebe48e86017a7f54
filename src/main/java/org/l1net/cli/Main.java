package org.l1net.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The l1net command line: {@code l1net train|sweep|generate|evaluate|predict|inspect [options]}. */
@Command(name = "l1net", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Feed-forward neural-network classifiers with L1 regularization, trained on Apache Spark.",
        subcommands = {TrainCommand.class, SweepCommand.class, GenerateCommand.class, EvaluateCommand.class, PredictCommand.class,
                InspectCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status for bad options or bad input. */
    public static final int USAGE_ERROR = 2;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command and returns its exit status, printing to the given writers. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        try {
            JobDefaults defaults = JobDefaults.fromSystemProperty();
            defaults.validate(cli);
            cli.setDefaultValueProvider(defaults);
        } catch (IllegalArgumentException e) {
            err.println("l1net: error: " + e.getMessage());
            return USAGE_ERROR;
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("l1net " + commandLine.getCommandName() + ": error: " + e.getMessage());
                return USAGE_ERROR;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Prints the l1net version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"l1net " + org.l1net.model.Versions.l1net()};
        }
    }
}
