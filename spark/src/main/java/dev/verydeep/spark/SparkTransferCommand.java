package dev.verydeep.spark;

import dev.verydeep.cli.TransferCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code verydeep spark transfer}: {@code verydeep transfer} with its one-vs-rest SVMs trained by Spark tasks
 * ({@link SvmTasks}); the same options, checks and result file (the units are those the in-process run loops over, so
 * the results are identical).
 */
@Command(name = "transfer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"verydeep transfer as a Spark job: the descriptors are broadcast; every class at every C of the validation grid "
                + "(and of every Caltech split) is a unit, and the units are trained as Spark tasks in two rounds (validation, then "
                + "the chosen C); the results file is the one verydeep transfer writes, with the same numbers.",
            "--features must be readable by the driver only; the executors get the descriptors from the broadcast."})
public final class SparkTransferCommand extends TransferCommand {
    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        PrintWriter out = sparkOptions.verb.commandLine().getOut();
        try (SvmTasks tasks = new SvmTasks(() -> sparkOptions.session("verydeep spark transfer"), out)) {
            return run(tasks);
        }
    }
}
