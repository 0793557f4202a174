package dev.verydeep.cli;

import dev.verydeep.golden.GoldenCheck;
import dev.verydeep.golden.GoldenFile;
import dev.verydeep.golden.GoldenPin;
import dev.verydeep.golden.GoldenSpread;
import dev.verydeep.golden.PaperComparison;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verydeep golden}: the golden-number regression harness. */
@Command(name = "golden", mixinStandardHelpOptions = true,
        description = "Golden numbers: the paper's tables and our own pinned results (golden-data/).",
        subcommands = {GoldenCommand.Check.class, GoldenCommand.Pin.class, GoldenCommand.Spread.class})
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
                        + "(e.g. verydeep suite --reference --out DIR, which resumes after a kill; then --file verydeep-fashion-reference.json).",
                "With --against-paper DIR: compare your result files with the paper's tables instead (exits 1 on any DIFF)."})
    static final class Check implements Callable<Integer> {
        @Option(names = "--quick", description = "Only the entries that take under a minute.")
        boolean quick;

        @Option(names = "--file", paramLabel = "F", description = "A golden file (name in golden-data, e.g. verydeep-table2.json, or a path); repeatable. Default: all.")
        List<String> files;

        @Option(names = "--work", paramLabel = "DIR", description = "Where reruns write their outputs (default: a temporary folder).")
        Path work;

        @Option(names = "--entry", paramLabel = "ID", description = "Only this entry (repeatable).")
        Set<String> entries = new LinkedHashSet<>();

        @Option(names = "--threads", paramLabel = "N", description = "Run every entry's commands with --threads N instead of the pinned count "
                + "(another summation order, as on another machine).")
        int threads;

        @Option(names = "--seed-offset", paramLabel = "K", description = "Add K to every --seed of the entries' commands (another training trajectory).")
        long seedOffset;

        @Option(names = "--values", paramLabel = "FILE", description = "Also write each entry's measured value and this machine's numeric "
                + "environment to FILE (JSON; what golden spread reads).")
        Path values;

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
            GoldenCheck.Options options = new GoldenCheck.Options(quick, entries, threads, seedOffset);
            return report(out, GoldenCheck.check(golden, options, runner, dir, out), golden);
        }

        private int report(PrintWriter out, List<GoldenCheck.Outcome> outcomes, List<GoldenFile> golden) {
            if (outcomes.isEmpty()) {
                throw new UserException("no golden entries to check" + (quick ? " under a minute" : "") + " in " + golden.stream().map(GoldenFile::name).toList());
            }
            if (values != null) {
                Json.write(values, GoldenSpread.values(outcomes, codeVersion()));
            }
            out.println();
            out.print(GoldenCheck.table(outcomes));
            out.flush();
            return outcomes.stream().anyMatch(GoldenCheck.Outcome::failed) ? 1 : 0;
        }
    }

    /** {@code verydeep golden spread}. */
    @Command(name = "spread", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Measure how far each golden entry moves on other machines and set its tolerance from that: every entry is rerun "
                    + "under each numeric environment of the matrix (ATEN_CPU_CAPABILITY default/avx2, ONEDNN_MAX_CPU_ISA=SSE41, "
                    + "MKL_CBWR=COMPATIBLE, 2 threads, ONNX Runtime with basic graph optimisation, and CI's perturbed combination), each in a "
                    + "fresh process, and entries that train a net over --seeds seeds. Writes value, tolerance (" + GoldenSpread.RULE
                    + "), the measured spread and the pinned environment into each entry.",
                "Re-pinning a golden file is this one command; after a kill, the same command reuses the environments already "
                        + "measured in --work (same entries, nets, data and code commit; delete a folder to measure it again)."})
    static final class Spread implements Callable<Integer> {
        @Option(names = "--file", required = true, paramLabel = "F", description = "The golden file to measure (a path).")
        Path file;

        @Option(names = "--quick", description = "Only the entries that take under a minute.")
        boolean quick;

        @Option(names = "--entry", paramLabel = "ID", description = "Only this entry (repeatable).")
        Set<String> entries = new LinkedHashSet<>();

        @Option(names = "--seeds", paramLabel = "N", defaultValue = "5", description = "Seeds for entries that train a net (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--work", required = true, paramLabel = "DIR", description = "Where the reruns write (one folder per environment and seed, with a log).")
        Path work;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write the measured file (default: over --file).")
        Path output;

        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new UserException(file + ": no such golden file (spread rewrites a file on disk: give its path)");
            }
            if (seeds < 1) {
                throw new UserException("--seeds " + seeds + ": needs at least 1");
            }
            PrintWriter out = spec.commandLine().getOut();
            ObjectNode measured = GoldenSpread.measure(file, quick, entries, seeds, codeVersion(), ChildProcess::run, work, out);
            Path target = output != null ? output : file;
            Json.write(target, measured);
            out.printf("measured the spread of %s -> %s%n", file, target);
            out.flush();
            return 0;
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

    /** The commit this verydeep was built from, as golden values record it. */
    static String codeVersion() {
        Provenance p = Provenance.capture("", Map.of());
        return p.gitCommit() + (p.gitDirty() ? " (uncommitted changes)" : "");
    }
}
