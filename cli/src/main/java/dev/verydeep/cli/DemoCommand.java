package dev.verydeep.cli;

import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.io.Json;
import dev.verydeep.trainer.RunFolder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verydeep demo}: the main job, as a plan of the tool's own commands run by {@link StepRunner} (each printed
 * before it runs, so a user can repeat any step by hand). Resumable: a finished step is skipped, an interrupted
 * training run is resumed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job on Fashion-MNIST: train config A at a fixed scale, then config D with scale jittering "
                + "initialised from it (the paper's recipe in miniature, crop 32), export both to ONNX and verify the exports "
                + "against DJL, evaluate them with the paper's test protocol on ONNX Runtime (dense and multi-crop, several "
                + "scales, flips), fuse the two, transfer D's descriptors to fashion-caltech (Caltech-101 protocol with LIBLINEAR) "
                + "then evaluate the shipped reference nets A-37 and D-37 (trained to convergence, reference/) densely at Q=37 on the "
                + "same test images as its own two nets and print them side by side, labelled, and write the report. Without Debian's Fashion-MNIST it runs on the sample shipped in golden-data, saying so. "
                + "Re-running it continues where it stopped."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/demo", description = "Folder for all the demo's runs (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--width", defaultValue = "0.125", description = "Width multiplier of both nets (default: ${DEFAULT-VALUE}).")
    String width;

    @Option(names = "--epochs-a", description = "Epochs for config A (default: 4 on Fashion-MNIST, 20 on the shipped sample).")
    Integer epochsA;

    @Option(names = "--epochs-d", description = "Epochs for config D (default: 3 on Fashion-MNIST, 10 on the shipped sample).")
    Integer epochsD;

    @Option(names = "--limit-d", defaultValue = "0", description = "Training images for D, 0 = all (default: ${DEFAULT-VALUE}).")
    int limitD;

    @Option(names = "--multicrop-images", defaultValue = "1000",
            description = "Test images for the multi-crop and 'both' evaluation (default: ${DEFAULT-VALUE}).")
    int multicropImages;

    @Option(names = "--caltech-per-class", defaultValue = "50",
            description = "fashion-caltech images per class for the transfer step: 30 train the SVMs, the rest test (default: ${DEFAULT-VALUE}).")
    int caltechPerClass;

    @Mixin
    ReferenceNets referenceNets;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (caltechPerClass < 32) {
            throw new dev.verydeep.core.UserException("--caltech-per-class must be at least 32 (30 train the SVMs, at least 2 test), got "
                    + caltechPerClass);
        }
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        o.println("Fashion-MNIST: " + FashionMnist.defaultSource());
        // The sample has 1/60 of the training images: more epochs (and patience) so the nets learn something.
        boolean sample = !FashionMnist.present(FashionMnist.defaultDir(), FashionMnist.Split.TRAIN);
        int epochsA = this.epochsA != null ? this.epochsA : sample ? 20 : 4;
        int epochsD = this.epochsD != null ? this.epochsD : sample ? 10 : 3;
        String patience = sample ? "3" : "1";
        Path a = out.resolve("A-37");
        Path d = out.resolve("D-jit");
        StepRunner runner = new StepRunner(out, o, spec.root().commandLine().getErr());
        runner.run(List.of(
                Steps.train("train-A-37", a, null, List.of("--config", "A", "--width", width, "--data", "fashion-mnist", "--crop", "32",
                        "--scale", "37", "--epochs", Integer.toString(epochsA), "--patience", patience, "--eval-data", "fashion-mnist:test")),
                Steps.train("train-D-jit", d, a, List.of("--config", "D", "--width", width, "--data", "fashion-mnist", "--crop", "32",
                        "--scale-jitter", "37:73", "--epochs", Integer.toString(epochsD), "--patience", patience, "--limit", Integer.toString(limitD),
                        "--eval-data", "fashion-mnist:test"))));
        List<Step> steps = new ArrayList<>();
        for (Path run : List.of(a, d)) {
            String n = run.getFileName().toString();
            steps.add(Steps.export("export-" + n, run));
            steps.add(Steps.verify("verify-" + n, run.resolve(Steps.CLASSIFIER)));
            steps.add(Steps.verify("verify-" + n + "-dense", run.resolve(Steps.DENSE)));
        }
        // Section 3.2 on ONNX Runtime: A at its fixed-S scales {S-5, S, S+5}; D at {37, 55, 73} (jittered S);
        // multi-crop (150 crops per image) on the first images only, to keep the demo short.
        Path evalA = out.resolve("eval-A-dense");
        Path evalD = out.resolve("eval-D-dense");
        steps.add(Steps.eval("eval-A-dense", evalA, List.of(a.resolve(Steps.DENSE)), "--data", "fashion-mnist:test", "--method", "dense",
                "--scales", "32,37,42", "--flip"));
        steps.add(Steps.eval("eval-D-dense", evalD, List.of(d.resolve(Steps.DENSE)), "--data", "fashion-mnist:test", "--method", "dense",
                "--scales", "37,55,73", "--flip"));
        steps.add(Steps.eval("eval-D-both", out.resolve("eval-D-both"), List.of(d.resolve(Steps.DENSE)), "--data", "fashion-mnist:test",
                "--method", "both", "--scales", "37,55,73", "--flip", "--limit", Integer.toString(multicropImages)));
        steps.add(Steps.fuse("fuse-A-D-dense", out.resolve("fuse-A-D-dense"), List.of(evalA, evalD)));
        // Appendix B in miniature: D's descriptors on fashion-caltech (classes 5-9 of the test split, which D saw in
        // training: this checks the protocol end to end, not transfer to unseen classes; docs/transfer-fashion.md does that).
        // 50 per class fit the shipped sample too: 30 to train the SVMs, 20 to test, 3 splits.
        Path caltech = out.resolve("fashion-caltech");
        Path feats = out.resolve("feats-D-caltech");
        steps.add(Steps.makeDataset("make-fashion-caltech", "fashion-caltech", caltech, "--per-class", Integer.toString(caltechPerClass)));
        steps.add(Steps.extract("extract-D-caltech", feats, List.of(d.resolve(Steps.DENSE)), "caltech:" + caltech,
                caltech.resolve(Steps.DATASET_INFO), "37,55,73", "average"));
        steps.add(Steps.transfer("transfer-D-caltech101", feats, out.resolve("transfer-D-caltech101.json"), "caltech101", "--splits", "3",
                "--train-per-class", "30", "--test-per-class", Integer.toString(caltechPerClass - 30)));
        printTrainingResults(o, a, d);
        List<String> refs = referenceNets();
        Path refDir = referenceNets.folder();
        Map<String, Path> own = new LinkedHashMap<>();
        for (Path run : List.of(a, d)) {
            own.put(run.getFileName().toString(), out.resolve("eval-" + run.getFileName() + "-dense-Q37"));
        }
        Map<String, Path> shipped = new LinkedHashMap<>();
        refs.forEach(n -> shipped.put(n, out.resolve("reference").resolve(n)));
        // The same protocol and test images for both: dense at Q=37 (the reference nets' training scale), no flip.
        for (Map.Entry<String, Path> e : own.entrySet()) {
            steps.add(Steps.eval("eval-" + e.getKey() + "-dense-Q37", e.getValue(), List.of(out.resolve(e.getKey()).resolve(Steps.DENSE)),
                    "--data", "fashion-mnist:test", "--method", "dense", "--scales", "37"));
        }
        for (Map.Entry<String, Path> e : shipped.entrySet()) {
            steps.add(Steps.eval("eval-reference-" + e.getKey(), e.getValue(), List.of(ReferenceNets.model(refDir, e.getKey())), "--data",
                    "fashion-mnist:test", "--method", "dense", "--scales", "37"));
        }
        runner.run(steps);
        DemoComparison.print(o, own, shipped, List.of(a, d), refs.stream().map(refDir::resolve).toList(), refDir);
        runner.run(Steps.report(List.of(out), refs.isEmpty() ? List.of() : List.of(refDir), out.resolve("report")));
        o.printf(Locale.ROOT, "demo finished in %.1f min; everything is in %s%n", (System.nanoTime() - t0) / 6e10, out.toAbsolutePath());
        return 0;
    }

    /** The shipped reference nets A-37 and D-37 that are present; none (saying so) when the default folder has none. */
    private List<String> referenceNets() {
        if (referenceNets.dir != null) {
            referenceNets.require();
        }
        List<String> refs = referenceNets.present().stream().filter(n -> n.equals("A-37") || n.equals("D-37")).toList();
        if (refs.isEmpty()) {
            spec.commandLine().getOut().println("note: no shipped reference net A-37 or D-37 in " + referenceNets.folder()
                    + ": the demo's nets are shown alone (--reference-dir DIR names another folder)");
        }
        return refs;
    }

    private static void printTrainingResults(PrintWriter o, Path a, Path d) {
        o.println();
        o.println("demo results (centre crop, single test scale; from each run's eval.json):");
        o.printf(Locale.ROOT, "%-8s %-8s %-12s %6s %10s %10s%n", "run", "config", "train S", "test Q", "top-1 err", "images");
        for (Path run : List.of(a, d)) {
            JsonNode e = Json.readTree(run.resolve("eval.json"));
            JsonNode s = Json.readTree(run.resolve(RunFolder.RUN_JSON)).get("settings");
            String trainS = s.get("scaleMin").asInt() == s.get("scaleMax").asInt() ? s.get("scaleMin").asText()
                    : "[" + s.get("scaleMin").asText() + ";" + s.get("scaleMax").asText() + "]";
            o.printf(Locale.ROOT, "%-8s %-8s %-12s %6d %9.2f%% %10d%n", run.getFileName(), s.get("net").get("config").asText(), trainS,
                    e.get("testScale").asInt(), 100 * e.get("top1Error").asDouble(), e.get("images").asInt());
        }
        o.println();
    }
}
