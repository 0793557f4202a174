package dev.verydeep.cli;

import dev.verydeep.report.Report;
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
                + "(results.json, confusion.png), transfer results (results-*.json) and JMH JSON. Other files are skipped.",
            "Tables follow the paper's layout with the paper's numbers beside ours where the protocol corresponds; a provenance "
                + "section names, for every number, its file and that file's command, git commit and versions."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUNS", description = "Folders (or files) holding result files.")
    List<Path> runs;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "report", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Report.Written w = Report.write(runs, out);
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
