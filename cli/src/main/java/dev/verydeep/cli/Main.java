package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code verydeep} command. Each verb is a sub-command with its own {@code --help}. User errors
 * ({@link UserException}, bad flags) end with exit code 2 and one line on stderr; {@code --verbose}
 * adds the stack trace. Other failures exit 1. A word that is not a verb gets one line naming the nearest verb
 * ({@link UnknownVerb}), before picocli parses anything.
 */
@Command(name = "verydeep", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Train, export, verify and benchmark very deep ConvNets (VGG, Simonyan & Zisserman 2015).",
        subcommands = {DemoCommand.class, DescribeCommand.class, TrainCommand.class, TrainLocCommand.class, ExportCommand.class, ConvertCommand.class,
            InspectCommand.class, VerifyCommand.class, EvalCommand.class, FuseCommand.class, LocalizeCommand.class, MakeDatasetCommand.class,
            ExtractCommand.class, TransferCommand.class, BenchCommand.class, GoldenCommand.class, ReportCommand.class,
            SuiteCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(new CommandLine(new Main()), args, out, err);
    }

    /** Runs {@code cl} (this command or another top command, e.g. the spark module's) with the errors reported as here. */
    public static int run(CommandLine cl, String[] args, PrintWriter out, PrintWriter err) {
        cl.setOut(out);
        cl.setErr(err);
        var unknown = UnknownVerb.check(args, cl.getSubcommands().keySet());
        if (unknown.isPresent()) {
            err.println(unknown.get());
            err.flush();
            return 2;
        }
        cl.setParameterExceptionHandler((ex, args2) -> {
            CommandLine c = ex.getCommandLine();
            err.println(name(c) + ": " + ex.getMessage() + " (see --help)");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.originalArgs().contains("--verbose");
            Throwable shown = ex instanceof UserException ? ex : rootUserError(ex);
            if (shown != null) {
                err.println(name(commandLine) + ": " + shown.getMessage());
                if (verbose) {
                    ex.printStackTrace(err);
                }
                err.flush();
                return 2;
            }
            err.println(name(commandLine) + ": internal error: " + ex
                    + (verbose ? "" : " (run with --verbose for the stack trace)"));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl.execute(args);
    }

    /** "verydeep VERB" ("verydeep spark VERB" under the spark module's top command). */
    private static String name(CommandLine c) {
        CommandLine parent = c.getParent();
        boolean nested = parent != null && parent.getParent() == null && !parent.getCommandName().equals("verydeep");
        return "verydeep " + (nested ? parent.getCommandName() + " " : "") + c.getCommandName();
    }

    private static Throwable rootUserError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof UserException) {
                return t;
            }
        }
        return null;
    }
}
