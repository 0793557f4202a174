package dev.verydeep.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 *       fashion-caltech (classes 5-9) and fashion-voc, LIBLINEAR SVMs with the Caltech-101 and VOC-2007 protocols
 *       (the reference plan: the shipped S = 37 nets, which saw every class).</li>
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

        /** The reference nets' evaluation: every test image for Tables 3, 4 and 6, the first 1000 for Table 5. */
        static Settings reference() {
            return full().withEvalLimits(0, 1000);
        }

        Settings withEvalLimits(int eval, int multicrop) {
            return new Settings(width, epochsA, epochs, trainLimit, eval, multicrop, caltechPerClass, caltechTrain, caltechTest, vocImages,
                    splits, threads);
        }

        Settings withThreads(int t) {
            return new Settings(width, epochsA, epochs, trainLimit, evalLimit, multicropLimit, caltechPerClass, caltechTrain, caltechTest,
                    vocImages, splits, t);
        }
    }

    private static final List<String> TABLE4_NETS = List.of("B-37", "C-37", "C-55", "C-jit", "D-37", "D-55", "D-jit", "E-37", "E-55", "E-jit");

    private final Path out;
    private final Settings s;
    /** The shipped reference nets' folder when the plan evaluates them; null when it trains its own. */
    private final Path referenceDir;
    private final List<Step> steps = new ArrayList<>();

    private SuitePlan(Path out, Settings s, Path referenceDir) {
        this.out = out;
        this.s = s;
        this.referenceDir = referenceDir;
    }

    static List<Step> build(Path out, Settings s) {
        SuitePlan p = new SuitePlan(out, s, null);
        p.nets();
        p.evaluations();
        p.transfer();
        p.steps.add(Steps.report(List.of(out), List.of(), out.resolve("report")));
        return List.copyOf(p.steps);
    }

    /**
     * The same evaluation plan on the shipped reference nets {@code nets} (those present in {@code referenceDir}), in the
     * same layout: Tables 3 and 4 of every net, Table 5 of every net (not only the jittered ones: 1000 images of
     * multi-crop cost 2-4 minutes per net on 2 cores, and every config then has its dense / multi-crop / both rows), Table
     * 6 as fusions of the fixed-S = 37 nets (dense + flip at 32, 37, 42) and of the jittered nets (dense + flip at 37,
     * 55, 73, and both), Table 11 from the fixed S = 37 nets A, D, E and D+E (descriptors at 32, 37, 42), then the
     * report with the nets' own folders as reference rows. No training. The reference nets saw all 10 classes, so their
     * Table 11 is the paper's setting (ILSVRC nets saw most Caltech-101 and VOC categories), not the suite's unseen-class
     * one: fashion-caltech's classes 5-9 were among their training classes, fashion-voc's scenes are a new task. The
     * control {@link ReferenceNets#CONTROL} (A trained again from A-37's layers) is evaluated in Tables 3 and 4 only: it is
     * no member of the family, so it takes no part in Table 5, the fusions or the transfer.
     */
    static List<Step> reference(Path out, Path referenceDir, List<String> nets, Settings s) {
        SuitePlan p = new SuitePlan(out, s, referenceDir);
        List<String> family = nets.stream().filter(n -> !n.equals(ReferenceNets.CONTROL)).toList();
        nets.forEach(p::table3);
        nets.forEach(p::table4);
        family.forEach(p::table5);
        p.referenceFusions(family);
        p.referenceTransfer(family);
        p.steps.add(Steps.report(List.of(out), List.of(referenceDir), out.resolve("report")));
        return List.copyOf(p.steps);
    }

    private Path run(String net) {
        return out.resolve("runs").resolve(net);
    }

    private Path model(String net) {
        return referenceDir != null ? ReferenceNets.model(referenceDir, net) : run(net).resolve(Steps.DENSE);
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
                table3(net);
            }
        }
        TABLE4_NETS.forEach(this::table4);
        List.of("D-jit", "E-jit").forEach(this::table5);
        for (String method : List.of("dense", "both")) {
            fuse(List.of("D-jit", "E-jit"), method);
        }
    }

    /** Table 3: dense at one scale (Q = S, or the middle of jittered S). */
    private void table3(String net) {
        steps.add(Steps.eval("table3-" + net, out.resolve("table3").resolve(net), List.of(model(net)),
                evalArgs("dense", Integer.toString(ReferenceNets.testScale(net)), false, s.evalLimit())));
    }

    /** Table 4: dense at three scales. */
    private void table4(String net) {
        steps.add(Steps.eval("table4-" + net, out.resolve("table4").resolve(net), List.of(model(net)),
                evalArgs("dense", ReferenceNets.testScales(net), false, s.evalLimit())));
    }

    /** Table 5: dense, multi-crop and both with flips at three scales, on the same (first) images, so the rows compare. */
    private void table5(String net) {
        for (String method : List.of("dense", "multicrop", "both")) {
            steps.add(Steps.eval("table5-" + net + "-" + method, out.resolve("table5").resolve(net + "-" + method), List.of(model(net)),
                    evalArgs(method, ReferenceNets.testScales(net), true, s.multicropLimit())));
        }
    }

    /** Table 6: late fusion ({@code fuse}) of the nets' Table 5 evaluations of one method, into {@code table6/C1-C2-METHOD}. */
    private void fuse(List<String> nets, String method) {
        fuse(nets, "", method, nets.stream().map(n -> out.resolve("table5").resolve(n + "-" + method)).toList());
    }

    private void fuse(List<String> nets, String suffix, String method, List<Path> evals) {
        String name = String.join("-", nets.stream().map(ReferenceNets::config).toList()) + suffix + "-" + method;
        steps.add(Steps.fuse("table6-" + name, out.resolve("table6").resolve(name), evals));
    }

    /**
     * Table 6 on the reference nets: each group of two or more (the fixed S = 37 nets; the jittered nets) evaluated
     * dense + flip at its three scales on all the test images ({@code table6/NET-dense}) and fused; the jittered nets'
     * Table 5 "both" evaluations fused too.
     */
    private void referenceFusions(List<String> nets) {
        List<String> fixed = nets.stream().filter(n -> n.endsWith("-37")).toList();
        List<String> jit = nets.stream().filter(ReferenceNets::jittered).toList();
        for (List<String> group : List.of(fixed, jit)) {
            if (group.size() < 2) {
                continue;
            }
            List<Path> members = new ArrayList<>();
            for (String n : group) {
                Path dir = out.resolve("table6").resolve(n + "-dense");
                steps.add(Steps.eval("table6-" + n + "-dense", dir, List.of(model(n)), evalArgs("dense", ReferenceNets.testScales(n), true,
                        s.evalLimit())));
                members.add(dir);
            }
            fuse(group, group == fixed ? "-37" : "", "dense", members);
        }
        if (jit.size() >= 2) {
            fuse(jit, "both");
        }
    }

    private void transfer() {
        // Source nets that never saw the target classes 5-9 (docs/transfer-fashion.md).
        String src = "fashion-mnist:train:classes=0-4";
        train("A-src", "A", "--scale-jitter", "37:73", null, s.epochsA(), src);
        train("D-src", "D", "--scale-jitter", "37:73", "A-src", s.epochs(), src);
        train("E-src", "E", "--scale-jitter", "37:73", "A-src", s.epochs(), src);
        table11(List.of(List.of("D-src"), List.of("E-src"), List.of("D-src", "E-src")), "37,55,73");
    }

    /** Table 11 from the reference nets at S = 37 (A, D, E and D+E, those present): descriptors at 32, 37, 42. */
    private void referenceTransfer(List<String> nets) {
        List<List<String>> groups = new ArrayList<>();
        for (String n : List.of("A-37", "D-37", "E-37")) {
            if (nets.contains(n)) {
                groups.add(List.of(n));
            }
        }
        if (nets.containsAll(List.of("D-37", "E-37"))) {
            groups.add(List.of("D-37", "E-37"));
        }
        if (!groups.isEmpty()) {
            table11(groups, ReferenceNets.testScales("A-37"));
        }
    }

    /** The target sets, then for each group of nets its descriptors (averaged over {@code scales}) and both SVM protocols. */
    private void table11(List<List<String>> groups, String scales) {
        Path caltech = out.resolve("data").resolve("fashion-caltech");
        Path voc = out.resolve("data").resolve("fashion-voc");
        steps.add(Steps.makeDataset("make-fashion-caltech", "fashion-caltech", caltech, "--per-class", Integer.toString(s.caltechPerClass())));
        steps.add(Steps.makeDataset("make-fashion-voc", "fashion-voc", voc, "--images", Integer.toString(s.vocImages())));
        for (List<String> nets : groups) {
            String name = String.join("+", nets.stream().map(ReferenceNets::config).toList());
            List<Path> models = nets.stream().map(this::model).toList();
            Path cf = out.resolve("features").resolve(name + "-caltech");
            Path vf = out.resolve("features").resolve(name + "-voc");
            steps.add(Steps.extract("extract-" + name + "-caltech", cf, models, "caltech:" + caltech, caltech.resolve(Steps.DATASET_INFO),
                    scales, "average"));
            steps.add(Steps.transfer("table11-" + name + "-caltech101", cf, out.resolve("table11").resolve(name + "-caltech101.json"),
                    "caltech101", "--splits", Integer.toString(s.splits()), "--train-per-class",
                    Integer.toString(s.caltechTrain()), "--test-per-class", Integer.toString(s.caltechTest())));
            steps.add(Steps.extract("extract-" + name + "-voc", vf, models, "voc:" + voc, voc.resolve(Steps.DATASET_INFO), scales, "average"));
            steps.add(Steps.transfer("table11-" + name + "-voc2007", vf, out.resolve("table11").resolve(name + "-voc2007.json"), "voc2007"));
        }
    }
}
