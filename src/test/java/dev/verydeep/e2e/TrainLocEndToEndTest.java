package dev.verydeep.e2e;

import static dev.verydeep.cli.testing.CliRun.cli;
import static dev.verydeep.cli.testing.CliRun.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.io.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appendix A in miniature, as a user types it: a fashion-loc set, a classifier D (w1/16) on its trainval images,
 * a PCR localisation net fine-tuned from it (FC layers only), protocol 1 on the test images, the export with box
 * outputs and ONNX Runtime agreeing with DJL on them.
 */
class TrainLocEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void makeDatasetTrainTrainLocExportVerify() {
        Path data = tmp.resolve("fashion-loc");
        ok("make-dataset", "fashion-loc", "--images", "48", "--seed", "2", "--out", data.toString());
        Path cls = tmp.resolve("cls");
        ok("train", "--config", "D", "--width", "0.0625", "--crop", "32", "--scale", "55", "--data", "voc:" + data + ":trainval",
                "--epochs", "1", "--batch", "16", "--threads", "1", "--no-progress", "--out", cls.toString());
        Path loc = tmp.resolve("pcr-fc");
        CliRun trained = ok("train-loc", "--from", cls.toString(), "--regression", "pcr", "--finetune", "fc", "--data", "voc:" + data + ":trainval",
                "--epochs", "1", "--batch", "16", "--threads", "1", "--no-progress", "--out", loc.toString(), "--eval-data", "voc:" + data + ":test");
        assertTrue(trained.out().contains("box-pcr") && trained.out().contains("mean IoU"), trained.out());
        JsonNode run = Json.readTree(loc.resolve("run.json"));
        assertEquals("fc", run.path("settings").path("finetune").asText());
        assertEquals("PCR", run.path("settings").path("net").path("head").asText());
        assertEquals(26, run.path("frozenTensors").size(), "13 conv layers of D, weight and bias");
        assertEquals(0.001, run.path("settings").path("learningRate").asDouble(), 1e-12);
        assertEquals(55, run.path("settings").path("scaleMin").asInt(), "the source run's scale");
        JsonNode eval = Json.readTree(loc.resolve("eval.json"));
        assertEquals(24, eval.path("images").asInt());
        double err = eval.path("localisationError").asDouble(-1);
        assertTrue(err >= 0 && err <= 1, eval.toString());
        assertEquals(1 - eval.path("localisationAccuracy").asDouble(), err, 1e-12);

        CliRun export = ok("export", loc.toString());
        assertTrue(export.out().contains("6 test data sets") || export.out().contains("wrote 6"), export.out());
        CliRun inspect = ok("inspect", loc.resolve("model-dense.onnx").toString());
        assertTrue(inspect.out().contains("boxes_map"), inspect.out());
        for (String model : new String[] {"model.onnx", "model-dense.onnx"}) {
            CliRun verify = ok("verify", loc.resolve(model).toString());
            assertTrue(verify.out().contains("3 PASS, 0 FAIL"), verify.out());
            assertTrue(verify.out().contains("boxes"), "the box outputs are compared: " + verify.out());
        }
    }
}
