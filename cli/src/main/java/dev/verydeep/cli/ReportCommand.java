package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import dev.verydeep.report.Report;
import java.nio.file.Files;
import java.util.ArrayList;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verydeep report RUNS... -o report/}: the report, rendered only from result files. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Render report.md and a self-contained report.html from the result files under the given folders "
                + "(searched recursively): training runs (run.json, log.jsonl, eval.json, curves.png), evaluations and fusions "
                + "(results.json, confusion.png; the saved posteriors give the findings' per-image outcomes), transfer results (results-*.json) and JMH JSON. Other files are skipped.",
            "Tables follow the paper's layout with the paper's numbers beside ours where the protocol corresponds; a provenance "
                + "section names, for every number, its file and that file's command, git commit and versions."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUNS", description = "Folders (or files) holding result files.")
    List<Path> runs;

    @Option(names = "--reference", paramLabel = "DIR", description = "A folder of shipped reference nets (e.g. reference/), read like "
            + "RUNS; their nets' rows are labelled \"reference\" and the findings compare them only among themselves. Repeatable.")
    List<Path> references = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "report", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (Path r : references) {
            if (!Files.isDirectory(r)) {
                throw new UserException("--reference " + r + ": no such folder");
            }
        }
        Report.Written w = Report.write(runs, references, new PosteriorOutcomes(), out);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("report from %d training runs, %d evaluations/fusions, %d transfer results, %d localisation results, %d JMH files"
                + " (%d other files skipped)%n", w.tree().runs().size(), w.tree().evaluations().size(), w.tree().transfers().size(),
                w.tree().localisations().size(), w.tree().jmh().size(), w.tree().skipped().size());
        o.println("-> " + w.markdown().toAbsolutePath());
        o.println("-> " + w.html().toAbsolutePath());
        o.flush();
        return 0;
    }
}
