package dev.verydeep.spark;

import dev.verydeep.spark.hadoop.HadoopFileSystems;
import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --master}: where the Spark job runs. The flags the spark verbs add to the plain ones. */
public final class SparkOptions {
    static final String DEFAULT_MASTER = "local[*]";

    @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[N], local[N,MAXFAILURES], spark://HOST:PORT, yarn, "
            + "k8s://... (default: spark-submit's --master, else " + DEFAULT_MASTER + ").")
    String master;

    @Spec(Spec.Target.MIXEE)
    CommandSpec verb;

    /** The verb's arguments as given (verb first): how executors rebuild what the driver resolved. */
    String[] args() {
        return verb.commandLine().getParseResult().originalArgs().toArray(new String[0]);
    }

    /** Names the Hadoop file systems the driver read inputs through (none: nothing printed). */
    static void printHadoopInputs(PrintWriter w) {
        List<String> used = HadoopFileSystems.used();
        if (!used.isEmpty()) {
            w.println("inputs read through Hadoop: " + String.join(", ", used));
        }
    }

    /** The session: {@code --master}, else what spark-submit set, else {@value #DEFAULT_MASTER}. */
    SparkSession session(String appName) {
        SparkConf conf = new SparkConf();
        String m = master != null ? master : conf.get("spark.master", DEFAULT_MASTER);
        // The UI is of little use for a batch job started from the command line and takes a port per run.
        return SparkSession.builder().appName(appName).master(m).config("spark.ui.enabled", conf.get("spark.ui.enabled", "false"))
                .getOrCreate();
    }
}
