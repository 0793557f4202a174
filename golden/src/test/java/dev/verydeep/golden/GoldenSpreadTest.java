package dev.verydeep.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenSpreadTest {
    @TempDir
    Path tmp;

    @Test
    void theRuleTakesTheLargestOfSeedsEnvironmentsAndResolutionRoundedUp() {
        assertEquals(0.31, GoldenSpread.tolerance(0.1, 0.2, 0.05)); // 3 x 0.1 = 0.3 -> 0.30000000000000004 rounds up
        assertEquals(1.5, GoldenSpread.tolerance(0, 1.0, 0.2));
        assertEquals(0.04, GoldenSpread.tolerance(0, 0, 0.04));
        assertEquals(0, GoldenSpread.tolerance(0, 0, 0));
        assertEquals(0.13, GoldenSpread.tolerance(0, 0.0801, 0)); // 0.12015 -> 0.13
        assertEquals(1.0, GoldenSpread.std(List.of(1.0, 2.0, 3.0)), 1e-12);
    }

    @Test
    void optionsSetThreadsAndShiftSeedsOfEveryCommand() {
        GoldenCheck.Options o = new GoldenCheck.Options(false, Set.of(), 2, 1000);
        assertEquals(List.of("train", "--seed", "1001", "--threads", "2", "--out", "x"),
                o.adjust(List.of("train", "--seed", "1", "--threads", "1", "--out", "x")));
        assertEquals(List.of("eval", "--threads", "1"), GoldenCheck.Options.ALL.adjust(List.of("eval", "--threads", "1")));
    }

    /** A fake verydeep: each environment or seed gives a known value; the file gets the rule's tolerance and the spread. */
    @Test
    void spreadRerunsEachEnvironmentAndSeedAndWritesTheRulesTolerance() throws Exception {
        Path f = tmp.resolve("g.json");
        Files.writeString(f, """
                {"format": 2, "source": "verydeep", "table": "t", "entries": [
                 {"id": "trained", "metric": "top1Error", "value": 0, "tolerance": 0, "unit": "%", "seconds": 1, "codeVersion": "x",
                  "measure": {"kind": "command", "commands": [["train", "--seed", "1", "--out", "{out}"]], "file": "e.json", "field": "v"}},
                 {"id": "fixed", "metric": "top1Error", "value": 0, "tolerance": 0, "unit": "%", "seconds": 1, "codeVersion": "x",
                  "measure": {"kind": "command", "commands": [["eval", "--out", "{out}"]], "file": "e.json", "field": "v", "resolution": "r"}}]}
                """);
        List<List<String>> calls = new ArrayList<>();
        GoldenSpread.Launcher fake = (vars, args, log) -> {
            calls.add(args);
            boolean seeded = args.contains("--seed-offset");
            double shift = vars.containsKey("ATEN_CPU_CAPABILITY") ? 0.2 : 0;
            double seedShift = seeded ? Double.parseDouble(args.get(args.indexOf("--seed-offset") + 1)) / 1000 : 0;
            ObjectNode values = Json.MAPPER.createObjectNode();
            values.putObject("environment").put("cpuModel", "fake cpu");
            values.put("codeVersion", "abc");
            ObjectNode entries = values.putObject("entries");
            entries.putObject("trained").put("measured", 10 + shift + seedShift).put("seconds", 3.2);
            if (!seeded) {
                entries.putObject("fixed").put("measured", 5.0).put("resolution", 0.03).put("seconds", 1);
            }
            Json.write(Path.of(args.get(args.indexOf("--values") + 1)), values);
            return 1; // some entry failed against the old value: expected while measuring
        };
        ObjectNode out = GoldenSpread.measure(f, false, Set.of(), 3, "abc", fake, tmp.resolve("work"), new PrintWriter(new StringWriter()));
        assertEquals(GoldenSpread.MATRIX.size() + 2, calls.size()); // every environment, then 2 more seeds of the trained entry
        assertTrue(calls.get(GoldenSpread.MATRIX.size()).containsAll(List.of("--entry", "trained", "--seed-offset", "1000")));
        assertFalse(calls.get(GoldenSpread.MATRIX.size()).contains("fixed"));
        JsonNode trained = out.path("entries").get(0);
        assertEquals(10.0, trained.path("value").asDouble());
        assertEquals(0.2, trained.path("spread").path("environmentRange").asDouble(), 1e-12); // the two ATen environments (and CI's)
        assertEquals(1.0, trained.path("spread").path("seedStd").asDouble(), 1e-12); // 10, 11, 12
        assertEquals(3.0, trained.path("tolerance").asDouble());
        assertEquals("fake cpu", trained.path("environment").path("cpuModel").asText());
        assertEquals("abc", trained.path("codeVersion").asText());
        assertEquals(3, trained.path("seconds").asInt());
        JsonNode fixed = out.path("entries").get(1);
        assertEquals(0.03, fixed.path("tolerance").asDouble()); // no spread at all: the resolution is the floor
        assertEquals(GoldenSpread.RULE, out.path("toleranceRule").asText());
    }

    /** A killed spread run again: the environments it finished are read back, the rest measured; a changed request reruns all. */
    @Test
    void aSpreadRunAgainReusesTheEnvironmentsItFinishedForTheSameRequest() throws Exception {
        Path f = tmp.resolve("g.json");
        String golden = """
                {"format": 2, "source": "verydeep", "table": "t", "entries": [
                 {"id": "fixed", "metric": "top1Error", "value": 0, "tolerance": 0, "unit": "%", "seconds": 1, "codeVersion": "x",
                  "modelSha256": {"m.onnx": "H1"},
                  "measure": {"kind": "command", "commands": [["eval", "--out", "{out}"]], "file": "e.json", "field": "v"}}]}
                """;
        Files.writeString(f, golden);
        List<String> launched = new ArrayList<>();
        int[] killAfter = {3};
        GoldenSpread.Launcher fake = (vars, args, log) -> {
            if (launched.size() == killAfter[0]) {
                return 137; // the machine went down: this environment and the rest are not measured
            }
            launched.add(log.getParent().getFileName().toString());
            ObjectNode values = Json.MAPPER.createObjectNode();
            values.putObject("entries").putObject("fixed").put("measured", vars.containsKey("ATEN_CPU_CAPABILITY") ? 5.1 : 5.0);
            Json.write(Path.of(args.get(args.indexOf("--values") + 1)), values);
            return 0;
        };
        Path work = tmp.resolve("work");
        PrintWriter quiet = new PrintWriter(new StringWriter());
        assertThrows(UserException.class, () -> GoldenSpread.measure(f, false, Set.of(), 1, "abc", fake, work, quiet));
        assertEquals(List.of("as-is", "aten-default", "aten-avx2"), launched);

        killAfter[0] = -1;
        launched.clear();
        StringWriter log = new StringWriter();
        ObjectNode out = GoldenSpread.measure(f, false, Set.of(), 1, "abc", fake, work, new PrintWriter(log));
        assertEquals(GoldenSpread.MATRIX.size() - 3, launched.size(), "only the environments not finished before: " + launched);
        assertFalse(launched.contains("as-is"));
        assertTrue(log.toString().contains("spread: aten-avx2 measured before in"), log.toString());
        assertEquals(0.1, out.path("entries").get(0).path("spread").path("environmentRange").asDouble(), 1e-12, "reused values count");

        launched.clear();
        GoldenSpread.measure(f, false, Set.of(), 1, "def", fake, work, quiet);
        assertEquals(GoldenSpread.MATRIX.size(), launched.size(), "other code: every environment again");
        launched.clear();
        Files.writeString(f, golden.replace("H1", "H2"));
        GoldenSpread.measure(f, false, Set.of(), 1, "def", fake, work, quiet);
        assertEquals(GoldenSpread.MATRIX.size(), launched.size(), "a net trained again: every environment again");
    }

    @Test
    void aChildThatCrashedIsAnErrorNamingItsLog() throws Exception {
        Path f = tmp.resolve("g.json");
        Files.writeString(f, """
                {"source": "verydeep", "table": "t", "entries": [{"id": "a", "metric": "m", "value": 0, "tolerance": 0, "unit": "%",
                  "seconds": 1, "codeVersion": "x", "measure": {"kind": "command", "commands": [["eval"]], "file": "e.json", "field": "v"}}]}
                """);
        UserException e = assertThrows(UserException.class, () -> GoldenSpread.measure(f, false, Set.of(), 1, "abc", (v, a, l) -> 137,
                tmp.resolve("w"), new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("as-is exited with 137") && e.getMessage().contains("log.txt"), e.getMessage());
    }

    @Test
    void resourcePlaceholdersCopyShippedNetsOutOfTheClassPath() throws Exception {
        String w = Placeholders.expand("{resource:nets/transfer-src/model-dense.onnx}", tmp.resolve("out"), tmp);
        assertEquals(tmp.resolve("resources/nets/transfer-src/model-dense.onnx").toString(), w);
        assertTrue(Files.size(Path.of(w)) > 100_000);
        assertThrows(UserException.class, () -> Placeholders.expand("{resource:nets/none.onnx}", tmp, tmp));
        assertThrows(UserException.class, () -> Placeholders.expand("{resource:../secret}", tmp, tmp));
        assertEquals(tmp.resolve("out") + "/x", Placeholders.expand("{out}/x", tmp.resolve("out"), tmp));
    }

    @Test
    void aFailShowsThePinnedEnvironmentBesideThisOne() throws Exception {
        Path f = tmp.resolve("g.json");
        Files.writeString(f, """
                {"source": "verydeep", "table": "t", "entries": [{"id": "a", "metric": "m", "value": 1, "tolerance": 0.1, "unit": "%",
                  "seconds": 1, "codeVersion": "x", "environment": {"cpuModel": "Some Other CPU", "isa": ["avx2"], "atenCapability": "avx2",
                  "onednnMaxCpuIsa": "unset", "mklCbwr": "unset", "ompNumThreads": "unset", "ortOptimization": "all"},
                  "measure": {"kind": "command", "commands": [["eval", "--out", "{out}"]], "file": "e.json", "field": "v"}}]}
                """);
        GoldenCheck.CommandRunner runner = args -> {
            Json.write(Path.of(args.get(2)).resolve("e.json"), Map.of("v", 2.0));
            return 0;
        };
        List<GoldenCheck.Outcome> o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), false, runner, tmp.resolve("w"),
                new PrintWriter(new StringWriter()));
        String table = GoldenCheck.table(o);
        assertTrue(table.contains("numeric environment pinned vs here: cpu: pinned Some Other CPU, here "), table);
    }

    /** A resolution field the result file lacks is that entry's FAIL, not an exception that ends the whole check. */
    @Test
    void aMissingResolutionIsAFailOfItsEntry() throws Exception {
        Path f = tmp.resolve("g.json");
        Files.writeString(f, """
                {"source": "verydeep", "table": "t", "entries": [{"id": "a", "metric": "m", "value": 2, "tolerance": 0.1, "unit": "%",
                  "seconds": 1, "codeVersion": "x", "measure": {"kind": "command", "commands": [["eval", "--out", "{out}"]],
                  "file": "e.json", "field": "v", "resolution": "/none"}}]}
                """);
        GoldenCheck.CommandRunner runner = args -> {
            Json.write(Path.of(args.get(2)).resolve("e.json"), Map.of("v", 2.0));
            return 0;
        };
        List<GoldenCheck.Outcome> o = GoldenCheck.check(List.of(GoldenFile.load(f.toString())), false, runner, tmp.resolve("w"),
                new PrintWriter(new StringWriter()));
        assertEquals("FAIL", o.get(0).status());
        assertTrue(o.get(0).detail().contains("has no number '/none'"), o.get(0).detail());
    }
}
