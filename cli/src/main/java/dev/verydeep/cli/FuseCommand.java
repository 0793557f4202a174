package dev.verydeep.cli;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.runtime.eval.EvalReport;
import dev.verydeep.runtime.eval.PosteriorSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verydeep fuse A/ B/ ...}: fusion of saved evaluations, from their posteriors, without running a net. */
@Command(name = "fuse", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fuse the nets of earlier verydeep eval runs by averaging their saved posteriors (posteriors.bin): each net "
                + "contributes its posterior over all the methods and scales of its run.",
            "Uses the images every run evaluated (matched by id); writes results.json, confusion.png and table.txt into --out."})
final class FuseCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "RUN", description = "Evaluation folders (each with posteriors.bin).")
    List<Path> runs;

    @Mixin
    OutputFolder output;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        String command = CommandLines.of(spec);
        List<PosteriorSet> sets = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path r : runs) {
            Path f = r.resolve(PosteriorSet.FILE);
            if (!Files.isDirectory(r)) {
                throw new UserException(r + " is not an evaluation folder (expected a folder written by verydeep eval)");
            }
            if (!Files.exists(f)) {
                throw new UserException(r + " has no " + PosteriorSet.FILE + " (expected a folder written by verydeep eval)");
            }
            sets.add(PosteriorSet.read(f));
            names.add(r.toString());
        }
        EvalReport.Fusion fusion = EvalReport.fuse(sets, names);
        Path dir = output.prepare("fuse", EvalReport.FILES, 1L << 20);
        String table = EvalReport.writeFusion(dir, fusion, runs, Provenance.capture(command, Versions.all()));
        w.print(table);
        for (int i = 0; i < runs.size(); i++) {
            if (fusion.dropped().get(i) > 0) {
                w.printf(Locale.ROOT, "note: %d image(s) of %s are not in every run and were left out%n", fusion.dropped().get(i), runs.get(i));
            }
        }
        w.println("results: " + dir + " (results.json, confusion.png, table.txt)");
        w.flush();
        return 0;
    }
}
