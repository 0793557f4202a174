package dev.verydeep.transfer.protocol;

import dev.verydeep.core.UserException;
import dev.verydeep.transfer.metrics.AveragePrecision;
import dev.verydeep.transfer.store.DescriptorStore;
import dev.verydeep.transfer.store.ImageEntry;
import dev.verydeep.transfer.svm.SvmSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code verydeep transfer}: a protocol over a descriptor store. {@code voc2007}: train on trainval, test on
 * test, 11-point AP. {@code voc2012}: train on train, test on val (VOC2012's test labels are not public), AP
 * as area under the envelope. {@code voc2012-action}: the same over annotated persons and actions (store entries
 * are person boxes; with {@code withBoxes} their descriptors stack the image's and the box's). {@code caltech101}: 30 training and up to 50 test images per class;
 * {@code caltech256}: 60 training, the rest test; 3 splits by default.
 */
public final class TransferJob {
    /** The protocols, with their defaults. */
    public enum Protocol {
        VOC2007("voc2007"), VOC2012("voc2012"), VOC2012_ACTION("voc2012-action"), CALTECH101("caltech101"), CALTECH256("caltech256");

        private final String text;

        Protocol(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** The VOC protocols: one binary SVM per class (or action), AP, mAP. */
        public boolean isVoc() {
            return this == VOC2007 || this == VOC2012 || this == VOC2012_ACTION;
        }

        /** The store kind the protocol needs. */
        String storeKind() {
            return this == VOC2012_ACTION ? "voc-action" : isVoc() ? "voc" : "single-label";
        }

        public static Protocol parse(String s) {
            for (Protocol p : values()) {
                if (p.text.equalsIgnoreCase(s)) {
                    return p;
                }
            }
            throw new UserException("--protocol '" + s + "': expected voc2007, voc2012, voc2012-action, caltech101 or caltech256");
        }
    }

    /** Options; nulls take the protocol's defaults. */
    public record Request(Protocol protocol, Integer splits, Integer trainPerClass, Integer testPerClass, AveragePrecision.Method ap,
            String trainSet, String testSet, SvmSettings svm, long seed) {
    }

    /** The result as an ordered map (for JSON) and the lines printed. */
    public record Outcome(Map<String, Object> result, List<String> lines) {
    }

    private TransferJob() {
    }

    public static Outcome run(DescriptorStore.Descriptors d, Request req) {
        return run(d, req, OneVsRest.Runner.LOCAL);
    }

    /** As {@link #run(DescriptorStore.Descriptors, Request)}, the SVMs' units computed by {@code runner} (e.g. as Spark tasks). */
    public static Outcome run(DescriptorStore.Descriptors d, Request req, OneVsRest.Runner runner) {
        Map<String, Object> r = header(d, req);
        List<String> lines = new ArrayList<>();
        if (req.protocol().isVoc()) {
            runVoc(d, req, runner, r, lines);
        } else {
            runCaltech(d, req, runner, r, lines);
        }
        return new Outcome(r, lines);
    }

    /** What every result starts with: the protocol, the store, its descriptors and the SVM settings. */
    private static Map<String, Object> header(DescriptorStore.Descriptors d, Request req) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("protocol", req.protocol().text());
        r.put("features", d.dir().toString());
        r.put("dataset", d.settings().dataset());
        // Insertion order: results.json must read the same on every run (Map.of orders its keys differently per JVM).
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("dim", d.settings().dim());
        descriptor.put("scales", d.settings().scales());
        descriptor.put("aggregate", d.settings().aggregate());
        descriptor.put("models", d.settings().models());
        r.put("descriptor", descriptor);
        Map<String, Object> svm = new LinkedHashMap<>();
        svm.put("library", "LIBLINEAR-java 2.44");
        svm.put("solver", req.svm().solver().name());
        svm.put("eps", req.svm().eps());
        svm.put("bias", req.svm().bias());
        svm.put("cGrid", req.svm().cGrid());
        svm.put("validationFraction", req.svm().validationFraction());
        svm.put("feed", req.svm().feed().text());
        r.put("svm", svm);
        r.put("seed", req.seed());
        return r;
    }

    /** A VOC protocol's sets and AP method, after the protocol's defaults. */
    private record VocSplit(String trainSet, String testSet, AveragePrecision.Method method) {
        static VocSplit of(Request req) {
            // VOC2012 (and its actions): test labels are not public, so train -> val
            boolean voc2007 = req.protocol() == Protocol.VOC2007;
            return new VocSplit(req.trainSet() != null ? req.trainSet() : (voc2007 ? "trainval" : "train"),
                    req.testSet() != null ? req.testSet() : (voc2007 ? "test" : "val"),
                    req.ap() != null ? req.ap() : (voc2007 ? AveragePrecision.Method.VOC2007_11POINT : AveragePrecision.Method.VOC2010_AREA));
        }
    }

    private static void runVoc(DescriptorStore.Descriptors d, Request req, OneVsRest.Runner runner, Map<String, Object> r, List<String> lines) {
        String kind = req.protocol().storeKind();
        if (!kind.equals(d.settings().kind())) {
            throw new UserException(d.dir() + ": holds " + d.settings().kind() + " descriptors (" + d.settings().dataset()
                    + "); --protocol " + req.protocol().text() + " needs a " + kind + ": data set");
        }
        boolean action = req.protocol() == Protocol.VOC2012_ACTION;
        if (action) {
            r.put("entries", "annotated persons (one SVM per action over person instances)");
            r.put("descriptor_of_entry", d.settings().withBoxes() ? "whole image and person box, stacked" : "whole image only");
        }
        VocSplit split = VocSplit.of(req);
        List<ImageEntry> images = d.images();
        int[] train = rowsIn(images, split.trainSet(), d);
        int[] test = rowsIn(images, split.testSet(), d);
        int[][] truth = images.stream().map(ImageEntry::truth).toArray(int[][]::new);
        VocProtocol.Result res = VocProtocol.work(d.matrix(), truth, d.settings().classes(), train, test, split.method(), req.svm(), req.seed())
                .run(runner);
        r.put("trainSet", split.trainSet());
        r.put("testSet", split.testSet());
        r.put("ap", split.method().text());
        r.put("difficult", "ignored (label 0 left out of training and of AP)");
        r.put("perClassAp", perClassAp(res, lines));
        r.put("testScores", testScores(res, test, truth));
        r.put("chosenC", res.c().stream().map(CSelection::chosen).toList());
        r.put("mAP", res.map());
        r.put("classesWithoutTestPositives", res.classesWithoutPositives());
        r.put("trainImages", res.trainImages());
        r.put("testImages", res.testImages());
        lines.add(vocSummary(res, split, action, d.settings().withBoxes()));
    }

    /** AP per class (null when a class has no test positive); adds one printed line per class. */
    private static Map<String, Object> perClassAp(VocProtocol.Result res, List<String> lines) {
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < res.classes().size(); c++) {
            perClass.put(res.classes().get(c), Double.isNaN(res.ap()[c]) ? null : res.ap()[c]);
            lines.add(String.format(Locale.ROOT, "%-18s AP %s   (C=%s)", res.classes().get(c), pct(res.ap()[c]), res.c().get(c).chosen()));
        }
        return perClass;
    }

    /** The decision values behind each AP, so precision-recall curves can be drawn from the result file alone. */
    private static Map<String, Object> testScores(VocProtocol.Result res, int[] test, int[][] truth) {
        Map<String, Object> scores = new LinkedHashMap<>();
        for (int c = 0; c < res.classes().size(); c++) {
            int cls = c;
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("score", Arrays.stream(res.testScores()[c]).mapToObj(v -> (float) v).toList());
            one.put("truth", Arrays.stream(test).map(row -> truth[row][cls]).boxed().toList());
            scores.put(res.classes().get(c), one);
        }
        return scores;
    }

    private static String vocSummary(VocProtocol.Result res, VocSplit split, boolean action, boolean withBoxes) {
        String unit = action ? "persons" : "images";
        return String.format(Locale.ROOT, "mAP %s over %d %s (%s, train %s = %d %s, test %s = %d %s%s%s)", pct(res.map()),
                res.classes().size() - res.classesWithoutPositives(), action ? "actions" : "classes", split.method().text(), split.trainSet(),
                res.trainImages(), unit, split.testSet(), res.testImages(), unit,
                res.classesWithoutPositives() > 0 ? ", " + res.classesWithoutPositives() + " classes without test positives left out" : "",
                action ? (withBoxes ? "; image + box descriptors" : "; image descriptors only") : "");
    }

    private static void runCaltech(DescriptorStore.Descriptors d, Request req, OneVsRest.Runner runner, Map<String, Object> r, List<String> lines) {
        List<ImageEntry> images = d.images();
        if (images.stream().anyMatch(e -> e.label() == null)) {
            throw new UserException(d.dir() + ": holds multi-label (" + d.settings().kind() + ") descriptors; --protocol "
                    + req.protocol().text() + " needs single-label data such as caltech:DIR");
        }
        int splits = req.splits() != null ? req.splits() : 3;
        int train = req.trainPerClass() != null ? req.trainPerClass() : (req.protocol() == Protocol.CALTECH101 ? 30 : 60);
        int test = req.testPerClass() != null ? req.testPerClass() : (req.protocol() == Protocol.CALTECH101 ? 50 : 0);
        int[] labels = images.stream().mapToInt(ImageEntry::label).toArray();
        CaltechProtocol.Result res = CaltechProtocol.work(d.matrix(), labels, d.settings().classes(), splits, train, test, req.svm(), req.seed())
                .run(runner);
        r.put("splits", splits);
        r.put("trainPerClass", train);
        r.put("testPerClass", test <= 0 ? "all remaining" : test);
        r.put("classesNote", "every folder is a class, including clutter/background folders (as the paper counts them)");
        List<Object> per = new ArrayList<>();
        for (CaltechProtocol.SplitResult s : res.splits()) {
            per.add(splitResult(res, s));
            lines.add(String.format(Locale.ROOT, "split %d (seed %d): mean class recall %s (C=%s, %d train, %d test images)",
                    per.size(), s.seed(), pct(s.meanClassRecall()), s.c().chosen(), s.trainImages(), s.testImages()));
        }
        r.put("perSplit", per);
        r.put("meanClassRecall", res.mean());
        r.put("std", res.std());
        r.put("stdKind", "sample standard deviation over splits (n - 1)");
        lines.add(String.format(Locale.ROOT, "mean class recall %s +- %.1f over %d splits (%d classes, %d train per class, %s test per class)",
                pct(res.mean()), 100 * res.std(), splits, res.classes().size(), train, test <= 0 ? "all remaining" : "up to " + test));
    }

    /** One Caltech split's result: its seed, mean and per-class recall (null for a class without test images), C and sizes. */
    private static Map<String, Object> splitResult(CaltechProtocol.Result res, CaltechProtocol.SplitResult s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", s.seed());
        m.put("meanClassRecall", s.meanClassRecall());
        Map<String, Object> pc = new LinkedHashMap<>();
        for (int c = 0; c < res.classes().size(); c++) {
            pc.put(res.classes().get(c), Double.isNaN(s.classRecall()[c]) ? null : s.classRecall()[c]);
        }
        m.put("classRecall", pc);
        m.put("chosenC", s.c().chosen());
        m.put("validationMeanClassRecall", s.c().validationScores());
        m.put("trainImages", s.trainImages());
        m.put("testImages", s.testImages());
        return m;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "  n/a" : String.format(Locale.ROOT, "%5.1f", 100 * v);
    }

    private static int[] rowsIn(List<ImageEntry> images, String set, DescriptorStore.Descriptors d) {
        int[] rows = java.util.stream.IntStream.range(0, images.size())
                .filter(i -> images.get(i).sets() != null && images.get(i).sets().contains(set)).toArray();
        if (rows.length == 0) {
            throw new UserException(d.dir() + ": no image of set '" + set + "' (sets extracted: " + images.stream()
                    .flatMap(e -> e.sets() == null ? java.util.stream.Stream.empty() : e.sets().stream()).distinct().sorted().toList() + ")");
        }
        return rows;
    }
}
