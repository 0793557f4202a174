package dev.verydeep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.golden.GoldenFile;
import dev.verydeep.core.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verydeep golden check} through {@link Main#run}: the quick subset as CI runs it (this test is the CI hook:
 * it retrains the quick Fashion-MNIST entries in-process, and for verydeep-fashion-eval.json also exports the net and
 * evaluates it with ONNX Runtime), a deliberately broken golden value, and
 * {@code --against-paper} on a hand-made results file.
 */
class GoldenCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void quickCheckPasses() {
        Result r = cli("golden", "check", "--quick", "--work", tmp.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("| verydeep-table2.json | D-parameters | parameters | 138357544 | 0 | 138357544 | PASS"), r.out());
        assertTrue(r.out().contains("verydeep-fashion-quick.json"), r.out());
        // The quick evaluation entry: trains a small net, exports it and runs verydeep eval (dense) on 1000 test images.
        String evalRow = r.out().lines().filter(l -> l.startsWith("| verydeep-fashion-eval.json | A-w1/16-3000img-1epoch-dense-Q37-top1 |"))
                .findFirst().orElse("");
        assertTrue(evalRow.contains("| PASS |"), r.out());
        // The quick transfer entries: source net on classes 0-4 -> export -> make-dataset -> extract -> transfer.
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| verydeep-fashion-transfer.json | reduced-A-w1/16-2000img-fashion-caltech40-mean-class-recall |")
                && l.contains("| PASS |")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| verydeep-fashion-transfer.json | reduced-A-w1/16-2000img-fashion-voc120-mAP |")
                && l.contains("| PASS |")), r.out());
        // The quick localisation entry: fashion-loc -> classifier -> train-loc (PCR) -> export -> localize (full protocol).
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| verydeep-fashion-loc.json | reduced-D-w1/16-fashion-loc400-full-gt-class-mean-iou |")
                && l.contains("| PASS |")), r.out());
        // The quick action entry: fashion-action, image + person-box descriptors, the voc2012-action protocol.
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| verydeep-fashion-transfer.json | reduced-A-w1/16-2000img-fashion-action120-image+box-mAP |")
                && l.contains("| PASS |")), r.out());
        assertTrue(r.out().contains("0 FAIL"), r.out());
    }

    @Test
    void aBrokenGoldenValueFailsTheCheck() {
        ObjectNode f = (ObjectNode) GoldenFile.load("verydeep-table2.json").json().deepCopy();
        ((ObjectNode) f.get("entries").get(9)).put("value", 15_470_000_000L); // D multiply-adds, rounded: wrong
        Path broken = tmp.resolve("broken.json");
        Json.write(broken, f);
        Result r = cli("golden", "check", "--quick", "--file", broken.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("| D-multiply-adds | multiplyAdds | 15470000000 | 0 | 15470264320 | FAIL: off by 264320"), r.out());
        assertTrue(r.out().contains("12 entries, 11 PASS, 1 FAIL"), r.out());
        // The intact file passes.
        r = cli("golden", "check", "--file", "verydeep-table2.json");
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void againstPaperComparesAHandMadeResultsFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("results"));
        Files.writeString(dir.resolve("results.json"), """
                [{"config": "E", "trainS": "256-512", "testQ": "256,384,512", "method": "dense+multi-crop", "top1": 24.6, "top5": 7.0}]
                """);
        Result r = cli("golden", "check", "--against-paper", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("| 5 | E-dense+multi-crop-top1 | top1Error | 24.4 | 24.60 | 0.5 | MATCH |"), r.out());
        assertTrue(r.out().contains("4 comparisons: 4 MATCH, 0 DIFF"), r.out());
        Files.writeString(dir.resolve("results.json"), """
                [{"config": "E", "trainS": "256-512", "testQ": "256,384,512", "method": "dense+multi-crop", "top1": 26.0, "top5": 7.0}]
                """);
        r = cli("golden", "check", "--against-paper", dir.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("DIFF"), r.out());
        r = cli("golden", "check", "--against-paper", tmp.resolve("none").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not a folder of result files"), r.err());
    }

    @Test
    void pinWritesValuesFromARunAndCheckFromReadsThem() throws Exception {
        Path golden = tmp.resolve("mine.json");
        Files.writeString(golden, """
                {"format": 1, "table": "mine", "source": "verydeep", "entries": [{"id": "A-top1", "metric": "top1Error", "value": 0.5,
                  "unit": "fraction", "tolerance": 0.01, "command": "verydeep eval ... --out {out}/ev", "codeVersion": "?", "seconds": 30,
                  "measure": {"kind": "command", "commands": [["eval", "--out", "{out}/ev"]], "file": "ev/results.json", "field": "/headline/top1_error"}}]}
                """);
        Path run = tmp.resolve("run");
        Json.write(run.resolve("ev/results.json"), java.util.Map.of("headline", java.util.Map.of("top1_error", 0.1234),
                "provenance", java.util.Map.of("gitCommit", "feedbeef", "gitDirty", true)));
        Result r = cli("golden", "check", "--file", golden.toString(), "--from", run.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("| A-top1 | top1Error | 0.5000000 | 0.01000000 | 0.1234000 | FAIL: off by -0.3766"), r.out());
        r = cli("golden", "pin", "--file", golden.toString(), "--from", run.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(0.1234, Json.readTree(golden).at("/entries/0/value").asDouble(), 0);
        assertEquals("feedbeef (uncommitted changes)", Json.readTree(golden).at("/entries/0/codeVersion").asText());
        r = cli("golden", "check", "--file", golden.toString(), "--from", run.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        // A shipped file is not overwritten in place.
        r = cli("golden", "pin", "--file", "verydeep-table2.json", "--from", run.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give -o FILE"), r.err());
    }
}
