package dev.verydeep.runtime.loc;

import dev.verydeep.core.UserException;
import dev.verydeep.runtime.eval.Metrics;
import dev.verydeep.runtime.eval.Part;
import dev.verydeep.runtime.eval.PosteriorSet;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The classification side of a localisation test: the classifier's dense posteriors (one net) and how its classes
 * map to the data set's, matched by name ({@link ClassMatch}).
 *
 * @param post      per image and scale, as eval computes them
 * @param names     the classifier's class names
 * @param dataToCls data set class to classifier class (every data class has one)
 * @param clsToData classifier class to data set class, -1 when the data set lacks it
 */
record ClassifierScores(PosteriorSet post, List<String> names, int[] dataToCls, int[] clsToData) {

    /** The classifier's classes and their match to the data set's. */
    record ClassMap(List<String> names, int[] dataToCls, int[] clsToData) {
        /** Matches the classes of the classifier {@code cls} to {@code dataClasses}; every data class must have one. */
        static ClassMap of(Path cls, List<String> dataClasses) {
            List<String> names = LocNet.classifierMetadata(cls).classNames();
            int[] toCls = ClassMatch.map(dataClasses, names);
            List<String> missing = IntStream.range(0, toCls.length).filter(d -> toCls[d] < 0).mapToObj(dataClasses::get).toList();
            if (!missing.isEmpty()) {
                throw new UserException("--cls " + cls + " has no class matching the data set's " + missing + " (its classes: " + names
                        + "); classes are matched by name, ignoring case and punctuation");
            }
            return new ClassMap(names, toCls, ClassMatch.map(names, dataClasses));
        }
    }

    ClassifierScores(PosteriorSet post, ClassMap map) {
        this(post, map.names(), map.dataToCls(), map.clsToData());
    }

    /** One image's class posteriors at a row's scales, and its top-5 classes (classifier indices, best first). */
    record ImageScores(double[] scores, List<Integer> top5) {
        /** Whether class {@code dataClass} of the data set is among the top 5. */
        boolean inTop5(int dataClass, int[] clsToData) {
            return top5.stream().anyMatch(c -> clsToData[c] == dataClass);
        }
    }

    /** The posteriors averaged over scales {@code qs} (as eval's multi-scale row), per image id. */
    Map<String, ImageScores> atScales(List<Integer> qs) {
        float[] p = post.fused(List.of(0), List.of(Part.DENSE), qs);
        int k = names.size();
        Map<String, ImageScores> out = new HashMap<>();
        for (int r = 0; r < post.images(); r++) {
            double[] scores = new double[k];
            for (int c = 0; c < k; c++) {
                scores[c] = p[r * k + c];
            }
            out.put(post.id(r), new ImageScores(scores, top5(p, r, k)));
        }
        return out;
    }

    /** Inference seconds of the classifier at scales {@code qs}. */
    double seconds(List<Integer> qs) {
        return post.seconds(List.of(0), List.of(Part.DENSE), qs);
    }

    /** The top min(5, K) classes of row {@code r}, best first (ties: lower index first, as eval ranks). */
    private static List<Integer> top5(float[] p, int r, int k) {
        return IntStream.range(0, k).boxed().sorted((a, b) -> Metrics.ranksAbove(p[r * k + a], a, p[r * k + b], b) ? -1
                : Metrics.ranksAbove(p[r * k + b], b, p[r * k + a], a) ? 1 : 0).limit(5).toList();
    }
}
