package dev.verydeep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/scripts/reference-family.sh run against a stand-in {@code verydeep} that records its arguments and "trains" by
 * writing the run's weights: which nets it trains, in which order, from which parent, with how many threads.
 */
class ReferenceFamilyScriptTest {
    /** Records and prints each call; {@code train ... --out DIR} and {@code train --resume DIR} leave DIR/weights.vdw. */
    private static final String FAKE_VERYDEEP = """
            #!/usr/bin/env bash
            echo "$*" >> "$(dirname "$0")/calls.txt"
            echo "$*"
            [ "$1" = train ] || exit 0
            while [ $# -gt 0 ]; do
              case "$1" in --out|--resume) mkdir -p "$2"; touch "$2/weights.vdw" ;; esac
              shift
            done
            """;

    @TempDir
    Path repo;

    @BeforeEach
    void fakeRepository() throws Exception {
        Path scripts = Files.createDirectories(repo.resolve("docs/scripts"));
        Path root = Path.of(System.getProperty("verydeep.repo", "..")).toAbsolutePath().normalize();
        Files.copy(root.resolve("docs/scripts/reference-family.sh"), scripts.resolve("reference-family.sh"));
        Files.writeString(repo.resolve("verydeep"), FAKE_VERYDEEP);
        repo.resolve("verydeep").toFile().setExecutable(true);
        // A-37 shipped by this recipe, as on a fresh clone of main.
        Files.createDirectories(repo.resolve("reference/A-37"));
        Files.writeString(repo.resolve("reference/A-37/run.json"), "{\"settings\" : {\"net\" : {\"width\" : 0.375, \"fcWidth\" : 512,"
                + " \"crop\" : 32}, \"epochs\" : 74, \"threads\" : 2}}");
    }

    private Process run(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", repo.resolve("docs/scripts/reference-family.sh").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script did not finish");
        return p;
    }

    private List<String> trainCalls() throws Exception {
        return Files.readAllLines(repo.resolve("calls.txt")).stream().filter(l -> l.startsWith("train")).toList();
    }

    private static String callFor(List<String> calls, String net) {
        return calls.stream().filter(c -> c.contains("/" + net + " ") || c.endsWith("/" + net)).findFirst()
                .orElseThrow(() -> new AssertionError(net + " not trained: " + calls));
    }

    @Test
    void twoLanesTrainEveryNetOnceAtOneThreadEachAfterItsParent() throws Exception {
        Path out = repo.resolve("runs");
        Process p = run("--lanes", "2", out.toString());
        String console = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), console);
        List<String> calls = trainCalls();
        List<String> nets = List.of("B-37", "E-37", "D-37", "A-LRN-37", "C-37", "A-again-37", "D-55", "E-55", "C-55", "D-jit", "E-jit",
                "C-jit");
        assertEquals(nets.size(), calls.size(), String.join("\n", calls)); // A-37 is shipped: not trained again
        assertTrue(console.contains("A-37 shipped in reference/"), console);
        for (String net : nets) {
            String call = callFor(calls, net);
            assertTrue(call.contains("--threads 1 "), call);
            assertTrue(Files.isRegularFile(out.resolve(net).resolve("weights.vdw")), net);
        }
        assertTrue(callFor(calls, "D-37").contains("--init-from " + repo.resolve("reference/A-37/model-dense.onnx")), calls.toString());
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
    }

    @Test
    void withoutAShippedATwoLanesTrainItFirstAtTwoThreads() throws Exception {
        Files.delete(repo.resolve("reference/A-37/run.json"));
        Path out = repo.resolve("runs");
        Process p = run("--lanes", "2", out.toString(), "A-37", "D-37", "C-37");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        List<String> calls = trainCalls();
        assertTrue(calls.get(0).contains("--out " + out.resolve("A-37")) && calls.get(0).contains("--threads 2 "), calls.get(0));
        assertTrue(calls.get(1).contains("--threads 1 ") && calls.get(2).contains("--threads 1 "), calls.toString());
        assertTrue(callFor(calls, "D-37").contains("--init-from " + out.resolve("A-37") + " "), calls.toString());
    }

    @Test
    void oneLaneTrainsAtTwoThreadsAndResumesAStartedRun() throws Exception {
        Path out = repo.resolve("runs");
        Files.createDirectories(out.resolve("D-37"));
        Files.writeString(out.resolve("D-37/checkpoint.json"), "{}");
        Process p = run(out.toString(), "D-37", "D-55");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        List<String> calls = trainCalls();
        assertEquals(List.of("train --resume " + out.resolve("D-37") + " --no-progress"), calls.subList(0, 1));
        assertTrue(calls.get(1).contains("--threads 2 ") && calls.get(1).contains("--init-from " + out.resolve("D-37")), calls.get(1));
    }

    @Test
    void refusesALaneCountItDoesNotHave() throws Exception {
        Process p = run("--lanes", "3", repo.resolve("runs").toString());
        String console = new String(p.getInputStream().readAllBytes());
        assertEquals(2, p.exitValue(), console);
        assertTrue(console.contains("--lanes must be 1 or 2, got 3"), console);
    }
}
