package dev.verydeep.runtime.loc;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.data.voc.VocImage;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.image.ImageDecoder;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.DeviceSelection;
import dev.verydeep.runtime.eval.EvalSettings;
import dev.verydeep.runtime.eval.Evaluation;
import dev.verydeep.runtime.eval.Evaluator;
import dev.verydeep.runtime.eval.Method;
import dev.verydeep.runtime.eval.Metrics;
import dev.verydeep.runtime.eval.ModelInfo;
import dev.verydeep.runtime.eval.Part;
import dev.verydeep.runtime.eval.PartitionEvaluator;
import dev.verydeep.runtime.eval.PosteriorSet;
import dev.verydeep.runtime.eval.Skipped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A localisation test (Appendix A): box nets ({@code --loc}) and a classification net ({@code --cls}) over the
 * images of a {@link LocData}, scored per (image, ground-truth class) sample.
 *
 * <p>Classification: the classifier's dense posteriors at every test scale (with flip when set), computed by the
 * {@link Evaluator} exactly as {@code verydeep eval --method dense} computes them; a row's top-5 classes are those
 * of its scales' averaged posteriors (ties: lower class index first, as in eval).
 *
 * <p>Protocol full: per row (a set of nets and scales) the union of their boxes ({@link BoxPredictor}); for each of
 * the top-5 classes its candidate boxes (PCR boxes of that class, SCR boxes of every class), each with confidence
 * 1, merged by {@link GreedyMerge}; the class's box is its best cluster, rated {@code summed confidence x class
 * posterior} (so the box most predictions agree on). A sample is correct when the prediction for its class is
 * among the 5 and has IoU >= 0.5 with a ground-truth box of the class; with the class given, when the best
 * cluster of the class's boxes has. Protocol center-crop-gt: the box of the central crop for the ground-truth
 * class (PCR) or the single box (SCR), correct at IoU >= 0.5; no top-5 error.
 *
 * <p>Classes are matched by name between the data set, the classifier and PCR nets ({@link ClassMatch}).
 * Unreadable images are skipped with the reason (or stop the run when strict).
 *
 * <p>Execution: each image is decoded and rescaled once; with a classifier, the evaluator's pass over the images
 * hands each rescaled image to the box nets too ({@link PartitionEvaluator.ImageTap}). Classifier and box nets batch inputs
 * of equal shape across images ({@link dev.verydeep.runtime.eval.ShapeBatcher}, {@link LocSettings#batch()}); the
 * results do not depend on the batch.
 */
public final class Localization {
    /** Progress of a phase (one: {@code localize}; classification and box pass run in the same pass over the images). */
    @FunctionalInterface
    public interface Listener {
        void progress(String phase, int done, int total);
    }

    /** A predicted class and its box (null when the class has no box: not in the data set, or every box empty). */
    public record Prediction(String className, int dataClass, Box box, double classScore, double confidence, int boxesMerged) {
        /** The rating: summed confidence of the merged boxes times the class posterior. */
        public double rating() {
            return confidence * classScore;
        }
    }

    /**
     * The outcome for one (image, class) sample.
     *
     * @param top5Correct null under protocol 1
     * @param clsTop5     null without a classifier
     * @param gtBox       the box for the class given (null when none)
     */
    public record Sample(int dataClass, Boolean clsTop5, Boolean top5Correct, boolean gtCorrect, Box gtBox, double gtIou) {
    }

    /** The headline row's outcome for one image. */
    public record ImageResult(String id, int width, int height, List<Prediction> predictions, List<Sample> samples) {
    }

    /**
     * Everything a report needs.
     *
     * @param rows          per net and scale set (see {@link #run}); the last is the headline
     * @param images        the headline row's per-image outcomes
     * @param noSampleImages images without a non-difficult object (not tested)
     */
    public record Result(List<LocRow> rows, List<ImageResult> images, List<Skipped> skipped, List<ModelInfo> locModels, ModelInfo clsModel,
                         List<DeviceSelection> devices, int noSampleImages, double wallSeconds, List<String> classNames) {
    }

    private record RowSpec(List<Integer> nets, List<Integer> scales) {
    }

    private Localization() {
    }

    /**
     * Runs a test. Rows, protocol full: for each net, each scale alone (several scales) and all its scales; then,
     * with several nets, all nets (union of boxes) at all scales. Protocol center-crop-gt: one row per net.
     */
    public static Result run(List<Path> locPaths, Path clsPath, LocData data, LocSettings s, Listener listener) {
        if (locPaths.isEmpty()) {
            throw new UserException("--loc: at least one localisation net is needed");
        }
        if (s.protocol() == Protocol.FULL && clsPath == null) {
            throw new UserException("--protocol full needs --cls: the top-5 classes come from the classification net");
        }
        List<String> dataClasses = data.classes();
        List<String> clsNames = null;
        int[] dataToCls = null;
        int[] clsToData = null;
        if (clsPath != null) {
            ModelMetadata meta = LocNet.classifierMetadata(clsPath);
            clsNames = meta.classNames();
            int[] toCls = ClassMatch.map(dataClasses, clsNames);
            dataToCls = toCls;
            clsToData = ClassMatch.map(clsNames, dataClasses);
            List<String> missing = IntStream.range(0, toCls.length).filter(d -> toCls[d] < 0).mapToObj(dataClasses::get).toList();
            if (!missing.isEmpty()) {
                throw new UserException("--cls " + clsPath + " has no class matching the data set's " + missing + " (its classes: " + clsNames
                        + "); classes are matched by name, ignoring case and punctuation");
            }
        }
        List<VocImage> tested = data.images().stream().filter(im -> !LocData.sampleClasses(im).isEmpty()).toList();
        int noSample = data.images().size() - tested.size();
        if (tested.isEmpty()) {
            throw new UserException(data.spec() + ": no image with a non-difficult object among the " + data.images().size() + " read; nothing to localise");
        }
        List<LocNet> nets = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (Path p : locPaths) {
                nets.add(LocNet.open(p, s, dataClasses));
            }
            PosteriorSet post = null;
            ModelInfo clsInfo = null;
            List<DeviceSelection> devices = new ArrayList<>(nets.stream().map(n -> n.session.device()).toList());
            List<Skipped> skipped = new ArrayList<>();
            BoxPredictor predictor = new BoxPredictor(nets, s);
            List<VocImage> kept = new ArrayList<>();
            if (clsPath != null) {
                // One pass: the box nets take the images the classifier's evaluation decoded and rescaled.
                Evaluation e = classify(clsPath, tested, dataToCls, clsNames, s, listener, (index, width, height, scaled) -> {
                    kept.add(tested.get(index));
                    predictor.add(width, height, scaled);
                });
                post = e.posteriors();
                clsInfo = post.models().get(0);
                devices.addAll(e.devices());
                skipped.addAll(e.skipped());
            } else {
                for (int i = 0; i < tested.size(); i++) {
                    VocImage im = tested.get(i);
                    RgbImage img = null;
                    try {
                        img = ImageDecoder.decode(im.file(), ImageDecoder.DEFAULT_MAX_PIXELS);
                    } catch (UserException e) {
                        if (s.strict()) {
                            throw new UserException(e.getMessage() + " (stopping: --strict; without it the image is skipped and reported)", e);
                        }
                        skipped.add(new Skipped(i, im.id(), e.getMessage()));
                    }
                    if (img != null) {
                        kept.add(im);
                        RgbImage decoded = img;
                        predictor.add(img.width(), img.height(), s.scales().stream().map(q -> Preprocessor.rescale(decoded, q)).toArray(RgbImage[]::new));
                    }
                    if (listener != null) {
                        listener.progress("localize", i + 1, tested.size());
                    }
                }
            }
            predictor.flush();
            List<List<List<List<LocBox>>>> boxes = predictor.boxes();
            if (kept.isEmpty()) {
                throw new UserException("no image could be read (" + skipped.size() + " skipped; first: " + skipped.get(0).reason() + ")");
            }
            Scorer scorer = new Scorer(s, nets, post, dataClasses, clsNames, dataToCls, clsToData, kept, boxes, predictor);
            List<RowSpec> specs = rowSpecs(s, nets.size());
            List<LocRow> rows = new ArrayList<>();
            List<ImageResult> headline = null;
            for (int r = 0; r < specs.size(); r++) {
                List<ImageResult> per = new ArrayList<>();
                rows.add(scorer.row(specs.get(r), per));
                headline = per;
            }
            double wall = (System.nanoTime() - start) / 1e9;
            return new Result(rows, headline, skipped, nets.stream().map(n -> n.info).toList(), clsInfo, devices, noSample, wall, dataClasses);
        } finally {
            nets.forEach(LocNet::close);
        }
    }

    private static List<RowSpec> rowSpecs(LocSettings s, int netCount) {
        List<Integer> all = IntStream.range(0, s.scales().size()).boxed().toList();
        List<RowSpec> specs = new ArrayList<>();
        for (int n = 0; n < netCount; n++) {
            if (s.protocol() == Protocol.FULL && all.size() > 1) {
                for (int q : all) {
                    specs.add(new RowSpec(List.of(n), List.of(q)));
                }
            }
            specs.add(new RowSpec(List.of(n), all));
        }
        if (s.protocol() == Protocol.FULL && netCount > 1) {
            specs.add(new RowSpec(IntStream.range(0, netCount).boxed().toList(), all));
        }
        return specs;
    }

    /** The classifier's dense posteriors at every scale, through the evaluation code. */
    private static Evaluation classify(Path cls, List<VocImage> images, int[] dataToCls, List<String> clsNames, LocSettings s, Listener listener,
                                       PartitionEvaluator.ImageTap tap) {
        EvalSettings es = EvalSettings.builder().setMethod(Method.DENSE).setScales(s.scales()).optFlip(s.flip()).optDenseCentred(s.denseCentred())
                .optDevice(s.device()).optIntraOpThreads(s.intraOpThreads()).optStrict(s.strict()).optBatch(s.batch()).build();
        try (Evaluator ev = Evaluator.open(List.of(cls), es)) {
            return ev.evaluate(new Images(images, dataToCls, clsNames), (done, total) -> {
                if (listener != null) {
                    listener.progress("localize", done, total);
                }
            }, tap);
        }
    }

    /**
     * The tested images as the evaluator reads them. The label (only recorded by the evaluator, never scored
     * here) is the image's first sample class, in the classifier's class order.
     */
    private record Images(List<VocImage> images, int[] dataToCls, List<String> clsNames) implements ImageSource {
        @Override
        public int size() {
            return images.size();
        }

        @Override
        public int label(int i) {
            return dataToCls[LocData.sampleClasses(images.get(i)).get(0)];
        }

        @Override
        public List<String> classNames() {
            return clsNames;
        }

        @Override
        public RgbImage image(int i) {
            return ImageDecoder.decode(images.get(i).file(), ImageDecoder.DEFAULT_MAX_PIXELS);
        }

        @Override
        public String id(int i) {
            return images.get(i).id();
        }

        @Override
        public String describe() {
            return images.size() + " VOC images";
        }
    }

    /** Scores rows from the stored boxes and posteriors. */
    private record Scorer(LocSettings s, List<LocNet> nets, PosteriorSet post, List<String> dataClasses, List<String> clsNames, int[] dataToCls,
                          int[] clsToData, List<VocImage> images, List<List<List<List<LocBox>>>> boxes, BoxPredictor predictor) {

        LocRow row(RowSpec spec, List<ImageResult> out) {
            GreedyMerge merge = new GreedyMerge(s.mergeThreshold());
            List<Integer> qs = spec.scales().stream().map(s.scales()::get).toList();
            float[] p = post == null ? null : post.fused(List.of(0), List.of(Part.DENSE), qs);
            Map<String, Integer> postRow = new HashMap<>();
            if (post != null) {
                for (int i = 0; i < post.images(); i++) {
                    postRow.put(post.id(i), i);
                }
            }
            int k = clsNames == null ? 0 : clsNames.size();
            int samples = 0;
            int top5Errors = 0;
            int gtErrors = 0;
            double iouSum = 0;
            int clsErrors = 0;
            for (int i = 0; i < images.size(); i++) {
                VocImage im = images.get(i);
                List<LocBox> pool = new ArrayList<>();
                for (int n : spec.nets()) {
                    for (int q : spec.scales()) {
                        pool.addAll(boxes.get(i).get(n).get(q));
                    }
                }
                double[] scores = new double[k];
                List<Integer> top5 = List.of();
                if (p != null) {
                    int row = postRow.get(im.id());
                    for (int c = 0; c < k; c++) {
                        scores[c] = p[row * k + c];
                    }
                    top5 = top5(p, row, k);
                }
                Map<Integer, GreedyMerge.Cluster> best = new HashMap<>();
                List<Prediction> preds = new ArrayList<>();
                if (s.protocol() == Protocol.FULL) {
                    for (int c : top5) {
                        int d = clsToData[c];
                        GreedyMerge.Cluster cl = d < 0 ? null : best.computeIfAbsent(d, dd -> bestCluster(merge, pool, dd));
                        preds.add(new Prediction(clsNames.get(c), d, cl == null ? null : cl.box(), scores[c], cl == null ? 0 : cl.confidence(),
                                cl == null ? 0 : cl.members()));
                    }
                }
                List<Sample> outcome = new ArrayList<>();
                for (int g : LocData.sampleClasses(im)) {
                    List<Box> truth = LocData.boxes(im, g);
                    Boolean clsTop5 = p == null ? null : top5.stream().anyMatch(c -> clsToData[c] == g);
                    Box gtBox;
                    Boolean top5Correct = null;
                    if (s.protocol() == Protocol.FULL) {
                        GreedyMerge.Cluster cl = best.computeIfAbsent(g, dd -> bestCluster(merge, pool, dd));
                        gtBox = cl == null ? null : cl.box();
                        top5Correct = preds.stream().anyMatch(x -> x.dataClass() == g && LocData.bestIou(x.box(), truth) >= 0.5);
                        top5Errors += top5Correct ? 0 : 1;
                    } else {
                        gtBox = pool.stream().filter(b -> b.belongsTo(g)).map(LocBox::box).findFirst().orElse(null);
                        preds.add(new Prediction(dataClasses.get(g), g, gtBox, p == null ? Double.NaN : scores[dataToCls[g]], gtBox == null ? 0 : 1,
                                gtBox == null ? 0 : 1));
                    }
                    double iou = LocData.bestIou(gtBox, truth);
                    iouSum += iou;
                    boolean gtCorrect = iou >= 0.5;
                    gtErrors += gtCorrect ? 0 : 1;
                    clsErrors += clsTop5 == null || clsTop5 ? 0 : 1;
                    samples++;
                    outcome.add(new Sample(g, clsTop5, top5Correct, gtCorrect, gtBox, iou));
                }
                out.add(new ImageResult(im.id(), im.width(), im.height(), preds, outcome));
            }
            double seconds = 0;
            for (int n : spec.nets()) {
                for (int q : spec.scales()) {
                    seconds += predictor.seconds(n, q);
                }
            }
            if (post != null) {
                seconds += post.seconds(List.of(0), List.of(Part.DENSE), qs);
            }
            String label = spec.nets().stream().map(n -> nets.get(n).info.label()).collect(Collectors.joining("+"));
            String regression = spec.nets().stream().map(n -> nets.get(n).head.id()).collect(Collectors.toCollection(LinkedHashSet::new)).stream()
                    .collect(Collectors.joining("+"));
            String scales = qs.stream().map(String::valueOf).collect(Collectors.joining(","));
            return new LocRow(label, regression, scales, s.protocol().toString(), images.size(), samples,
                    s.protocol() == Protocol.FULL ? top5Errors : -1, gtErrors, post == null ? -1 : clsErrors, samples == 0 ? Double.NaN : iouSum / samples,
                    seconds);
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

        /** The top min(5, K) classes of row {@code r}, best first (ties: lower index first, as eval ranks). */
        private static List<Integer> top5(float[] p, int r, int k) {
            return IntStream.range(0, k).boxed().sorted((a, b) -> Metrics.ranksAbove(p[r * k + a], a, p[r * k + b], b) ? -1
                    : Metrics.ranksAbove(p[r * k + b], b, p[r * k + a], a) ? 1 : 0).limit(5).toList();
        }
    }
}
