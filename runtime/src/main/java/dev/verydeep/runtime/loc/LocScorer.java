package dev.verydeep.runtime.loc;

import dev.verydeep.core.data.voc.VocImage;
import dev.verydeep.core.image.Box;
import dev.verydeep.runtime.loc.Localization.ImageResult;
import dev.verydeep.runtime.loc.Localization.Prediction;
import dev.verydeep.runtime.loc.Localization.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Scores the rows of a localisation test from the boxes every net predicted at every scale and the classifier's
 * posteriors: per image, protocol full (top-5 classes, each with its best merged cluster) or center-crop-gt (the
 * ground-truth class's box); per row, the counts of {@link LocRow}.
 */
final class LocScorer {
    /** A row: some nets at some scales (indices into the test's nets and scales). */
    record RowSpec(List<Integer> nets, List<Integer> scales) {
    }

    private final LocSettings s;
    private final List<LocNet> nets;
    /** Null without a classifier (protocol center-crop-gt only). */
    private final ClassifierScores cls;
    private final List<String> dataClasses;
    private final List<VocImage> images;
    private final BoxPredictor predictor;

    /** {@code images}: the images the predictor saw, in its order. */
    LocScorer(LocSettings s, List<LocNet> nets, ClassifierScores cls, List<String> dataClasses, List<VocImage> images, BoxPredictor predictor) {
        this.s = s;
        this.nets = nets;
        this.cls = cls;
        this.dataClasses = dataClasses;
        this.images = images;
        this.predictor = predictor;
    }

    /** Scores one row; adds each image's outcome to {@code out}. */
    LocRow row(RowSpec spec, List<ImageResult> out) {
        GreedyMerge merge = new GreedyMerge(s.mergeThreshold());
        List<Integer> qs = spec.scales().stream().map(s.scales()::get).toList();
        Map<String, ClassifierScores.ImageScores> scores = cls == null ? Map.of() : cls.atScales(qs);
        List<List<List<List<LocBox>>>> boxes = predictor.boxes();
        Tally t = new Tally();
        for (int i = 0; i < images.size(); i++) {
            VocImage im = images.get(i);
            List<LocBox> pool = new ArrayList<>();
            for (int n : spec.nets()) {
                for (int q : spec.scales()) {
                    pool.addAll(boxes.get(i).get(n).get(q));
                }
            }
            ClassifierScores.ImageScores sc = scores.get(im.id());
            out.add(s.protocol() == Protocol.FULL ? full(im, pool, sc, merge, t) : centreCrop(im, pool, sc, t));
        }
        return t.row(spec, qs, seconds(spec, qs));
    }

    /** Protocol full: the top-5 classes with their best clusters; a sample is right when its class's prediction overlaps. */
    private ImageResult full(VocImage im, List<LocBox> pool, ClassifierScores.ImageScores sc, GreedyMerge merge, Tally t) {
        Map<Integer, GreedyMerge.Cluster> best = new HashMap<>();
        List<Prediction> preds = new ArrayList<>();
        for (int c : sc.top5()) {
            int d = cls.clsToData()[c];
            GreedyMerge.Cluster cl = d < 0 ? null : best.computeIfAbsent(d, dd -> bestCluster(merge, pool, dd));
            preds.add(new Prediction(cls.names().get(c), d, cl == null ? null : cl.box(), sc.scores()[c], cl == null ? 0 : cl.confidence(),
                    cl == null ? 0 : cl.members()));
        }
        List<Sample> outcome = new ArrayList<>();
        for (int g : LocData.sampleClasses(im)) {
            List<Box> truth = LocData.boxes(im, g);
            GreedyMerge.Cluster cl = best.computeIfAbsent(g, dd -> bestCluster(merge, pool, dd));
            boolean top5Correct = preds.stream().anyMatch(x -> x.dataClass() == g && LocData.bestIou(x.box(), truth) >= 0.5);
            outcome.add(t.add(g, sc.inTop5(g, cls.clsToData()), top5Correct, cl == null ? null : cl.box(), truth));
        }
        return new ImageResult(im.id(), im.width(), im.height(), preds, outcome);
    }

    /** Protocol center-crop-gt: the box for the ground-truth class (PCR) or the single box (SCR). */
    private ImageResult centreCrop(VocImage im, List<LocBox> pool, ClassifierScores.ImageScores sc, Tally t) {
        List<Prediction> preds = new ArrayList<>();
        List<Sample> outcome = new ArrayList<>();
        for (int g : LocData.sampleClasses(im)) {
            Box gtBox = pool.stream().filter(b -> b.belongsTo(g)).map(LocBox::box).findFirst().orElse(null);
            double score = sc == null ? Double.NaN : sc.scores()[cls.dataToCls()[g]];
            preds.add(new Prediction(dataClasses.get(g), g, gtBox, score, gtBox == null ? 0 : 1, gtBox == null ? 0 : 1));
            outcome.add(t.add(g, sc == null ? null : sc.inTop5(g, cls.clsToData()), null, gtBox, LocData.boxes(im, g)));
        }
        return new ImageResult(im.id(), im.width(), im.height(), preds, outcome);
    }

    private static GreedyMerge.Cluster bestCluster(GreedyMerge merge, List<LocBox> pool, int d) {
        List<GreedyMerge.Scored> cand = new ArrayList<>();
        for (LocBox b : pool) {
            if (b.belongsTo(d)) {
                cand.add(new GreedyMerge.Scored(b.box(), 1));
            }
        }
        List<GreedyMerge.Cluster> clusters = merge.merge(cand);
        return clusters.isEmpty() ? null : clusters.get(0);
    }

    /** Inference seconds of the row's nets and scales, plus the classifier's at those scales. */
    private double seconds(RowSpec spec, List<Integer> qs) {
        double seconds = 0;
        for (int n : spec.nets()) {
            for (int q : spec.scales()) {
                seconds += predictor.seconds(n, q);
            }
        }
        return cls == null ? seconds : seconds + cls.seconds(qs);
    }

    /** The counts of a row, sample by sample. */
    private final class Tally {
        private int samples;
        private int top5Errors;
        private int gtErrors;
        private int clsErrors;
        private double iouSum;

        /** Counts one (image, class) sample: {@code clsTop5} null without a classifier, {@code top5Correct} null under protocol 1. */
        Sample add(int dataClass, Boolean clsTop5, Boolean top5Correct, Box gtBox, List<Box> truth) {
            double iou = LocData.bestIou(gtBox, truth);
            boolean gtCorrect = iou >= 0.5;
            samples++;
            iouSum += iou;
            gtErrors += gtCorrect ? 0 : 1;
            top5Errors += top5Correct == null || top5Correct ? 0 : 1;
            clsErrors += clsTop5 == null || clsTop5 ? 0 : 1;
            return new Sample(dataClass, clsTop5, top5Correct, gtCorrect, gtBox, iou);
        }

        LocRow row(RowSpec spec, List<Integer> qs, double seconds) {
            String label = spec.nets().stream().map(n -> nets.get(n).info.label()).collect(Collectors.joining("+"));
            String regression = spec.nets().stream().map(n -> nets.get(n).head.id()).collect(Collectors.toCollection(LinkedHashSet::new)).stream()
                    .collect(Collectors.joining("+"));
            String scales = qs.stream().map(String::valueOf).collect(Collectors.joining(","));
            return new LocRow(label, regression, scales, s.protocol().toString(), images.size(), samples,
                    s.protocol() == Protocol.FULL ? top5Errors : -1, gtErrors, cls == null ? -1 : clsErrors, samples == 0 ? Double.NaN : iouSum / samples,
                    seconds);
        }
    }
}
