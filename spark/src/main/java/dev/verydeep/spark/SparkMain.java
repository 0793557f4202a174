package dev.verydeep.spark;

import dev.verydeep.cli.Main;
import dev.verydeep.spark.hadoop.HadoopFileSystems;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code verydeep spark eval|extract|transfer}: the entry point of the spark module's jar, for {@code ./verydeep spark ...} (Spark on the
 * class path, {@code --master local[*]} by default) and for {@code spark-submit --class dev.verydeep.spark.SparkMain}.
 * Errors are reported as the plain CLI reports them.
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = "Run eval, extract or transfer as a Spark job: the same options as the plain verbs, plus --master.",
        subcommands = {SparkEvalCommand.class, SparkExtractCommand.class, SparkTransferCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // Spark's and Hadoop's INFO lines (dozens per job) would bury the verb's own output; --verbose does not change this.
        for (String quiet : new String[] {"org.apache.spark", "org.sparkproject", "org.apache.hadoop", "org.apache.parquet"}) {
            System.setProperty("org.slf4j.simpleLogger.log." + quiet, System.getProperty("org.slf4j.simpleLogger.log." + quiet, "warn"));
        }
        HadoopFileSystems.install();
        return Main.run(new CommandLine(new SparkMain()), args, out, err);
    }

    /** The sub-command object {@code args} parse into, its options set (how executors rebuild the driver's plan). */
    static <T> T parse(String[] args, Class<T> type) {
        HadoopFileSystems.install();
        CommandLine cl = new CommandLine(new SparkMain());
        CommandLine.ParseResult r = cl.parseArgs(args);
        return type.cast(r.subcommand().commandSpec().userObject());
    }
}
