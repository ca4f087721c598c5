package io.agentwatch.stack;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code agentwatch} command. Each subcommand is a picocli command class; a module adds its own with one
 * line in {@link #SUBCOMMANDS}. Errors end with a one-line message and exit code 1, never a stack trace on the
 * console; the stack trace goes to the log file in the data directory once that exists.
 */
@Command(name = "agentwatch", mixinStandardHelpOptions = true, versionProvider = AgentwatchCli.Version.class,
        description = "Streaming anomaly detection for AI-agent fleets on Kafka.")
public final class AgentwatchCli implements Callable<Integer> {
    /** The subcommands, in help order. One line each. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            UpCommand.class,
            DemoCommand.class);

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with all subcommands and the error handler, ready to execute. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AgentwatchCli());
        SUBCOMMANDS.forEach(cli::addSubcommand);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("agentwatch " + commandLine.getCommandName() + ": " + describe(e));
            err.flush();
            // INFO on a logger outside io.agentwatch: the data-directory log file gets the stack trace, the console does not
            LoggerFactory.getLogger("agentwatch.failures").info("agentwatch {} failed", commandLine.getCommandName(), e);
            return 1;
        });
        return cli;
    }

    private static String describe(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append(": ").append(cause.getMessage());
            }
        }
        return message.toString();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }

    /** The version from the jar manifest (Implementation-Version), or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AgentwatchCli.class.getPackage().getImplementationVersion();
            return new String[] {"agentwatch " + (version == null ? "development" : version)};
        }
    }
}
