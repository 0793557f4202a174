package dev.verydeep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.io.Json;
import dev.verydeep.report.ResultTree;
import dev.verydeep.report.Trainings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's closing table: its own briefly trained nets and the shipped reference nets (trained to convergence),
 * evaluated the same way on the same test images, each group labelled, with D's margin over A in each group. Every
 * number is read from the evaluations' results.json; the labels (epochs, learning-rate divisions) from the runs' logs.
 */
final class DemoComparison {
    private DemoComparison() {
    }

    /**
     * @param own      the demo's evaluations by run name (A-37, D-jit)
     * @param shipped  the reference nets' evaluations by net name (A-37, D-37)
     * @param ownRuns  the demo's run folders
     * @param refRuns  the reference nets' folders
     * @param refDir   the folder of the reference nets (marks them as such)
     */
    static void print(PrintWriter o, Map<String, Path> own, Map<String, Path> shipped, List<Path> ownRuns, List<Path> refRuns, Path refDir) {
        List<Path> runs = new ArrayList<>(ownRuns);
        runs.addAll(refRuns);
        ResultTree tree = ResultTree.scan(runs, null);
        Trainings trainings = new Trainings(tree, List.of(refDir));
        JsonNode any = Json.readTree(own.values().iterator().next().resolve("results.json"));
        o.println();
        o.printf(Locale.ROOT, "dense evaluation at Q=37, top-1 error on the same test images (%s), from each results.json:%n",
                any.path("dataset").path("description").asText());
        group(o, "this demo's nets (trained " + epochs(tree, ownRuns) + " here)", own, tree, trainings,
                " (both trained briefly: the paper's depth ordering needs converged nets" + (shipped.isEmpty() ? ")" : ", as below)"));
        if (!shipped.isEmpty()) {
            group(o, "shipped reference nets (converged, " + epochs(tree, refRuns) + ")", shipped, tree, trainings, "");
        }
        o.println("the demo's nets stop after a few epochs, long before convergence; the reference nets ran until the schedule's last "
                + "learning-rate division (reference/README.md)");
        o.println();
        o.flush();
    }

    /** The group's rows, then D's margin over A followed by {@code marginNote}, or why the two are not compared. */
    private static void group(PrintWriter o, String title, Map<String, Path> evals, ResultTree tree, Trainings trainings,
            String marginNote) {
        o.println(title + ":");
        Double a = null;
        Double d = null;
        ResultTree.TrainingRun aRun = null;
        ResultTree.TrainingRun dRun = null;
        for (Map.Entry<String, Path> e : evals.entrySet()) {
            JsonNode r = Json.readTree(e.getValue().resolve("results.json"));
            JsonNode h = r.path("headline");
            ResultTree.TrainingRun run = tree.runOf(r.path("models").path(0).path("path").asText(""));
            double err = h.path("top1_error").asDouble();
            o.printf(Locale.ROOT, "  %-7s %-9s S=%-9s %7.2f%%  %s%n", e.getKey(), h.path("config").asText(), h.path("train_scale").asText(),
                    100 * err, run == null ? "" : trainings.label(run));
            if (e.getKey().startsWith("A-")) {
                a = err;
                aRun = run;
            } else if (e.getKey().startsWith("D-")) {
                d = err;
                dRun = run;
            }
        }
        if (a != null && d != null) {
            String recipes = Trainings.recipeDifference(dRun, aRun);
            o.println(recipes.isEmpty() ? String.format(Locale.ROOT, "  D vs A: %.2f points %s%s", 100 * Math.abs(d - a),
                    d < a ? "better" : d > a ? "worse" : "(equal)", marginNote)
                    : "  D vs A: not compared, trained with different recipes (D vs A: " + recipes + ")");
        }
    }

    /** "4 and 3 epochs": the last epoch of each run's log. */
    private static String epochs(ResultTree tree, List<Path> runs) {
        List<String> e = new ArrayList<>();
        for (ResultTree.TrainingRun r : tree.runs()) {
            if (runs.stream().anyMatch(p -> p.toAbsolutePath().normalize().equals(r.dir().toAbsolutePath().normalize())) && !r.log().isEmpty()) {
                e.add(r.log().get(r.log().size() - 1).path("epoch").asText());
            }
        }
        return String.join(" and ", e) + " epochs";
    }
}
