package dev.verydeep.cli.testing;

import dev.verydeep.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The one in-process runner of the verydeep command line for tests (the CLI's and the end-to-end tests, through
 * verydeep-cli's test-jar): runs {@link Main#run} and keeps its exit code and what it printed. Here rather than
 * with the rest of the test support ({@code dev.verydeep.core.testing}) because it needs the CLI, and so DJL.
 */
public record CliRun(int code, String out, String err) {
    /** Runs {@code verydeep ARGS...} in this JVM. */
    public static CliRun cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Runs {@code verydeep ARGS...} and asserts it exits 0, printing the command and its output when not. */
    public static CliRun ok(String... args) {
        CliRun r = cli(args);
        org.junit.jupiter.api.Assertions.assertEquals(0, r.code(), String.join(" ", args) + "\n" + r);
        return r;
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
    }
}
