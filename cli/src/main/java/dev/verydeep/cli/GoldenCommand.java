package dev.verydeep.cli;

import dev.verydeep.golden.GoldenCheck;
import dev.verydeep.golden.GoldenFile;
import dev.verydeep.golden.GoldenPin;
import dev.verydeep.golden.PaperComparison;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verydeep golden}: the golden-number regression harness. */
@Command(name = "golden", mixinStandardHelpOptions = true,
        description = "Golden numbers: the paper's tables and our own pinned results (golden-data/).",
        subcommands = {GoldenCommand.Check.class, GoldenCommand.Pin.class})
final class GoldenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code verydeep golden check}. */
    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Rerun our golden entries and compare them with their pinned values (PASS when within tolerance); "
                    + "exits 1 on any FAIL.",
                "With --from DIR: run nothing, read the entries from DIR, the --out folder of a run made before "
                        + "(e.g. verydeep suite --full --out DIR, which resumes after a kill; then --file verydeep-fashion-suite.json).",
                "With --against-paper DIR: compare your result files with the paper's tables instead (exits 1 on any DIFF)."})
    static final class Check implements Callable<Integer> {
        @Option(names = "--quick", description = "Only the entries that take under a minute.")
        boolean quick;

        @Option(names = "--file", paramLabel = "F", description = "A golden file (name in golden-data, e.g. verydeep-table2.json, or a path); repeatable. Default: all.")
        List<String> files;

        @Option(names = "--work", paramLabel = "DIR", description = "Where reruns write their outputs (default: a temporary folder).")
        Path work;

        @Option(names = "--from", paramLabel = "DIR", description = "Read the entries' result files from this run folder instead of rerunning their commands.")
        Path from;

        @Option(names = "--against-paper", paramLabel = "RESULTS_DIR",
                description = "Folder of result files: results.json rows {config, trainS, testQ, method, top1, top5} (errors in %%), or eval.json + run.json of 'verydeep train --eval-data'.")
        Path results;

        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<GoldenFile> golden = files == null ? GoldenFile.all() : files.stream().map(GoldenFile::load).toList();
            if (results != null) {
                List<PaperComparison.Result> res = PaperComparison.read(results);
                List<PaperComparison.Row> rows = PaperComparison.compare(res, golden);
                out.print(PaperComparison.table(res, rows));
                out.flush();
                return rows.stream().allMatch(PaperComparison.Row::match) ? 0 : 1;
            }
            if (from != null) {
                return report(out, GoldenCheck.checkFrom(golden, from, out), golden);
            }
            Path dir = work != null ? work : Files.createTempDirectory("verydeep-golden");
            // Reruns go through this very command line, in-process; their own output is kept out of the table.
            GoldenCheck.CommandRunner runner = args -> {
                StringWriter sink = new StringWriter();
                PrintWriter w = new PrintWriter(sink, true);
                int code = Main.run(args.toArray(String[]::new), w, w);
                if (code != 0) {
                    out.println(sink);
                }
                return code;
            };
            return report(out, GoldenCheck.check(golden, quick, runner, dir, out), golden);
        }

        private int report(PrintWriter out, List<GoldenCheck.Outcome> outcomes, List<GoldenFile> golden) {
            if (outcomes.isEmpty()) {
                throw new UserException("no golden entries to check" + (quick ? " under a minute" : "") + " in " + golden.stream().map(GoldenFile::name).toList());
            }
            out.println();
            out.print(GoldenCheck.table(outcomes));
            out.flush();
            return outcomes.stream().anyMatch(GoldenCheck.Outcome::failed) ? 1 : 0;
        }
    }

    /** {@code verydeep golden pin}. */
    @Command(name = "pin", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write a golden file's values from a finished run: each entry's value is read from its result file in the run "
                    + "folder (as golden check --from reads it), its codeVersion from that file's provenance. Tolerances, commands and notes "
                    + "stay as written."})
    static final class Pin implements Callable<Integer> {
        @Option(names = "--file", required = true, paramLabel = "F", description = "The golden file (a path, or the name of one of golden-data's).")
        String file;

        @Option(names = "--from", required = true, paramLabel = "DIR", description = "The run folder: what the entries' commands call {out}.")
        Path from;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write the pinned file (default: over --file, when it is a path).")
        Path output;

        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            GoldenFile f = GoldenFile.load(file);
            Path target = output != null ? output : Path.of(file);
            if (output == null && !Files.isRegularFile(target)) {
                throw new UserException(file + " is one of golden-data's files, not a path: give -o FILE for the pinned copy");
            }
            ObjectNode pinned = GoldenPin.pin(f, from, CommandLines.of(spec));
            Json.write(target, pinned);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("pinned %d entries of %s from %s -> %s%n", pinned.path("entries").size(), f.name(), from, target);
            out.flush();
            return 0;
        }
    }
}
