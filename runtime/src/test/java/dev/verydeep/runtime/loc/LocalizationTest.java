package dev.verydeep.runtime.loc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import dev.verydeep.runtime.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on {@link LocFixtures#scenario}: the expected errors are worked out by hand there. */
class LocalizationTest {
    @TempDir
    static Path tmp;
    static LocFixtures.Scenario sc;

    @BeforeAll
    static void build() {
        sc = LocFixtures.scenario(tmp);
    }

    private static LocSettings settings(Protocol p, boolean flip, List<Integer> scales) {
        return new LocSettings(p, scales, flip, true, GreedyMerge.THRESHOLD, 1, Device.CPU, false);
    }

    private static LocData data() {
        return LocData.open("voc:" + sc.voc() + ":test", 0);
    }

    private static LocRow run(List<Path> loc, Path cls, Protocol p, boolean flip) {
        Localization.Result r = Localization.run(loc, cls, data(), settings(p, flip, List.of(48)), null);
        return r.rows().get(r.rows().size() - 1);
    }

    private static void assertRow(LocRow r, int top5Errors, int gtErrors, int clsErrors) {
        assertEquals(4, r.images());
        assertEquals(5, r.samples());
        assertEquals(top5Errors, r.top5LocErrors(), "top-5 loc errors");
        assertEquals(gtErrors, r.gtLocErrors(), "GT-class loc errors");
        assertEquals(clsErrors, r.clsTop5Errors(), "classification top-5 errors");
    }

    @Test
    void fullProtocolWithSingleClassRegression() {
        assertRow(run(List.of(sc.scrDense()), sc.clsDense(), Protocol.FULL, false), 3, 2, 2);
        // The mirrored full window is the same window: the same outcome.
        assertRow(run(List.of(sc.scrDense()), sc.clsDense(), Protocol.FULL, true), 3, 2, 2);
    }

    @Test
    void fullProtocolWithPerClassRegression() {
        assertRow(run(List.of(sc.pcrDense()), sc.clsDense(), Protocol.FULL, true), 3, 3, 2);
    }

    @Test
    void centreCropProtocolTakesTheGroundTruthClassBox() {
        LocRow scr = run(List.of(sc.scrClassifier()), null, Protocol.CENTER_CROP_GT, false);
        assertRow(scr, -1, 2, -1);
        assertTrue(Double.isNaN(scr.top5LocError()));
        assertRow(run(List.of(sc.pcrClassifier()), sc.clsDense(), Protocol.CENTER_CROP_GT, false), -1, 3, 2);
        // The dense graph at the central crop gives the same boxes as the classifier form.
        assertRow(run(List.of(sc.pcrDense()), null, Protocol.CENTER_CROP_GT, false), -1, 3, -1);
    }

    @Test
    void severalNetsGiveARowEachAndTheirUnion() {
        Localization.Result r = Localization.run(List.of(sc.scrDense(), sc.pcrDense()), sc.clsDense(), data(),
                settings(Protocol.FULL, false, List.of(48, 64)), null);
        // Per net: Q=48, Q=64, both; then the union.
        assertEquals(7, r.rows().size());
        assertEquals("48", r.rows().get(0).scales());
        assertEquals("48,64", r.rows().get(2).scales());
        assertEquals("scr+pcr", r.rows().get(6).regression());
        assertRow(r.rows().get(0), 3, 2, 2);
        assertRow(r.rows().get(3), 3, 3, 2);
        for (LocRow row : r.rows()) {
            assertEquals(5, row.samples());
            assertTrue(row.seconds() > 0);
        }
        // Union at Q=48 alone is not a row; the headline's images carry the merged predictions.
        assertEquals(4, r.images().size());
        Localization.ImageResult img1 = r.images().get(0);
        assertEquals("img1", img1.id());
        assertEquals(5, img1.predictions().size());
        assertEquals("K-1", img1.predictions().get(0).className());
    }

    @Test
    void reportFilesHoldTheRowsAndOneLinePerImage() throws IOException {
        LocSettings s = settings(Protocol.FULL, false, List.of(48));
        Localization.Result r = Localization.run(List.of(sc.scrDense()), sc.clsDense(), data(), s, null);
        Path out = tmp.resolve("report");
        Files.createDirectories(out);
        String table = LocReport.write(out, r, s, data(), 0, java.util.Map.of("command", "test"));
        assertTrue(table.contains("60.00%"), table);
        JsonNode res = Json.readTree(out.resolve(LocReport.RESULTS));
        assertEquals("localize", res.get("kind").asText());
        assertEquals(0.6, res.get("headline").get("top5_loc_error").asDouble(), 1e-12);
        assertEquals(0.4, res.get("headline").get("gt_class_loc_error").asDouble(), 1e-12);
        assertEquals(1, res.get("dataset").get("images_without_non_difficult_object").asInt());
        assertEquals(64, res.get("loc_models").get(0).get("sha256").asText().length());
        List<String> lines = Files.readAllLines(out.resolve(LocReport.PREDICTIONS));
        assertEquals(4, lines.size());
        JsonNode first = Json.MAPPER.readTree(lines.get(0));
        assertEquals("img1", first.get("id").asText());
        assertTrue(first.get("correct").asBoolean());
        JsonNode box = first.get("predictions").get(0).get("box");
        assertEquals(32 / 3.0, box.get(0).asDouble(), 1e-6);
        assertEquals(160 / 3.0, box.get(2).asDouble(), 1e-6);
        JsonNode fourth = Json.MAPPER.readTree(lines.get(3));
        assertEquals(false, fourth.get("correct").asBoolean());
        assertEquals(true, fourth.get("samples").get(0).get("gt_class_loc_correct").asBoolean());
        // The headline's mean IoU is the mean of the per-sample IoUs the predictions file lists.
        double sum = 0;
        int n = 0;
        for (String line : lines) {
            for (JsonNode sample : Json.MAPPER.readTree(line).get("samples")) {
                sum += sample.get("gt_class_iou").asDouble();
                n++;
            }
        }
        assertEquals(res.get("headline").get("samples").asInt(), n);
        double meanIou = res.get("headline").get("gt_class_mean_iou").asDouble();
        assertEquals(sum / n, meanIou, 1e-9);
        assertTrue(meanIou > 0 && meanIou < 1, "the constructed nets get some boxes right and some wrong: " + meanIou);
    }

    @Test
    void badInputsAreRefusedClearly() {
        UserException e = assertThrows(UserException.class, () -> run(List.of(sc.clsDense()), sc.clsDense(), Protocol.FULL, false));
        assertTrue(e.getMessage().contains("is a classifier (head classes), not a box net"), e.getMessage());
        e = assertThrows(UserException.class, () -> run(List.of(sc.scrDense()), sc.pcrDense(), Protocol.FULL, false));
        assertTrue(e.getMessage().contains("is a box net (head pcr), not a classifier"), e.getMessage());
        e = assertThrows(UserException.class, () -> run(List.of(sc.scrDense()), sc.clsDense().resolveSibling("model.onnx"), Protocol.FULL, false));
        assertTrue(e.getMessage().contains("localize needs the dense graph"), e.getMessage());
        e = assertThrows(UserException.class, () -> run(List.of(sc.scrClassifier()), sc.clsDense(), Protocol.FULL, false));
        assertTrue(e.getMessage().contains("needs the dense graph"), e.getMessage());
        e = assertThrows(UserException.class, () -> run(List.of(sc.scrDense()), null, Protocol.FULL, false));
        assertTrue(e.getMessage().contains("--protocol full needs --cls"), e.getMessage());
        e = assertThrows(UserException.class, () -> Localization.run(List.of(sc.scrDense()), sc.clsDense(), data(),
                settings(Protocol.FULL, false, List.of(24)), null));
        assertTrue(e.getMessage().contains("Q=24 is smaller than the crop 32"), e.getMessage());
        e = assertThrows(UserException.class, () -> run(List.of(tmp.resolve("missing.onnx")), sc.clsDense(), Protocol.FULL, false));
        assertTrue(e.getMessage().contains("missing.onnx"), e.getMessage());
        e = assertThrows(UserException.class, () -> LocData.open("voc:" + sc.voc() + ":val", 0));
        assertTrue(e.getMessage().contains("no image set 'val'"), e.getMessage());
        e = assertThrows(UserException.class, () -> LocData.open("folder:" + sc.voc(), 0));
        assertTrue(e.getMessage().contains("voc:DIR[:SET]"), e.getMessage());
        e = assertThrows(UserException.class, () -> settings(Protocol.CENTER_CROP_GT, false, List.of(48, 64)));
        assertTrue(e.getMessage().contains("one test scale"), e.getMessage());
    }
}
