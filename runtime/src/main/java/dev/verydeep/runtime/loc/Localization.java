package dev.verydeep.runtime.loc;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.data.voc.VocImage;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.image.ImageDecoder;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.DeviceSelection;
import dev.verydeep.runtime.eval.EvalSettings;
import dev.verydeep.runtime.eval.Evaluation;
import dev.verydeep.runtime.eval.Evaluator;
import dev.verydeep.runtime.eval.Method;
import dev.verydeep.runtime.eval.ModelInfo;
import dev.verydeep.runtime.eval.PartitionEvaluator;
import dev.verydeep.runtime.eval.PosteriorSet;
import dev.verydeep.runtime.eval.Skipped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        ClassifierScores.ClassMap classMap = clsPath == null ? null : ClassifierScores.ClassMap.of(clsPath, dataClasses);
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
                Evaluation e = classify(clsPath, tested, classMap, s, listener, (index, width, height, scaled) -> {
                    kept.add(tested.get(index));
                    predictor.add(width, height, scaled);
                });
                post = e.posteriors();
                clsInfo = post.models().get(0);
                devices.addAll(e.devices());
                skipped.addAll(e.skipped());
            } else {
                decodeEach(tested, s, predictor, kept, skipped, listener);
            }
            predictor.flush();
            if (kept.isEmpty()) {
                throw new UserException("no image could be read (" + skipped.size() + " skipped; first: " + skipped.get(0).reason() + ")");
            }
            ClassifierScores cls = post == null ? null : new ClassifierScores(post, classMap);
            LocScorer scorer = new LocScorer(s, nets, cls, dataClasses, kept, predictor);
            List<LocScorer.RowSpec> specs = rowSpecs(s, nets.size());
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

    private static List<LocScorer.RowSpec> rowSpecs(LocSettings s, int netCount) {
        List<Integer> all = IntStream.range(0, s.scales().size()).boxed().toList();
        List<LocScorer.RowSpec> specs = new ArrayList<>();
        for (int n = 0; n < netCount; n++) {
            if (s.protocol() == Protocol.FULL && all.size() > 1) {
                for (int q : all) {
                    specs.add(new LocScorer.RowSpec(List.of(n), List.of(q)));
                }
            }
            specs.add(new LocScorer.RowSpec(List.of(n), all));
        }
        if (s.protocol() == Protocol.FULL && netCount > 1) {
            specs.add(new LocScorer.RowSpec(IntStream.range(0, netCount).boxed().toList(), all));
        }
        return specs;
    }

    /** Without a classifier: decodes and rescales each image for the box nets, one at a time. */
    private static void decodeEach(List<VocImage> tested, LocSettings s, BoxPredictor predictor, List<VocImage> kept, List<Skipped> skipped,
                                   Listener listener) {
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

    /** The classifier's dense posteriors at every scale, through the evaluation code. */
    private static Evaluation classify(Path cls, List<VocImage> images, ClassifierScores.ClassMap classes, LocSettings s, Listener listener,
                                       PartitionEvaluator.ImageTap tap) {
        EvalSettings es = EvalSettings.builder().setMethod(Method.DENSE).setScales(s.scales()).optFlip(s.flip()).optDenseCentred(s.denseCentred())
                .optDevice(s.device()).optIntraOpThreads(s.intraOpThreads()).optStrict(s.strict()).optBatch(s.batch()).build();
        try (Evaluator ev = Evaluator.open(List.of(cls), es)) {
            return ev.evaluate(new Images(images, classes.dataToCls(), classes.names()), (done, total) -> {
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
}
