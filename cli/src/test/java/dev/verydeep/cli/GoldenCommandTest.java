package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.golden.GoldenFile;
import dev.verydeep.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * The quick golden check, as CI runs it twice: as is, and (the {@code golden-on-another-cpu} execution of the cli
     * pom) in a JVM whose kernels are those of another machine (ATEN_CPU_CAPABILITY=default, ONEDNN_MAX_CPU_ISA=SSE41,
     * ONNX Runtime with basic graph optimisation) and with the other thread count, system property
     * {@code verydeep.golden.threads}. Both must PASS: the tolerances come from that spread, measured.
     */
    @Test
    void quickCheckPasses() {
        List<String> args = new java.util.ArrayList<>(List.of("golden", "check", "--quick", "--work", tmp.toString()));
        String threads = System.getProperty("verydeep.golden.threads", "");
        if (!threads.isEmpty()) {
            args.addAll(List.of("--threads", threads));
        }
        CliRun r = cli(args.toArray(String[]::new));
        System.out.println("golden check --quick under " + dev.verydeep.core.NumericEnvironment.capture()
                + (threads.isEmpty() ? "" : ", threads " + threads) + "\n" + r.out());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("| verydeep-table2.json | D-parameters | parameters | 138357544 | 0 | 138357544 | PASS"), r.out());
        for (String row : List.of(
                "| verydeep-fashion-quick.json | A-w1/16-S37-15000img-4epochs-3seeds-centre-top1 |",
                "| verydeep-fashion-quick.json | A-w1/16-S37-15000img-4epochs-3seeds-train-loss |",
                "| verydeep-fashion-transfer.json | fixed-A-w1/16-fashion-caltech-mean-class-recall |",
                "| verydeep-fashion-transfer.json | fixed-A-w1/16-fashion-voc400-mAP |",
                "| verydeep-fashion-transfer.json | fixed-A-w1/16-fashion-action400-image+box-mAP |",
                "| verydeep-fashion-loc.json | fixed-D-w1/16-Q37-protocol1-localisationError |",
                "| verydeep-fashion-loc.json | fixed-D-w1/16-Q37-full-top5LocalisationError |",
                "| verydeep-fashion-loc.json | fixed-D-w1/16-Q37,55-full-gtClassMeanIou |")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(row) && l.contains("| PASS |")), row + "\n" + r.out());
        }
        assertTrue(r.out().contains("0 FAIL"), r.out());
    }

    @Test
    void aBrokenGoldenValueFailsTheCheck() {
        ObjectNode f = (ObjectNode) GoldenFile.load("verydeep-table2.json").json().deepCopy();
        ((ObjectNode) f.get("entries").get(9)).put("value", 15_470_000_000L); // D multiply-adds, rounded: wrong
        Path broken = tmp.resolve("broken.json");
        Json.write(broken, f);
        CliRun r = cli("golden", "check", "--quick", "--file", broken.toString());
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
        CliRun r = cli("golden", "check", "--against-paper", dir.toString());
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
        CliRun r = cli("golden", "check", "--file", golden.toString(), "--from", run.toString());
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
