package dev.verydeep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.report.ResultTree.Evaluation;
import dev.verydeep.report.ResultTree.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the report knows about a model file a result names: its config and training scale, from the training run it was
 * exported into (when that folder is among the inputs) or else from an evaluation among the inputs that recorded the
 * same model hash; with the file that was read, as a source reference.
 */
final class Nets {
    /** A model's config label, training scale, its training run (null when not among the inputs) and source reference. */
    record Net(String label, String trainS, TrainingRun run, String source) {
    }

    private final ResultTree tree;
    private final Sources sources;
    private final Function<Path, String> name;

    Nets(ResultTree tree, Sources sources, Function<Path, String> name) {
        this.tree = tree;
        this.sources = sources;
        this.name = name;
    }

    /** The net of a model file ({@code path} and/or {@code sha256} may be empty); null when no input records it. */
    Net find(String path, String sha256, String numbers) {
        TrainingRun run = tree.runOf(path);
        if (run != null) {
            JsonNode s = run.run().path("settings");
            return new Net(ReportBuilder.configLabel(s.path("net")), ReportBuilder.trainS(s), run,
                    sources.ref(name.apply(run.dir().resolve("run.json")), "this file", run.run().path("provenance"), numbers));
        }
        if (sha256 == null || sha256.isEmpty()) {
            return null;
        }
        for (Evaluation e : tree.evaluations()) {
            for (JsonNode m : e.results().path("models")) {
                if (sha256.equals(m.path("sha256").asText())) {
                    return new Net(m.path("label").asText(), m.path("train_scale").asText(ReportBuilder.NONE), null,
                            sources.ref(name.apply(e.dir().resolve("results.json")), "this file", e.results().path("provenance"),
                                    numbers + " (by the model's SHA-256)"));
                }
            }
        }
        return null;
    }

    /**
     * The net behind each part of a transfer result's descriptor, null for one no input records: by the model paths the
     * extraction recorded, else by the hashes in the descriptor's settings.
     */
    List<Net> ofDescriptor(JsonNode j, String file) {
        JsonNode paths = j.path("extraction").path("models");
        JsonNode hashes = j.path("descriptor").path("models");
        List<Net> out = new ArrayList<>();
        for (int i = 0; i < Math.max(paths.size(), hashes.size()); i++) {
            out.add(find(paths.path(i).asText(""), hashes.path(i).path("sha256").asText(""), "config and train S of the descriptor nets of " + file));
        }
        return out;
    }
}
