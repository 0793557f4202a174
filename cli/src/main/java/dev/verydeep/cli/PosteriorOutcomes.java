package dev.verydeep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.report.PerImage;
import dev.verydeep.report.ResultTree.Evaluation;
import dev.verydeep.runtime.eval.EvalReport;
import dev.verydeep.runtime.eval.Metrics;
import dev.verydeep.runtime.eval.PosteriorSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's per-image outcomes, from the posteriors an evaluation saved ({@value PosteriorSet#FILE}, used only when
 * its SHA-256 is the one {@code results.json} recorded) and, for a fusion, from its input evaluations' posteriors,
 * fused as {@code verydeep fuse} does. Top-1 ties go to the lower class index, as in the results.
 */
final class PosteriorOutcomes implements PerImage {
    @Override
    public Map<String, Boolean> top1Correct(Evaluation e, int member) {
        if (e.fusion()) {
            List<PosteriorSet> sets = new ArrayList<>();
            for (JsonNode in : e.results().path("inputs")) {
                PosteriorSet s = read(Path.of(in.path("folder").asText("")), in.path("posteriors_sha256").asText(""));
                if (s == null) {
                    return null;
                }
                sets.add(s);
            }
            EvalReport.Fusion f = EvalReport.fuse(sets, sets.stream().map(s -> "").toList());
            int classes = f.classNames().size();
            float[] post = member < 0 ? f.fused() : memberPosterior(sets, f, member);
            return post == null ? null : outcomes(post, f.labels(), f.ids(), classes);
        }
        PosteriorSet s = read(e.dir(), e.results().path("files").path("posteriors_sha256").asText(""));
        if (s == null || member >= s.models().size()) {
            return null;
        }
        float[] post = member < 0 ? EvalReport.headline(s) : s.model(member);
        String[] ids = new String[s.images()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = s.id(i);
        }
        return outcomes(post, s.labels(), ids, s.classes());
    }

    /** The fusion's {@code member}-th net (in the order of its member rows) on the images every input has. */
    private static float[] memberPosterior(List<PosteriorSet> sets, EvalReport.Fusion f, int member) {
        int k = member;
        for (PosteriorSet s : sets) {
            if (k < s.models().size()) {
                Map<String, Integer> row = new LinkedHashMap<>();
                for (int i = 0; i < s.images(); i++) {
                    row.put(s.id(i), i);
                }
                int[] rows = new int[f.ids().length];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = row.get(f.ids()[i]);
                }
                return s.select(rows).model(k);
            }
            k -= s.models().size();
        }
        return null;
    }

    private static PosteriorSet read(Path dir, String sha256) {
        Path f = dir.resolve(PosteriorSet.FILE);
        if (sha256.isEmpty() || !Files.isRegularFile(f) || !Hashes.sha256(f).equals(sha256)) {
            return null;
        }
        return PosteriorSet.read(f);
    }

    private static Map<String, Boolean> outcomes(float[] post, int[] labels, String[] ids, int classes) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            out.put(ids[i], Metrics.predict(post, i, classes) == labels[i]);
        }
        return out;
    }
}
