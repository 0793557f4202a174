package dev.verydeep.cli;

import dev.verydeep.bench.golden.GoldenCheck;
import dev.verydeep.bench.golden.GoldenFile;
import dev.verydeep.bench.golden.PaperComparison;
import dev.verydeep.core.UserException;
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
        subcommands = {GoldenCommand.Check.class})
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
                "With --against-paper DIR: compare your result files with the paper's tables instead (exits 1 on any DIFF)."})
    static final class Check implements Callable<Integer> {
        @Option(names = "--quick", description = "Only the entries that take under a minute.")
        boolean quick;

        @Option(names = "--file", paramLabel = "F", description = "A golden file (name in golden-data, e.g. verydeep-table2.json, or a path); repeatable. Default: all.")
        List<String> files;

        @Option(names = "--work", paramLabel = "DIR", description = "Where reruns write their outputs (default: a temporary folder).")
        Path work;

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
            List<GoldenCheck.Outcome> outcomes = GoldenCheck.check(golden, quick, runner, dir, out);
            if (outcomes.isEmpty()) {
                throw new UserException("no golden entries to check" + (quick ? " under a minute" : "") + " in " + golden.stream().map(GoldenFile::name).toList());
            }
            out.println();
            out.print(GoldenCheck.table(outcomes));
            out.flush();
            return outcomes.stream().anyMatch(GoldenCheck.Outcome::failed) ? 1 : 0;
        }
    }
}
