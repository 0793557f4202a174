package dev.verydeep.cli.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in checkout for testing the scripts of docs/scripts: the given scripts copied from this checkout beside a
 * stand-in {@code verydeep} launcher that records its arguments and "trains" by writing the run's weights. What a
 * script asked of verydeep, in order, is {@link #calls()}.
 */
public final class ScriptRepo {
    /** Records and prints each call; {@code train ... --out DIR} and {@code train --resume DIR} leave DIR/weights.vdw. */
    private static final String STAND_IN_VERYDEEP = """
            #!/usr/bin/env bash
            echo "$*" >> "$(dirname "$0")/calls.txt"
            echo "$*"
            [ "$1" = train ] || [ "$1" = train-loc ] || exit 0
            while [ $# -gt 0 ]; do
              case "$1" in --out|--resume) mkdir -p "$2"; touch "$2/weights.vdw" ;; esac
              shift
            done
            """;

    /** A script's exit code and what it printed (stdout and stderr together). */
    public record Ran(int code, String console) {
    }

    private final Path root;

    private ScriptRepo(Path root) {
        this.root = root;
    }

    /** A stand-in checkout in {@code dir} with {@code scripts} (names in docs/scripts) and the stand-in launcher. */
    public static ScriptRepo in(Path dir, String... scripts) throws IOException {
        Path to = Files.createDirectories(dir.resolve("docs/scripts"));
        Path checkout = Path.of(System.getProperty("verydeep.repo", "..")).toAbsolutePath().normalize();
        for (String s : scripts) {
            Files.copy(checkout.resolve("docs/scripts").resolve(s), to.resolve(s));
        }
        Files.writeString(dir.resolve("verydeep"), STAND_IN_VERYDEEP);
        assertTrue(dir.resolve("verydeep").toFile().setExecutable(true));
        return new ScriptRepo(dir);
    }

    /** Runs {@code bash docs/scripts/SCRIPT ARGS...} (at most a minute). */
    public Ran run(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("docs/scripts").resolve(script).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String console = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), script + " did not finish");
        return new Ran(p.exitValue(), console);
    }

    /** Every call of the stand-in launcher so far, one line each ({@code verb args...}). */
    public List<String> calls() throws IOException {
        Path calls = root.resolve("calls.txt");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    /** A reference net's run.json (reference/NET/run.json) with the given net settings, as the trainer writes them. */
    public void referenceRun(String net, double width, int fcWidth, int epochs) throws IOException {
        Path dir = Files.createDirectories(root.resolve("reference").resolve(net));
        Files.writeString(dir.resolve("run.json"), String.format(java.util.Locale.ROOT, """
                {
                  "settings" : {
                    "net" : {
                      "config" : "%s",
                      "width" : %s,
                      "fcWidth" : %d,
                      "crop" : 32
                    },
                    "epochs" : %d,
                    "threads" : 2
                  }
                }
                """, net.substring(0, net.lastIndexOf('-')), width, fcWidth, epochs));
    }
}
