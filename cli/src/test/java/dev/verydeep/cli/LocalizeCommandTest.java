package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.io.Json;
import dev.verydeep.runtime.loc.LocFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verydeep localize} through {@link Main#run} on the hand-checked fixture (expected errors: {@link LocFixtures#scenario}). */
class LocalizeCommandTest {
    @TempDir
    static Path tmp;
    static LocFixtures.Scenario sc;

    @BeforeAll
    static void build() {
        sc = LocFixtures.scenario(tmp);
    }

    @Test
    void fullProtocolWritesTableResultsAndPredictions() throws IOException {
        Path out = tmp.resolve("run");
        CliRun r = cli("localize", "--loc", sc.scrDense() + "," + sc.pcrDense(), "--cls", sc.clsDense().toString(), "--data", "voc:" + sc.voc() + ":test",
                "--scales", "48", "--flip", "--protocol", "full", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("top-5 loc"), r.out());
        assertTrue(r.out().contains("60.00%"), r.out());
        JsonNode res = Json.readTree(out.resolve("results.json"));
        assertEquals(3, res.get("rows").size());
        assertEquals("scr+pcr", res.get("headline").get("regression").asText());
        assertTrue(res.get("provenance").get("command").asText().startsWith("verydeep localize --loc"));
        assertEquals("full", res.get("settings").get("protocol").asText());
        assertEquals(64, res.get("cls_model").get("sha256").asText().length());
        assertEquals(4, Files.readAllLines(out.resolve("predictions.jsonl")).size());
        assertTrue(Files.readString(out.resolve("table.txt")).contains("A w0.0625 scr+A w0.0625 pcr"));
        // A second run into the same folder is refused without --force.
        CliRun again = cli("localize", "--loc", sc.scrDense().toString(), "--cls", sc.clsDense().toString(), "--data", "voc:" + sc.voc(),
                "--scales", "48", "--protocol", "full", "--out", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--force"), again.err());
    }

    @Test
    void centreCropProtocolWithoutClassifier() {
        Path out = tmp.resolve("cc");
        CliRun r = cli("localize", "--loc", sc.pcrClassifier().toString(), "--data", "voc:" + sc.voc(), "--scales", "48", "--protocol",
                "center-crop-gt", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("60.00%"), r.out());
        assertTrue(Files.exists(out.resolve("results.json")));
    }

    @Test
    void badInputsGiveOneLineErrors() {
        CliRun r = cli("localize", "--loc", sc.clsDense().toString(), "--cls", sc.clsDense().toString(), "--data", "voc:" + sc.voc(), "--scales", "48",
                "--protocol", "full", "--out", tmp.resolve("bad1").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a box net"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        r = cli("localize", "--loc", sc.scrDense().toString(), "--cls", sc.clsDense().toString(), "--data", "voc:" + sc.voc(), "--scales", "16",
                "--protocol", "full", "--out", tmp.resolve("bad2").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("smaller than the crop"), r.err());
        r = cli("localize", "--loc", tmp.resolve("nope.onnx").toString(), "--cls", sc.clsDense().toString(), "--data", "voc:" + sc.voc(),
                "--scales", "48", "--protocol", "full", "--out", tmp.resolve("bad3").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.onnx"), r.err());
        r = cli("localize", "--loc", sc.scrDense().toString(), "--cls", sc.clsDense().toString(), "--data", "voc:" + tmp.resolve("nodata"),
                "--scales", "48", "--protocol", "full", "--out", tmp.resolve("bad4").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nodata"), r.err());
        r = cli("localize", "--loc", sc.scrDense().toString(), "--data", "voc:" + sc.voc(), "--scales", "48", "--protocol", "dense");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--protocol 'dense'"), r.err());
    }
}
