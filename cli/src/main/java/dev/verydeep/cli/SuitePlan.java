package dev.verydeep.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The whole miniature reproduction as a plan of {@link Step}s, crop 32 (the paper's S = 256, 384, [256;512] become
 * 37, 55, [37;73]):
 * <ul>
 *   <li>Table 3 nets: A, A-LRN, B, C, D, E at S = 37; C, D, E also at S = 55 (fine-tuned from S = 37) and jittered
 *       (fine-tuned from S = 55), deeper nets initialised from A, as the paper did. Each exported and verified.</li>
 *   <li>Table 3 evaluation: each net densely at one scale (Q = S, or 55 for jittered S).</li>
 *   <li>Table 4: B, C, D, E densely at three scales ({S-5, S, S+5}, or {37, 55, 73} for jittered S).</li>
 *   <li>Table 5: jittered D and E at {37, 55, 73} with flips, dense, multi-crop and both (on the first images).</li>
 *   <li>Table 6: fusion of jittered D and E, dense and both.</li>
 *   <li>Table 11 in miniature: source nets A, D, E trained on classes 0-4 only, descriptors of D, E and D+E on
 *       fashion-caltech (classes 5-9) and fashion-voc, LIBLINEAR SVMs with the Caltech-101 and VOC-2007 protocols.</li>
 *   <li>The report.</li>
 * </ul>
 */
final class SuitePlan {
    /** The settings that differ between the full plan and the quick one. */
    record Settings(String width, int epochsA, int epochs, int trainLimit, int evalLimit, int multicropLimit, int caltechPerClass,
            int caltechTrain, int caltechTest, int vocImages, int splits, int threads) {
        /** Caltech-101's protocol on 100 images per class: 30 train, 50 test, 3 splits (docs/transfer-fashion.md). */
        static Settings full() {
            return new Settings("0.125", 8, 4, 0, 0, 2000, 100, 30, 50, 400, 3, 1);
        }

        /** Tiny settings that take the whole plan through every verb in minutes. */
        static Settings quick() {
            return new Settings("0.0625", 1, 1, 300, 200, 10, 40, 30, 10, 60, 1, 1);
        }

        Settings withThreads(int t) {
            return new Settings(width, epochsA, epochs, trainLimit, evalLimit, multicropLimit, caltechPerClass, caltechTrain, caltechTest,
                    vocImages, splits, t);
        }
    }

    private static final List<String> TABLE4_NETS = List.of("B-37", "C-37", "C-55", "C-jit", "D-37", "D-55", "D-jit", "E-37", "E-55", "E-jit");

    private final Path out;
    private final Settings s;
    private final List<Step> steps = new ArrayList<>();

    private SuitePlan(Path out, Settings s) {
        this.out = out;
        this.s = s;
    }

    static List<Step> build(Path out, Settings s) {
        SuitePlan p = new SuitePlan(out, s);
        p.nets();
        p.evaluations();
        p.transfer();
        p.steps.add(Steps.report(out, out.resolve("report")));
        return List.copyOf(p.steps);
    }

    private Path run(String net) {
        return out.resolve("runs").resolve(net);
    }

    private Path model(String net) {
        return run(net).resolve(Steps.DENSE);
    }

    private void nets() {
        train("A-37", "A", "--scale", "37", null, s.epochsA(), "fashion-mnist");
        for (String c : List.of("A-LRN", "B", "C", "D", "E")) {
            train(c + "-37", c, "--scale", "37", "A-37", s.epochs(), "fashion-mnist");
        }
        for (String c : List.of("C", "D", "E")) {
            train(c + "-55", c, "--scale", "55", c + "-37", s.epochs(), "fashion-mnist");
        }
        for (String c : List.of("C", "D", "E")) {
            train(c + "-jit", c, "--scale-jitter", "37:73", c + "-55", s.epochs(), "fashion-mnist");
        }
    }

    private void train(String net, String config, String scaleFlag, String scale, String initFrom, int epochs, String data) {
        List<String> args = new ArrayList<>(List.of("--config", config, "--width", s.width(), "--crop", "32", scaleFlag, scale,
                "--data", data, "--epochs", Integer.toString(epochs), "--patience", "1", "--seed", "1", "--threads",
                Integer.toString(s.threads())));
        if (s.trainLimit() > 0) {
            args.addAll(List.of("--limit", Integer.toString(s.trainLimit())));
        }
        if (!data.contains("classes=")) {
            args.addAll(List.of("--eval-data", "fashion-mnist:test"));
        }
        steps.add(Steps.train("train-" + net, run(net), initFrom == null ? null : run(initFrom), args));
        steps.add(Steps.export("export-" + net, run(net)));
        steps.add(Steps.verify("verify-" + net, model(net)));
    }

    private static boolean jittered(String net) {
        return net.endsWith("-jit");
    }

    private static int trainScale(String net) {
        return jittered(net) ? 55 : Integer.parseInt(net.substring(net.lastIndexOf('-') + 1));
    }

    private String[] evalArgs(String method, String scales, boolean flip, int limit) {
        List<String> a = new ArrayList<>(List.of("--data", "fashion-mnist:test", "--method", method, "--scales", scales,
                "--threads", Integer.toString(s.threads())));
        if (flip) {
            a.add("--flip");
        }
        if (limit > 0) {
            a.addAll(List.of("--limit", Integer.toString(limit)));
        }
        return a.toArray(new String[0]);
    }

    private void evaluations() {
        for (Step t : List.copyOf(steps)) {
            if (t.name().startsWith("train-")) {
                String net = t.name().substring("train-".length());
                steps.add(Steps.eval("table3-" + net, out.resolve("table3").resolve(net), List.of(model(net)),
                        evalArgs("dense", Integer.toString(trainScale(net)), false, s.evalLimit())));
            }
        }
        for (String net : TABLE4_NETS) {
            int q = trainScale(net);
            String scales = jittered(net) ? "37,55,73" : String.format(Locale.ROOT, "%d,%d,%d", q - 5, q, q + 5);
            steps.add(Steps.eval("table4-" + net, out.resolve("table4").resolve(net), List.of(model(net)),
                    evalArgs("dense", scales, false, s.evalLimit())));
        }
        // Table 5: the same images for all three methods, so the rows compare.
        for (String net : List.of("D-jit", "E-jit")) {
            for (String method : List.of("dense", "multicrop", "both")) {
                steps.add(Steps.eval("table5-" + net + "-" + method, out.resolve("table5").resolve(net + "-" + method), List.of(model(net)),
                        evalArgs(method, "37,55,73", true, s.multicropLimit())));
            }
        }
        for (String method : List.of("dense", "both")) {
            steps.add(Steps.fuse("table6-D-E-" + method, out.resolve("table6").resolve("D-E-" + method),
                    List.of(out.resolve("table5").resolve("D-jit-" + method), out.resolve("table5").resolve("E-jit-" + method))));
        }
    }

    private void transfer() {
        // Source nets that never saw the target classes 5-9 (docs/transfer-fashion.md).
        String src = "fashion-mnist:train:classes=0-4";
        train("A-src", "A", "--scale-jitter", "37:73", null, s.epochsA(), src);
        train("D-src", "D", "--scale-jitter", "37:73", "A-src", s.epochs(), src);
        train("E-src", "E", "--scale-jitter", "37:73", "A-src", s.epochs(), src);
        Path caltech = out.resolve("data").resolve("fashion-caltech");
        Path voc = out.resolve("data").resolve("fashion-voc");
        steps.add(Steps.makeDataset("make-fashion-caltech", "fashion-caltech", caltech, "--per-class", Integer.toString(s.caltechPerClass())));
        steps.add(Steps.makeDataset("make-fashion-voc", "fashion-voc", voc, "--images", Integer.toString(s.vocImages())));
        for (List<String> nets : List.of(List.of("D-src"), List.of("E-src"), List.of("D-src", "E-src"))) {
            String name = String.join("+", nets).replace("-src", "");
            List<Path> models = nets.stream().map(this::model).toList();
            Path cf = out.resolve("features").resolve(name + "-caltech");
            Path vf = out.resolve("features").resolve(name + "-voc");
            steps.add(Steps.extract("extract-" + name + "-caltech", cf, models, "caltech:" + caltech, caltech.resolve(Steps.DATASET_INFO),
                    "37,55,73", "average"));
            steps.add(Steps.transfer("table11-" + name + "-caltech101", cf, out.resolve("table11").resolve(name + "-caltech101.json"),
                    "caltech101", "--splits", Integer.toString(s.splits()), "--train-per-class",
                    Integer.toString(s.caltechTrain()), "--test-per-class", Integer.toString(s.caltechTest())));
            steps.add(Steps.extract("extract-" + name + "-voc", vf, models, "voc:" + voc, voc.resolve(Steps.DATASET_INFO), "37,55,73", "average"));
            steps.add(Steps.transfer("table11-" + name + "-voc2007", vf, out.resolve("table11").resolve(name + "-voc2007.json"), "voc2007"));
        }
    }
}
