package dev.verydeep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.ScriptRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/scripts/reference-family.sh run against a stand-in {@code verydeep} ({@link ScriptRepo}): which nets it trains, in
 * which order, from which parent, with how many threads.
 */
class ReferenceFamilyScriptTest {
    @TempDir
    Path dir;

    private ScriptRepo repo;

    @BeforeEach
    void fakeRepository() throws Exception {
        repo = ScriptRepo.in(dir, "reference-family.sh");
        repo.referenceRun("A-37", 0.375, 512, 74); // A-37 shipped by this recipe, as on a fresh clone of main
    }

    private ScriptRepo.Ran run(String... args) throws Exception {
        return repo.run("reference-family.sh", args);
    }

    private List<String> trainCalls() throws Exception {
        return repo.calls().stream().filter(l -> l.startsWith("train")).toList();
    }

    private static String callFor(List<String> calls, String net) {
        return calls.stream().filter(c -> c.contains("/" + net + " ") || c.endsWith("/" + net)).findFirst()
                .orElseThrow(() -> new AssertionError(net + " not trained: " + calls));
    }

    @Test
    void twoLanesTrainEveryNetOnceAtOneThreadEachAfterItsParent() throws Exception {
        Path out = dir.resolve("runs");
        ScriptRepo.Ran p = run("--lanes", "2", out.toString());
        String console = p.console();
        assertEquals(0, p.code(), console);
        List<String> calls = trainCalls();
        List<String> nets = List.of("B-37", "E-37", "D-37", "A-LRN-37", "A-again-37", "C-37", "D-55", "E-55", "C-55", "D-jit", "E-jit",
                "C-jit");
        assertEquals(nets.size(), calls.size(), String.join("\n", calls)); // A-37 is shipped: not trained again
        assertTrue(console.contains("A-37 shipped in reference/"), console);
        for (String net : nets) {
            String call = callFor(calls, net);
            assertTrue(call.contains("--threads 1 "), call);
            assertTrue(Files.isRegularFile(out.resolve(net).resolve("weights.vdw")), net);
        }
        assertTrue(callFor(calls, "D-37").contains("--init-from " + dir.resolve("reference/A-37/model-dense.onnx")), calls.toString());
        assertTrue(callFor(calls, "D-55").contains("--init-from " + out.resolve("D-37") + " "), calls.toString());
        assertTrue(callFor(calls, "C-jit").contains("--init-from " + out.resolve("C-55") + " "), calls.toString());
        assertTrue(callFor(calls, "A-again-37").contains("--init-layers paper"), calls.toString());
        // D and E's chains in lane 1, the others in lane 2, each lane in the family's order.
        String lane1 = Files.readString(out.resolve("lane-1.log"));
        String lane2 = Files.readString(out.resolve("lane-2.log"));
        for (String net : List.of("E-37", "D-37", "D-55", "E-55", "D-jit", "E-jit")) {
            assertTrue(lane1.contains(out.resolve(net) + " ") && !lane2.contains(out.resolve(net) + " "), net + " in lane 1:\n" + lane1);
        }
        for (String net : List.of("B-37", "A-LRN-37", "C-37", "A-again-37", "C-55", "C-jit")) {
            assertTrue(lane2.contains(out.resolve(net) + " ") && !lane1.contains(out.resolve(net) + " "), net + " in lane 2:\n" + lane2);
        }
        List<String> order = calls.stream().map(c -> c.replaceAll(".*" + out + "/([^ ]+).*", "$1")).toList();
        assertTrue(order.indexOf("D-37") < order.indexOf("D-55") && order.indexOf("D-55") < order.indexOf("D-jit"), order.toString());
        assertTrue(order.indexOf("C-37") < order.indexOf("C-55") && order.indexOf("C-55") < order.indexOf("C-jit"), order.toString());
        // the control right after A-LRN, before C's chain
        assertTrue(order.indexOf("A-LRN-37") < order.indexOf("A-again-37") && order.indexOf("A-again-37") < order.indexOf("C-37"), order.toString());
    }

    @Test
    void withoutAShippedATwoLanesTrainItFirstAtTwoThreads() throws Exception {
        Files.delete(dir.resolve("reference/A-37/run.json"));
        Path out = dir.resolve("runs");
        ScriptRepo.Ran p = run("--lanes", "2", out.toString(), "A-37", "D-37", "C-37");
        assertEquals(0, p.code(), p.console());
        List<String> calls = trainCalls();
        assertTrue(calls.get(0).contains("--out " + out.resolve("A-37")) && calls.get(0).contains("--threads 2 "), calls.get(0));
        assertTrue(calls.get(1).contains("--threads 1 ") && calls.get(2).contains("--threads 1 "), calls.toString());
        assertTrue(callFor(calls, "D-37").contains("--init-from " + out.resolve("A-37") + " "), calls.toString());
    }

    @Test
    void oneLaneTrainsAtTwoThreadsAndResumesAStartedRun() throws Exception {
        Path out = dir.resolve("runs");
        Files.createDirectories(out.resolve("D-37"));
        Files.writeString(out.resolve("D-37/checkpoint.json"), "{}");
        ScriptRepo.Ran p = run(out.toString(), "D-37", "D-55");
        assertEquals(0, p.code(), p.console());
        List<String> calls = trainCalls();
        assertEquals(List.of("train --resume " + out.resolve("D-37") + " --no-progress"), calls.subList(0, 1));
        assertTrue(calls.get(1).contains("--threads 2 ") && calls.get(1).contains("--init-from " + out.resolve("D-37")), calls.get(1));
    }

    @Test
    void refusesALaneCountItDoesNotHave() throws Exception {
        ScriptRepo.Ran p = run("--lanes", "3", dir.resolve("runs").toString());
        String console = p.console();
        assertEquals(2, p.code(), console);
        assertTrue(console.contains("--lanes must be 1 or 2, got 3"), console);
    }
}
