package dev.verydeep.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenCheckTest {
    @TempDir
    Path tmp;

    private static final GoldenCheck.CommandRunner NO_COMMANDS = args -> {
        throw new AssertionError("no command expected: " + args);
    };

    @Test
    void everyShippedFileLoadsWithCompleteEntries() {
        List<GoldenFile> all = GoldenFile.all();
        assertEquals(16, all.size()); // the files index.json lists: a golden file added or lost changes the count
        for (GoldenFile f : all) {
            assertFalse(f.entries().isEmpty(), f.name());
            for (JsonNode e : f.entries()) {
                for (String k : List.of("id", "metric", "value", "tolerance", "unit")) {
                    assertTrue(e.hasNonNull(k), f.name() + " " + e.path("id") + " lacks " + k);
                }
                if (f.source().equals("verydeep")) {
                    for (String k : List.of("measure", "codeVersion", "seconds")) {
                        assertTrue(e.hasNonNull(k), f.name() + " " + e.path("id") + " lacks " + k);
                    }
                    // Format 2: the command is stored once, as the list of command lines the check runs.
                    assertFalse(e.has("command"), f.name() + " " + e.path("id") + " has a command string beside measure.commands");
                    if (e.path("measure").path("kind").asText().equals("command")) {
                        assertTrue(e.path("measure").path("commands").isArray(), f.name() + " " + e.path("id"));
                        // Every rerun entry's tolerance rests on a measured spread (golden spread), none on a judgement.
                        assertTrue(e.path("spread").has("environments"), f.name() + " " + e.path("id") + " has no measured spread");
                    }
                }
            }
        }
    }

    @Test
    void table2CountsPassAndTheyAgreeWithThePapersExactCounts() {
        List<GoldenCheck.Outcome> o = GoldenCheck.check(List.of(GoldenFile.load("verydeep-table2.json")), true, NO_COMMANDS, tmp,
                new PrintWriter(new StringWriter()));
        assertEquals(12, o.size());
        assertTrue(o.stream().noneMatch(GoldenCheck.Outcome::failed), GoldenCheck.table(o));
        GoldenFile paper = GoldenFile.load("paper-table2.json");
        for (JsonNode e : paper.entries()) {
            if (e.path("id").asText().endsWith("-params-exact")) {
                String c = e.path("config").asText();
                double ours = o.stream().filter(x -> x.id().equals(c + "-parameters")).findFirst().orElseThrow().measured();
                assertEquals(e.path("value").asDouble(), ours, 0, c);
            }
        }
    }

    @Test
    void aDeliberatelyBrokenGoldenValueFails() throws Exception {
        ObjectNode f = (ObjectNode) GoldenFile.load("verydeep-table2.json").json().deepCopy();
        ObjectNode d = (ObjectNode) f.get("entries").get(8); // D parameters
        assertEquals("D-parameters", d.get("id").asText());
        d.put("value", d.get("value").asLong() + 1);
        Path broken = tmp.resolve("broken.json");
        Json.write(broken, f);
        List<GoldenCheck.Outcome> o = GoldenCheck.check(List.of(GoldenFile.load(broken.toString())), false, NO_COMMANDS, tmp,
                new PrintWriter(new StringWriter()));
        List<GoldenCheck.Outcome> failed = o.stream().filter(GoldenCheck.Outcome::failed).toList();
        assertEquals(1, failed.size());
        assertEquals("D-parameters", failed.get(0).id());
        assertTrue(GoldenCheck.table(o).contains("FAIL: off by -1"), GoldenCheck.table(o));
    }

    @Test
    void commandEntriesReadTheirResultFileAndCheckTheData() throws Exception {
        String entry = """
                {"source": "verydeep", "table": "t", "entries": [{"id": "fake", "metric": "top1Error", "value": 12.5, "tolerance": 0.5,
                  "unit": "%", "seconds": 1, "command": "verydeep fake", "codeVersion": "x",
                  "measure": {"kind": "command", "commands": [["fake", "--out", "{out}"]], "file": "eval.json", "field": "top1Error", "scale": 100}}]}
                """;
        Path f = tmp.resolve("fake.json");
        Files.writeString(f, entry);
        GoldenCheck.CommandRunner runner = args -> {
            Path out = Path.of(args.get(2));
            Json.write(out.resolve("eval.json"), Map.of("top1Error", 0.127));
            return 0;
        };
        List<GoldenCheck.Outcome> o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), true, runner, tmp.resolve("work"),
                new PrintWriter(new StringWriter()));
        assertEquals("PASS", o.get(0).status(), GoldenCheck.table(o));
        assertEquals(12.7, o.get(0).measured(), 1e-9);
        // A failing command is a FAIL, not an exception.
        o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), true, args -> 2, tmp.resolve("work"), new PrintWriter(new StringWriter()));
        assertEquals("FAIL", o.get(0).status());
        assertTrue(o.get(0).detail().contains("exited with 2"));
    }

    @Test
    void aShippedNetTrainedAgainFailsItsEntriesBeforeAnythingRuns() throws Exception {
        Path net = tmp.resolve("repo/reference/A-37/model-dense.onnx");
        Files.createDirectories(net.getParent());
        Files.writeString(net, "the net the value was pinned with");
        String entry = """
                {"source": "verydeep", "table": "t", "entries": [{"id": "A", "metric": "top1Error", "value": 12.7, "tolerance": 0,
                  "unit": "%", "seconds": 1, "codeVersion": "x", "modelSha256": {"{repo}/reference/A-37/model-dense.onnx": "HASH"},
                  "measure": {"kind": "command", "commands": [["eval", "--out", "{out}"]], "file": "eval.json", "field": "top1Error", "scale": 100}}]}
                """.replace("HASH", Hashes.sha256(net));
        Path f = tmp.resolve("ref.json");
        Files.writeString(f, entry);
        AtomicInteger runs = new AtomicInteger();
        GoldenCheck.CommandRunner runner = args -> {
            runs.incrementAndGet();
            Json.write(Path.of(args.get(2)).resolve("eval.json"), Map.of("top1Error", 0.127));
            return 0;
        };
        String before = System.getProperty("verydeep.repo");
        System.setProperty("verydeep.repo", tmp.resolve("repo").toString());
        try {
            List<GoldenCheck.Outcome> o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), true, runner, tmp.resolve("w1"),
                    new PrintWriter(new StringWriter()));
            assertEquals("PASS", o.get(0).status(), GoldenCheck.table(o));
            Files.writeString(net, "the same net trained again");
            o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), true, runner, tmp.resolve("w2"), new PrintWriter(new StringWriter()));
            assertEquals("FAIL", o.get(0).status());
            assertTrue(o.get(0).detail().contains("model-dense.onnx has SHA-256") && o.get(0).detail().contains("re-pin"), o.get(0).detail());
            assertEquals(1, runs.get(), "the changed net's entry ran nothing");
            Files.delete(net);
            o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), true, runner, tmp.resolve("w3"), new PrintWriter(new StringWriter()));
            assertTrue(o.get(0).detail().contains("is missing"), o.get(0).detail());
        } finally {
            if (before == null) {
                System.clearProperty("verydeep.repo");
            } else {
                System.setProperty("verydeep.repo", before);
            }
        }
    }

    @Test
    void commandListsRunInOrderInTheSameFolderAndStopAtTheFirstFailure() throws Exception {
        String entry = """
                {"source": "verydeep", "table": "t", "entries": [{"id": "chain", "metric": "top1Error", "value": 40, "tolerance": 0.5,
                  "unit": "%", "seconds": 1, "command": "verydeep a && verydeep b && verydeep c", "codeVersion": "x",
                  "measure": {"kind": "command", "commands": [["a", "--out", "{out}/run"], ["b", "{out}/run"],
                    ["c", "--model", "{out}/run/m.txt", "--out", "{out}/eval"]],
                    "file": "eval/results.json", "field": "/headline/top1_error", "scale": 100}}]}
                """;
        Path f = tmp.resolve("chain.json");
        Files.writeString(f, entry);
        List<String> seen = new java.util.ArrayList<>();
        GoldenCheck.CommandRunner runner = args -> {
            seen.add(args.get(0));
            try {
                switch (args.get(0)) {
                    case "a" -> Files.createDirectories(Path.of(args.get(2)));
                    case "b" -> Files.writeString(Path.of(args.get(1)).resolve("m.txt"), "model");
                    default -> {
                        assertEquals("model", Files.readString(Path.of(args.get(2)))); // made by the earlier steps
                        Json.write(Path.of(args.get(4)).resolve("results.json"), Map.of("headline", Map.of("top1_error", 0.401)));
                    }
                }
            } catch (java.io.IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
            return 0;
        };
        List<GoldenCheck.Outcome> o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), true, runner, tmp.resolve("work"),
                new PrintWriter(new StringWriter()));
        assertEquals(List.of("a", "b", "c"), seen);
        assertEquals("PASS", o.get(0).status(), GoldenCheck.table(o));
        assertEquals(40.1, o.get(0).measured(), 1e-9);
        // The second step fails: the third never runs, and the entry says which step failed.
        seen.clear();
        o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), true, args -> {
            seen.add(args.get(0));
            return args.get(0).equals("b") ? 3 : 0;
        }, tmp.resolve("work"), new PrintWriter(new StringWriter()));
        assertEquals(List.of("a", "b"), seen);
        assertEquals("FAIL", o.get(0).status());
        assertTrue(o.get(0).detail().contains("command 2 of 3 (b) exited with 3"), o.get(0).detail());
    }

    /** Two entries read from one run (different fields), a third from another; the first run's command lines are run once. */
    private Path sharedRunFile() throws Exception {
        String entries = """
                {"source": "verydeep", "table": "t", "entries": [
                  {"id": "one", "metric": "top1Error", "value": 0.25, "tolerance": 0.01, "unit": "fraction", "seconds": 9000,
                   "command": "verydeep suite", "codeVersion": "x",
                   "measure": {"kind": "command", "commands": [["suite", "--out", "{out}"]], "file": "t3/A/results.json", "field": "/headline/top1_error"}},
                  {"id": "two", "metric": "top5Error", "value": 0.05, "tolerance": 0.01, "unit": "fraction", "seconds": 9000,
                   "command": "verydeep suite", "codeVersion": "x",
                   "measure": {"kind": "command", "commands": [["suite", "--out", "{out}"]], "file": "t3/A/results.json", "field": "/headline/top5_error"}},
                  {"id": "three", "metric": "top1Error", "value": 0.5, "tolerance": 0.01, "unit": "fraction", "seconds": 9000,
                   "command": "verydeep other", "codeVersion": "x",
                   "measure": {"kind": "command", "commands": [["other", "--out", "{out}"]], "file": "t3/A/results.json", "field": "/headline/top1_error"}}
                ]}
                """;
        Path f = tmp.resolve("shared.json");
        Files.writeString(f, entries);
        return f;
    }

    private static void writeHeadline(Path out, double top1, double top5) {
        Json.write(out.resolve("t3/A/results.json"), Map.of("headline", Map.of("top1_error", top1, "top5_error", top5),
                "provenance", Map.of("gitCommit", "abc123", "gitDirty", false, "versions", Map.of("onnxruntime", "1.24.2"))));
    }

    @Test
    void entriesWithTheSameCommandLinesShareOneRun() throws Exception {
        Path f = sharedRunFile();
        List<String> runs = new java.util.ArrayList<>();
        GoldenCheck.CommandRunner runner = args -> {
            runs.add(args.get(0));
            writeHeadline(Path.of(args.get(2)), args.get(0).equals("suite") ? 0.251 : 0.6, 0.049);
            return 0;
        };
        List<GoldenCheck.Outcome> o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), false, runner, tmp.resolve("work"),
                new PrintWriter(new StringWriter()));
        assertEquals(List.of("suite", "other"), runs);
        assertEquals(List.of("PASS", "PASS", "FAIL"), o.stream().map(GoldenCheck.Outcome::status).toList(), GoldenCheck.table(o));
        assertEquals(0.049, o.get(1).measured(), 0);
        // A failed shared run fails every entry that needs it, and is not run again for each.
        runs.clear();
        o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), false, args -> {
            runs.add(args.get(0));
            return 4;
        }, tmp.resolve("work"), new PrintWriter(new StringWriter()));
        assertEquals(List.of("suite", "other"), runs);
        assertTrue(o.stream().allMatch(x -> x.failed() && x.detail().contains("exited with 4")), GoldenCheck.table(o));
    }

    @Test
    void fromReadsAFinishedRunAndRunsNothing() throws Exception {
        Path f = sharedRunFile();
        Path run = tmp.resolve("suite-out");
        writeHeadline(run, 0.255, 0.07);
        List<GoldenCheck.Outcome> o = GoldenCheck.checkFrom(List.of(GoldenFile.load(f.toString())), run, new PrintWriter(new StringWriter()));
        assertEquals(List.of("PASS", "FAIL", "FAIL"), o.stream().map(GoldenCheck.Outcome::status).toList(), GoldenCheck.table(o));
        assertEquals(0.07, o.get(1).measured(), 0);
        // A missing result file names the file.
        o = GoldenCheck.checkFrom(List.of(GoldenFile.load(f.toString())), tmp, new PrintWriter(new StringWriter()));
        assertTrue(o.get(0).detail().contains("no result file " + tmp.resolve("t3/A/results.json")), o.get(0).detail());
        assertThrows(dev.verydeep.core.UserException.class,
                () -> GoldenCheck.checkFrom(List.of(GoldenFile.load(f.toString())), tmp.resolve("nope"), new PrintWriter(new StringWriter())));
    }

    @Test
    void oneEntryIsCheckedAgainstAResultInMemoryOrAFolder() throws Exception {
        GoldenFile f = GoldenFile.load(sharedRunFile().toString());
        Path run = tmp.resolve("one-out");
        writeHeadline(run, 0.255, 0.07);
        com.fasterxml.jackson.databind.JsonNode result = Json.readTree(run.resolve("t3/A/results.json"));
        GoldenCheck.Outcome pass = GoldenCheck.checkResult(f, "one", result);
        assertEquals("PASS", pass.status());
        assertEquals(0.255, pass.measured(), 1e-12);
        GoldenCheck.Outcome fail = GoldenCheck.checkResult(f, "two", result);
        assertEquals("FAIL", fail.status());
        assertEquals(0.07, fail.measured(), 1e-12);
        assertTrue(fail.detail().startsWith("off by 0.02"), fail.detail());
        // A FAIL names the environment: here the entry has none pinned, so nothing to compare.
        assertEquals(List.of(), fail.environment());
        assertEquals("FAIL", GoldenCheck.checkResult(f, "one", Json.MAPPER.readTree("{}")).status());
        assertTrue(GoldenCheck.checkResult(f, "one", Json.MAPPER.readTree("{}")).detail().contains("no number '/headline/top1_error'"));
        assertEquals("PASS", GoldenCheck.checkFrom(f, "one", run).status());
        dev.verydeep.core.UserException x = assertThrows(dev.verydeep.core.UserException.class, () -> GoldenCheck.checkResult(f, "nope", result));
        assertTrue(x.getMessage().contains("no entry 'nope' (entries: one, two, three)"), x.getMessage());
    }

    @Test
    void pinWritesTheRunsValuesAndCodeVersionAndKeepsTolerances() throws Exception {
        Path f = sharedRunFile();
        Path run = tmp.resolve("suite-out");
        writeHeadline(run, 0.3, 0.09);
        // The third entry reads the same file, so every entry gets a value.
        ObjectNode pinned = GoldenPin.pin(GoldenFile.load(f.toString()), run, "verydeep golden pin ...");
        assertEquals(0.3, pinned.at("/entries/0/value").asDouble(), 0);
        assertEquals(0.09, pinned.at("/entries/1/value").asDouble(), 0);
        assertEquals("abc123", pinned.at("/entries/0/codeVersion").asText());
        assertEquals(0.01, pinned.at("/entries/0/tolerance").asDouble(), 0);
        assertEquals(run.toAbsolutePath().toString(), pinned.at("/pinned/from").asText());
        assertEquals("1.24.2", pinned.at("/entries/0/versions/onnxruntime").asText());
        // Pinned values pass a check against the same run.
        Path p = tmp.resolve("pinned.json");
        Json.write(p, pinned);
        List<GoldenCheck.Outcome> o = GoldenCheck.checkFrom(List.of(GoldenFile.load(p.toString())), run, new PrintWriter(new StringWriter()));
        assertTrue(o.stream().noneMatch(GoldenCheck.Outcome::failed), GoldenCheck.table(o));
        // A run without the files: an error naming the entries, nothing half-pinned.
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        dev.verydeep.core.UserException x = assertThrows(dev.verydeep.core.UserException.class,
                () -> GoldenPin.pin(GoldenFile.load(f.toString()), empty, "x"));
        assertTrue(x.getMessage().contains("3 entries have no value"), x.getMessage());
        assertThrows(dev.verydeep.core.UserException.class, () -> GoldenPin.pin(GoldenFile.load("paper-table3.json"), run, "x"));
    }

    @Test
    void againstPaperReadsResultRowsAndEvalJson() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("results"));
        Files.writeString(dir.resolve("results.json"), """
                {"results": [
                  {"config": "D", "trainS": "[256;512]", "testQ": "{256, 384, 512}", "method": "dense", "top1": 24.9, "top5": 7.6},
                  {"config": "E", "trainS": "256", "testQ": "256", "top1": 28.5, "top5": 9.1},
                  {"config": "B", "trainS": "384", "testQ": "384", "top1": 30.0}
                ]}
                """);
        Path run = Files.createDirectories(dir.resolve("run-a"));
        Files.writeString(run.resolve("run.json"), """
                {"settings": {"net": {"config": "A"}, "scaleMin": 256, "scaleMax": 256}}
                """);
        Files.writeString(run.resolve("eval.json"), """
                {"method": "centre crop, single scale (DJL)", "testScale": 256, "top1Error": 0.298}
                """);
        List<PaperComparison.Result> res = PaperComparison.read(dir);
        assertEquals(4, res.size());
        List<PaperComparison.Row> rows = PaperComparison.compare(res, GoldenFile.all());
        String t = PaperComparison.table(res, rows);
        // D dense vs Table 5 (24.8 / 7.5) and Table 4 (no method: 24.8 / 7.5): all within 0.5.
        assertEquals(4, rows.stream().filter(r -> r.result().config().equals("D")).count(), t);
        assertTrue(rows.stream().filter(r -> r.result().config().equals("D")).allMatch(PaperComparison.Row::match), t);
        // E 256/256 vs Table 3 (27.3 / 9.0): top-1 off by 1.2 -> DIFF, top-5 off by 0.1 -> MATCH.
        PaperComparison.Row e1 = rows.stream().filter(r -> r.entry().equals("E-S256-Q256-top1")).findFirst().orElseThrow();
        assertFalse(e1.match());
        assertTrue(rows.stream().filter(r -> r.entry().equals("E-S256-Q256-top5")).findFirst().orElseThrow().match());
        // eval.json of an A run at S = Q = 256: 29.8 vs 29.6.
        PaperComparison.Row a = rows.stream().filter(r -> r.entry().equals("A-S256-Q256-top1")).findFirst().orElseThrow();
        assertTrue(a.match());
        assertEquals(29.8, a.ours(), 1e-9);
        // B 384/384 is not in the paper.
        assertTrue(t.contains("no paper row for config B, S 384, Q 384"), t);
    }
}
