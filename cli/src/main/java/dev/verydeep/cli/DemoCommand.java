package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import dev.verydeep.trainer.CheckpointState;
import dev.verydeep.trainer.RunFolder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verydeep demo}: the main job, as a sequence of the tool's own commands (each printed before it
 * runs, so a user can repeat any step by hand). Resumable: a finished step is skipped, an interrupted
 * training run is resumed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job on Fashion-MNIST: train config A at a fixed scale, then config D with scale jittering "
                + "initialised from it (the paper's recipe in miniature, crop 32), export both to ONNX and verify the exports "
                + "against DJL, evaluate them with the paper's test protocol on ONNX Runtime (dense and multi-crop, several "
                + "scales, flips) and fuse the two. Re-running it continues where it stopped."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/demo", description = "Folder for all the demo's runs (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--width", defaultValue = "0.125", description = "Width multiplier of both nets (default: ${DEFAULT-VALUE}).")
    String width;

    @Option(names = "--epochs-a", defaultValue = "4", description = "Epochs for config A (default: ${DEFAULT-VALUE}).")
    int epochsA;

    @Option(names = "--epochs-d", defaultValue = "3", description = "Epochs for config D (default: ${DEFAULT-VALUE}).")
    int epochsD;

    @Option(names = "--limit-d", defaultValue = "0", description = "Training images for D, 0 = all (default: ${DEFAULT-VALUE}).")
    int limitD;

    @Option(names = "--multicrop-images", defaultValue = "1000",
            description = "Test images for the multi-crop and 'both' evaluation (default: ${DEFAULT-VALUE}).")
    int multicropImages;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Path a = out.resolve("A-37");
        Path d = out.resolve("D-jit");
        train(o, a, List.of("--config", "A", "--width", width, "--data", "fashion-mnist", "--crop", "32", "--scale", "37",
                "--epochs", Integer.toString(epochsA), "--patience", "1", "--eval-data", "fashion-mnist:test"));
        train(o, d, List.of("--config", "D", "--width", width, "--data", "fashion-mnist", "--crop", "32", "--scale-jitter", "37:73",
                "--init-from", a.toString(), "--epochs", Integer.toString(epochsD), "--patience", "1", "--limit", Integer.toString(limitD),
                "--eval-data", "fashion-mnist:test"));
        for (Path run : List.of(a, d)) {
            step(o, "export", run.toString(), "--force");
            step(o, "verify", run.resolve("model.onnx").toString());
            step(o, "verify", run.resolve("model-dense.onnx").toString());
        }
        // Section 3.2 on ONNX Runtime: A at its fixed-S scales {S-5, S, S+5}; D at {37, 55, 73} (jittered S);
        // multi-crop (150 crops per image) on the first images only, to keep the demo short.
        Path evalA = out.resolve("eval-A-dense");
        Path evalD = out.resolve("eval-D-dense");
        eval(o, evalA, "--model", a.resolve("model-dense.onnx").toString(), "--data", "fashion-mnist:test", "--method", "dense",
                "--scales", "32,37,42", "--flip");
        eval(o, evalD, "--model", d.resolve("model-dense.onnx").toString(), "--data", "fashion-mnist:test", "--method", "dense",
                "--scales", "37,55,73", "--flip");
        eval(o, out.resolve("eval-D-both"), "--model", d.resolve("model-dense.onnx").toString(), "--data", "fashion-mnist:test",
                "--method", "both", "--scales", "37,55,73", "--flip", "--limit", Integer.toString(multicropImages));
        Path fused = out.resolve("fuse-A-D-dense");
        if (!Files.exists(fused.resolve("results.json"))) {
            step(o, "fuse", evalA.toString(), evalD.toString(), "--out", fused.toString(), "--force");
        }
        o.println();
        o.println("demo results (centre crop, single test scale, Fashion-MNIST test set; from each run's eval.json):");
        o.printf(Locale.ROOT, "%-8s %-8s %-12s %6s %10s %10s%n", "run", "config", "train S", "test Q", "top-1 err", "images");
        for (Path run : List.of(a, d)) {
            JsonNode e = Json.readTree(run.resolve("eval.json"));
            JsonNode s = Json.readTree(run.resolve(RunFolder.RUN_JSON)).get("settings");
            String trainS = s.get("scaleMin").asInt() == s.get("scaleMax").asInt() ? s.get("scaleMin").asText()
                    : "[" + s.get("scaleMin").asText() + ";" + s.get("scaleMax").asText() + "]";
            o.printf(Locale.ROOT, "%-8s %-8s %-12s %6d %9.2f%% %10d%n", run.getFileName(), s.get("net").get("config").asText(), trainS,
                    e.get("testScale").asInt(), 100 * e.get("top1Error").asDouble(), e.get("images").asInt());
        }
        step(o, "report", out.toString(), "-o", out.resolve("report").toString());
        o.printf(Locale.ROOT, "demo finished in %.1f min; everything is in %s%n", (System.nanoTime() - t0) / 6e10, out.toAbsolutePath());
        return 0;
    }

    private void eval(PrintWriter o, Path dir, String... args) {
        if (Files.exists(dir.resolve("results.json"))) {
            o.println("# " + dir + ": already evaluated, skipped");
            return;
        }
        List<String> full = new ArrayList<>(List.of("eval"));
        full.addAll(List.of(args));
        full.addAll(List.of("--out", dir.toString(), "--force", "--no-progress"));
        step(o, full.toArray(new String[0]));
    }

    private void train(PrintWriter o, Path run, List<String> args) {
        CheckpointState cp = Files.exists(run.resolve(RunFolder.RUN_JSON)) ? new RunFolder(run).checkpoint() : null;
        if (cp != null && cp.finished() && Files.exists(run.resolve("eval.json"))) {
            o.println("# " + run + ": already trained (epoch " + cp.epoch() + "), skipped");
            return;
        }
        List<String> full = new ArrayList<>(List.of("train"));
        full.addAll(args);
        if (Files.exists(run.resolve(RunFolder.RUN_JSON))) {
            full.addAll(List.of("--resume", run.toString()));
        } else {
            full.addAll(List.of("--out", run.toString(), "--force"));
        }
        step(o, full.toArray(new String[0]));
    }

    private void step(PrintWriter o, String... args) {
        o.println("$ verydeep " + String.join(" ", args));
        o.flush();
        CommandLine root = spec.root().commandLine();
        int code = Main.run(args, o, root.getErr());
        if (code != 0) {
            throw new UserException("step failed (exit " + code + "): verydeep " + String.join(" ", args));
        }
    }
}
