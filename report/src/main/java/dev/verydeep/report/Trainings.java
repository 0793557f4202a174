package dev.verydeep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.report.ResultTree.Evaluation;
import dev.verydeep.report.ResultTree.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * How the nets behind a result were trained, as the report labels them: the shipped reference nets (training runs
 * under a folder given as a reference) and every other net, each with its epochs and learning-rate divisions counted
 * from its {@code log.jsonl}: "reference, converged (25 epochs, 3 lr divisions)", "brief training (4 epochs, 0 of 3 lr
 * divisions)". Converged: the plateau schedule made all its divisions ({@code settings.maxLrDecreases}).
 */
public final class Trainings {
    /** The two kinds of nets the findings keep apart. */
    static final String REFERENCE = "reference";
    static final String OTHER = "other";

    private final ResultTree tree;
    private final List<Path> references;

    /** {@code references}: folders of shipped reference nets (their training runs are labelled as reference nets). */
    public Trainings(ResultTree tree, List<Path> references) {
        this.tree = tree;
        this.references = references.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    public boolean isReference(TrainingRun r) {
        Path d = r.dir().toAbsolutePath().normalize();
        return references.stream().anyMatch(d::startsWith);
    }

    /** Learning-rate divisions in the run's log: epochs whose rate is below half the previous epoch's. */
    static int divisions(List<JsonNode> log) {
        int n = 0;
        for (int i = 1; i < log.size(); i++) {
            if (log.get(i).path("learningRate").asDouble() < 0.5 * log.get(i - 1).path("learningRate").asDouble()) {
                n++;
            }
        }
        return n;
    }

    /** The run's label; its numbers come from its log.jsonl and run.json. */
    public String label(TrainingRun r) {
        String kind = isReference(r) ? "reference, " : "";
        if (r.log().isEmpty()) {
            return kind + "training log not among the inputs";
        }
        int epochs = r.log().get(r.log().size() - 1).path("epoch").asInt(r.log().size());
        int div = divisions(r.log());
        JsonNode max = r.run().path("settings").path("maxLrDecreases");
        if (!max.isInt()) {
            return kind + String.format(Locale.ROOT, "%d epochs, %d lr divisions", epochs, div);
        }
        String from = initialisedFrom(r);
        if (div >= max.asInt()) {
            return kind + String.format(Locale.ROOT, "%s (%d epochs, %d lr divisions%s)", kind.isEmpty() ? "trained to the schedule's end"
                    : "converged", epochs, div, from);
        }
        return kind + String.format(Locale.ROOT, "%s (%d epochs, %d of %d lr divisions%s)", kind.isEmpty() ? "brief training"
                : "stopped before the schedule's end", epochs, div, max.asInt(), from);
    }

    /**
     * ", from NET" when the run started from another net's layers (its epochs come on top of that net's), else "": NET is
     * the run folder's name, or for an exported model (reference/A-37/model-dense.onnx) the name of the folder holding it.
     */
    static String initialisedFrom(TrainingRun r) {
        return initialisedFrom(r.run().path("settings").path("initFrom").asText(""));
    }

    /** Whether the run started from another net's layers ({@code settings.initFrom} set). */
    static boolean startedFromAnotherNet(TrainingRun r) {
        return !initialisedFrom(r).isEmpty();
    }

    static String initialisedFrom(String from) {
        if (from.isBlank()) {
            return "";
        }
        Path p = Path.of(from);
        Path net = from.endsWith(".onnx") && p.getParent() != null ? p.getParent() : p;
        return ", from " + net.getFileName();
    }

    /**
     * The settings one family of nets shares and a finding needs equal on both sides (run.json paths under
     * {@code settings}): the learning rate, patience, initialisation and training scales may differ between nets of one
     * recipe (the paper fine-tunes deeper, S=55 and jittered nets from others at a lower rate), and so may the epoch
     * budget (the demo fine-tunes D from A for fewer epochs; a reference net stops at its schedule's end, before it):
     * how far each net trained is in its label (epochs, learning-rate divisions).
     */
    private static final List<String> RECIPE = List.of("net/width", "net/fcWidth", "net/crop", "batchSize", "weightDecay", "dropout");

    /**
     * What differs between the recipes of two nets ("width 0.375 vs 0.25, fcWidth 512 vs 1024"), "" when they share it or
     * a run is unknown (null): a finding's comparison of nets with different recipes measures the recipe as well.
     */
    public static String recipeDifference(TrainingRun a, TrainingRun b) {
        if (a == null || b == null) {
            return "";
        }
        List<String> differences = new ArrayList<>();
        for (String path : RECIPE) {
            String x = setting(a, path);
            String y = setting(b, path);
            if (!x.equals(y)) {
                differences.add(path.substring(path.lastIndexOf('/') + 1) + " " + x + " vs " + y);
            }
        }
        return String.join(", ", differences);
    }

    private static String setting(TrainingRun r, String path) {
        JsonNode n = r.run().path("settings").at("/" + path);
        return n.isMissingNode() || n.isNull() ? "unset" : n.asText();
    }

    /** The training runs of the nets behind an evaluation or fusion (a fusion's through its input folders); null where unknown. */
    List<TrainingRun> runs(Evaluation e) {
        List<TrainingRun> out = new ArrayList<>();
        if (e.fusion()) {
            for (JsonNode in : e.results().path("inputs")) {
                Evaluation member = tree.evaluationIn(in.path("folder").asText(""));
                if (member == null) {
                    out.add(null);
                } else {
                    out.addAll(runs(member));
                }
            }
        } else {
            e.results().path("models").forEach(m -> out.add(tree.runOf(m.path("path").asText(""))));
        }
        return out;
    }

    /** The labels of the nets behind a result, each once; a dash when no training run of theirs is among the inputs. */
    String label(Evaluation e) {
        LinkedHashSet<String> labels = new LinkedHashSet<>();
        for (TrainingRun r : runs(e)) {
            labels.add(r == null ? "training run not among the inputs" : label(r));
        }
        return labels.isEmpty() ? ReportBuilder.NONE : String.join("; ", labels);
    }

    /** {@link #REFERENCE} when every net behind the result is a reference net, else {@link #OTHER}. */
    String kind(Evaluation e) {
        List<TrainingRun> rs = runs(e);
        return !rs.isEmpty() && rs.stream().allMatch(r -> r != null && isReference(r)) ? REFERENCE : OTHER;
    }
}
