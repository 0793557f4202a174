package dev.verydeep.cli;

import static dev.verydeep.cli.BadSettingsTest.assertUsageError;
import static dev.verydeep.cli.testing.CliRun.cli;
import static dev.verydeep.cli.testing.CliRun.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.OnnxModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --init-from} and {@code train-loc --from} an exported model, as on a fresh clone where a net is ONNX only:
 * a classifier trained on a tiny fashion-loc set and exported; a localisation net from its model-dense.onnx is the run
 * one from its folder is; a fine-tuning from its model.onnx takes every layer; bad sources name the flag.
 */
class InitFromOnnxCommandTest {
    @TempDir
    Path tmp;

    /** {@code verb flags...} followed by the {@code shared} flags. */
    private static String[] args(List<String> shared, String... verbAndFlags) {
        List<String> all = new ArrayList<>(List.of(verbAndFlags));
        all.addAll(shared);
        return all.toArray(String[]::new);
    }

    /** The shipped reference nets (reference/NET: run.json and model-dense.onnx, no weights.vdw) start runs as they are. */
    @Test
    void theShippedReferenceNetsStartRuns() throws Exception {
        Path reference = Path.of(System.getProperty("verydeep.repo", "..")).toAbsolutePath().resolve("reference");
        Path a37 = reference.resolve("A-37");
        Path model = a37.resolve(OnnxExporter.DENSE_FILE);
        JsonNode shipped = Json.readTree(a37.resolve("run.json")).path("settings").path("net");  // the family's width
        List<String> quick = List.of("--width", shipped.path("width").asText(), "--fc-width", shipped.path("fcWidth").asText(), "--crop",
                "32", "--scale", "37", "--data", "fashion-mnist-sample", "--limit", "64", "--epochs", "1", "--batch", "32", "--threads", "1",
                "--no-progress");
        assertUsageError(cli(args(quick, "train", "--config", "D", "--init-from", a37.toString(), "--out", tmp.resolve("d0").toString())),
                "--init-from " + a37 + ": has no trained weights (no weights.vdw), only its exported model: start from " + model);
        Path d = tmp.resolve("D-from-A-37");
        ok(args(quick, "train", "--config", "D", "--init-from", model.toString(), "--out", d.toString()));
        JsonNode run = Json.readTree(d.resolve("run.json"));
        assertEquals(14, run.path("initFromCopied").size());
        assertEquals(Hashes.sha256(model), run.path("initFromSha256").asText());
        // The control of the depth and LRN findings: A itself from A-37's layers as D takes them, at the from-scratch rate.
        Path again = tmp.resolve("A-again-37");
        ok(args(quick, "train", "--config", "A", "--init-from", model.toString(), "--init-layers", "paper", "--out", again.toString()));
        JsonNode control = Json.readTree(again.resolve("run.json"));
        assertEquals(run.path("initFromCopied"), control.path("initFromCopied"));
        assertEquals(0.01, control.path("settings").path("learningRate").asDouble());
        assertEquals("paper", control.path("settings").path("initLayers").asText());
        assertUsageError(cli(args(quick, "train", "--config", "A", "--init-layers", "paper", "--out", tmp.resolve("a1").toString())),
                "--init-layers paper needs a trained net to start from");

        Path data = tmp.resolve("fashion-loc");
        ok("make-dataset", "fashion-loc", "--images", "48", "--seed", "2", "--out", data.toString());
        // A box net keeps its classifier's classes, in its order: fashion-loc's VOC names (sorted, VOC-safe) are not
        // Fashion-MNIST's, so a shipped classifier cannot start one on it, and says why.
        Path d37 = reference.resolve("D-37").resolve(OnnxExporter.DENSE_FILE);
        assertUsageError(cli("train-loc", "--from", d37.toString(), "--regression", "scr", "--data", "voc:" + data + ":trainval",
                "--epochs", "1", "--no-progress", "--out", tmp.resolve("loc").toString()), "has classes [ankle_boot, bag,",
                "but the source net " + d37 + " was trained on [T-shirt/top, Trouser,", "needs the same classes, in the same order");
    }

    @Test
    void trainLocAndTrainFromAnExportedModel() throws Exception {
        Path data = tmp.resolve("fashion-loc");
        ok("make-dataset", "fashion-loc", "--images", "48", "--seed", "2", "--out", data.toString());
        String voc = "voc:" + data + ":trainval";
        List<String> quick = List.of("--epochs", "1", "--batch", "16", "--threads", "1", "--no-progress", "--data", voc);
        Path cls = tmp.resolve("cls");
        ok(args(quick, "train", "--config", "A", "--width", "0.0625", "--crop", "32", "--scale", "37", "--out", cls.toString()));
        ok("export", cls.toString());
        Path dense = cls.resolve(OnnxExporter.DENSE_FILE);

        Path fromRun = tmp.resolve("loc-from-run");
        Path fromOnnx = tmp.resolve("loc-from-onnx");
        ok(args(quick, "train-loc", "--from", cls.toString(), "--regression", "pcr", "--out", fromRun.toString()));
        ok(args(quick, "train-loc", "--from", dense.toString(), "--regression", "pcr", "--out", fromOnnx.toString()));
        JsonNode source = Json.readTree(cls.resolve("run.json"));
        JsonNode a = Json.readTree(fromRun.resolve("run.json"));
        JsonNode b = Json.readTree(fromOnnx.resolve("run.json"));
        assertEquals(dense.toString(), b.path("settings").path("initFrom").asText());
        assertEquals(Hashes.sha256(dense), b.path("initFromSha256").asText(), "provenance: the ONNX file's hash");
        assertEquals(20, b.path("initFromCopied").size(), "every tensor of A but fc8's");
        assertEquals(a.path("initFromCopied"), b.path("initFromCopied"));
        assertEquals(37, b.path("settings").path("scaleMin").asInt(), "the source's training scale");
        assertEquals(0.001, b.path("settings").path("learningRate").asDouble(), 1e-12);
        assertEquals(source.path("colourStats").path("mean"), b.path("colourStats").path("mean"), "the classifier's mean RGB");
        // Same data, split and seed as the classifier's: the colour covariance computed here is the classifier's, so the
        // two localisation runs are one.
        assertEquals(source.path("colourStats"), b.path("colourStats"));
        assertEquals(Hashes.sha256(fromRun.resolve("weights.vdw")), Hashes.sha256(fromOnnx.resolve("weights.vdw")));

        Path ft = tmp.resolve("fine-tuned");
        ok(args(quick, "train", "--config", "A", "--width", "0.0625", "--crop", "32", "--scale", "37",
                "--init-from", cls.resolve(OnnxExporter.CLASSIFIER_FILE).toString(), "--out", ft.toString()));
        JsonNode f = Json.readTree(ft.resolve("run.json"));
        assertEquals(22, f.path("initFromCopied").size());
        assertEquals(0.001, f.path("settings").path("learningRate").asDouble(), 1e-12, "the fine-tuning rate, from the model's config");

        Path foreign = Files.createDirectories(tmp.resolve("zoo")).resolve("vgg.onnx");
        OnnxExporter.write(foreign, OnnxModels.load(dense).proto().toBuilder().clearMetadataProps().build());
        assertUsageError(cli(args(quick, "train-loc", "--from", foreign.toString(), "--regression", "scr", "--out", tmp.resolve("x").toString())),
                "--from " + foreign + ": has no verydeep metadata", "only a model written by verydeep export can start a run");
        Path nope = tmp.resolve("nope.onnx");
        assertUsageError(cli(args(quick, "train", "--config", "D", "--width", "0.0625", "--crop", "32", "--init-from", nope.toString(),
                "--out", tmp.resolve("y").toString())), "--init-from " + nope + ": no such run folder or ONNX model");
        assertUsageError(cli(args(quick, "train", "--config", "D", "--width", "0.125", "--crop", "32", "--init-from", dense.toString(),
                "--out", tmp.resolve("z").toString())), "--init-from: the source net", "must have the same width");
        assertTrue(Files.notExists(tmp.resolve("x")) && Files.notExists(tmp.resolve("y")) && Files.notExists(tmp.resolve("z")), "nothing started");
    }
}
