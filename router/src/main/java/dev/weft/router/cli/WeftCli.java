package dev.weft.router.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code weft} command line: the entry point of the launcher script and of the router daemon.
 *
 * <p>Each subcommand is its own class in this package; add it to {@code subcommands} below.
 */
@Command(
        name = "weft",
        mixinStandardHelpOptions = true,
        versionProvider = WeftVersion.class,
        description = "Weft: a decentralized, encrypted mesh network for containers and Kubernetes.",
        subcommands = {
            CommandLine.HelpCommand.class,
            LaunchCommand.class,
            DemoCommand.class,
            AttachCommand.class,
            DetachCommand.class,
            StatusCommand.class,
            ConnectCommand.class,
            ForgetCommand.class,
            RmpeerCommand.class,
            ResetCommand.class
        })
public final class WeftCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** A configured command line, for {@link #main} and for tests. */
    public static CommandLine newCommandLine() {
        return new CommandLine(new WeftCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(WeftCli::failed);
    }

    /**
     * A command failed with an I/O error (the router's API unreachable, a reset connection): one
     * line naming the command, exit 1. Anything else is a bug and keeps its stack trace.
     */
    private static int failed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof java.io.IOException) {
            cl.getErr().println(cl.getCommandSpec().qualifiedName(" ") + ": " + e.getMessage());
            cl.getErr().flush();
            return 1;
        }
        throw e;
    }

    @Override
    public void run() {
        // `weft` alone explains itself (picocli prints the message and the usage) and exits 2.
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
    }
}
