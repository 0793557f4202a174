package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code make-dataset}, {@code extract} and {@code transfer} through {@link Main#run}. */
class TransferCommandsTest {
    @TempDir
    Path tmp;

    /** A random-weight A w1/16 with 5 classes, its dense form. */
    Path randomModel() {
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(1.0 / 16).optFcWidth(32).optClasses(5).optCrop(32).build();
        ModelMetadata md = ModelMetadata.builder().optNet(net).setClassNames(IntStream.range(0, 5).mapToObj(i -> "c" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {72, 72, 72})).build();
        Path model = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 5), md).dense();
        return model;
    }

    @Test
    void actionClassificationWithAndWithoutBoxes() {
        Path model = randomModel();
        Path data = tmp.resolve("fa");
        CliRun r = cli("make-dataset", "fashion-action", "--out", data.toString(), "--images", "24");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--data voc-action:"), r.out());
        Path img = tmp.resolve("f-img");
        Path box = tmp.resolve("f-box");
        r = cli("extract", "--model", model.toString(), "--data", "voc-action:" + data, "--scales", "32,40", "--out", img.toString(),
                "--threads", "1");
        assertEquals(0, r.code(), r.err());
        r = cli("extract", "--model", model.toString(), "--data", "voc-action:" + data, "--scales", "32,40", "--out", box.toString(),
                "--threads", "1", "--with-boxes", "--dense-window", "full");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("descriptor 64 floats"), r.out()); // 32 features, image and box
        r = cli("transfer", "--features", box.toString(), "--protocol", "voc2012-action", "--with-boxes", "--c-grid", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" actions (voc2010-area, train train = ") && r.out().contains("image + box descriptors"), r.out());
        JsonNode j = Json.readTree(box.resolve("results-voc2012-action.json"));
        assertEquals(10, j.get("perClassAp").size());
        assertEquals("whole image and person box, stacked", j.get("descriptor_of_entry").asText());
        assertEquals("full", Json.readTree(box.resolve("index.json")).at("/settings/denseWindow").asText());
        r = cli("transfer", "--features", img.toString(), "--protocol", "voc2012-action", "--with-boxes");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("holds whole-image descriptors; extract again with --with-boxes"), r.err());
        r = cli("extract", "--model", model.toString(), "--data", "voc-action:" + data + ":val", "--scales", "32", "--out",
                tmp.resolve("f-bad").toString(), "--dense-window", "middle");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--dense-window must be full or centred"), r.err());
    }

    @Test
    void makeExtractTransferOnFashionCaltech() {
        Path model = randomModel();
        Path data = tmp.resolve("fc");
        CliRun r = cli("make-dataset", "fashion-caltech", "--out", data.toString(), "--per-class", "12");
        assertEquals(0, r.code(), r.err());
        Path feats = tmp.resolve("feats");
        r = cli("extract", "--model", model.toString(), "--data", "caltech:" + data, "--scales", "32,40", "--aggregate", "stack",
                "--out", feats.toString(), "--chunk-size", "20", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("60 images, descriptor 64 floats, 3 chunks (0 already done)"), r.out());
        assertTrue(r.out().contains("images/s inside the session"), r.out());
        r = cli("transfer", "--features", feats.toString(), "--protocol", "caltech101", "--splits", "2", "--train-per-class", "5",
                "--test-per-class", "4", "--c-grid", "0.1,1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mean class recall"), r.out());
        JsonNode j = Json.readTree(feats.resolve("results-caltech101.json"));
        assertEquals(2, j.get("perSplit").size());
        assertTrue(j.get("provenance").get("command").asText().startsWith("verydeep transfer --features"), j.toString());
        assertTrue(j.get("extraction").get("provenance").get("command").asText().startsWith("verydeep extract --model"), j.toString());
        assertTrue(j.get("meanClassRecall").asDouble() >= 0);
        // User errors: one line, exit 2.
        r = cli("transfer", "--features", feats.toString(), "--protocol", "voc2007");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("needs a voc: data set") && r.err().lines().count() == 1, r.err());
        r = cli("transfer", "--features", feats.toString(), "--protocol", "caltech101", "--c-grid", "0,1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("C must be a positive number"), r.err());
        r = cli("extract", "--model", model.toString(), "--data", "caltech:" + data, "--scales", "32,48", "--out", feats.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("refusing to append"), r.err());
        r = cli("make-dataset", "fashion-imagenet", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(Files.notExists(tmp.resolve("x")));
    }

    @Test
    void extractReadsAClassSubset() {
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(1.0 / 16).optFcWidth(16).optClasses(5).optCrop(32).build();
        ModelMetadata md = ModelMetadata.builder().optNet(net).setClassNames(IntStream.range(0, 5).mapToObj(i -> "c" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {72, 72, 72})).build();
        Path model = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 5), md).dense();
        Path data = tmp.resolve("fc");
        assertEquals(0, cli("make-dataset", "fashion-caltech", "--out", data.toString(), "--per-class", "3").code());
        Path feats = tmp.resolve("feats");
        CliRun r = cli("extract", "--model", model.toString(), "--data", "caltech:" + data + ":classes=1,3", "--scales", "32",
                "--out", feats.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("6 images"), r.out());
        // classes sorted by folder name: ankle_boot, bag, sandal, shirt, sneaker -> 1 = bag, 3 = shirt
        String store = String.join("\n", Json.readTree(feats.resolve("index.json")).toString());
        assertTrue(store.contains(":classes=1,3") && store.contains("\"bag\"") && store.contains("\"shirt\"") && !store.contains("sandal"), store);
        r = cli("extract", "--model", model.toString(), "--data", "caltech:" + data + ":classes=4-7", "--scales", "32",
                "--out", tmp.resolve("f2").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("class 5 does not exist: the data set has 5 classes"), r.err());
    }
}
