package dev.verydeep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.ScriptRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reference net unfinished when a session ends goes to the next machine: carry-reference-net.sh copies its newest
 * checkpoint into reference/in-training/NET.tar, reference-family.sh on a fresh machine resumes it from there, and
 * land-reference-net.sh removes the copy once the net lands (each against the stand-in {@code verydeep} of {@link ScriptRepo}).
 */
class CarryReferenceNetScriptTest {
    @TempDir
    Path dir;

    /** An unfinished run as the trainer leaves it after epoch 3: only the newest checkpoint folder is kept. */
    private Path unfinishedRun(String net) throws Exception {
        Path run = Files.createDirectories(dir.resolve("runs").resolve(net));
        for (String f : List.of("run.json", "log.jsonl", "curves.png")) {
            Files.writeString(run.resolve(f), f);
        }
        Files.writeString(run.resolve("checkpoint.json"), """
                {
                  "epoch" : 3,
                  "folder" : "checkpoint-0003",
                  "history" : [ { "epoch" : 1 } ]
                }
                """);
        Path checkpoint = Files.createDirectories(run.resolve("checkpoint-0003"));
        Files.writeString(checkpoint.resolve("weights.vdw"), "w3");
        Files.writeString(checkpoint.resolve("momentum.vdw"), "m3");
        return run;
    }

    /** The entries of a tar file, as {@code tar -tf} lists them. */
    private static List<String> entries(Path tar) throws Exception {
        Process p = new ProcessBuilder("tar", "-tf", tar.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, p.waitFor(), String.join("\n", lines));
        return lines;
    }

    @Test
    void packsWhatResumingNeedsAndReplacesAnOlderCopy() throws Exception {
        ScriptRepo repo = ScriptRepo.in(dir, "carry-reference-net.sh");
        unfinishedRun("C-37");
        Path carried = dir.resolve("reference/in-training/C-37.tar");
        Files.createDirectories(carried.getParent());
        Files.writeString(carried, "an older carry");
        ScriptRepo.Ran r = repo.run("carry-reference-net.sh", dir.resolve("runs").toString(), "C-37");
        assertEquals(0, r.code(), r.console());
        assertTrue(r.console().contains("C-37 carried after epoch 3"), r.console());
        assertEquals(Set.of("run.json", "log.jsonl", "checkpoint.json", "checkpoint-0003/", "checkpoint-0003/momentum.vdw",
                "checkpoint-0003/weights.vdw"), Set.copyOf(entries(carried)), "what resuming needs, the older copy replaced");
    }

    @Test
    void refusesAFinishedRunAndARunWithoutItsCheckpoint() throws Exception {
        ScriptRepo repo = ScriptRepo.in(dir, "carry-reference-net.sh");
        Path run = unfinishedRun("C-37");
        Files.writeString(run.resolve("weights.vdw"), "final");
        ScriptRepo.Ran finished = repo.run("carry-reference-net.sh", dir.resolve("runs").toString(), "C-37");
        assertEquals(1, finished.code(), finished.console());
        assertTrue(finished.console().contains("has finished training; land it"), finished.console());

        Files.delete(run.resolve("weights.vdw"));
        dev.verydeep.core.io.AtomicFiles.deleteRecursively(run.resolve("checkpoint-0003"));
        ScriptRepo.Ran missing = repo.run("carry-reference-net.sh", dir.resolve("runs").toString(), "C-37");
        assertEquals(1, missing.code(), missing.console());
        assertTrue(missing.console().contains("names no checkpoint folder that exists ('checkpoint-0003')"), missing.console());
        assertTrue(Files.notExists(dir.resolve("reference/in-training/C-37.tar")));
    }

    @Test
    void aFreshMachineResumesACarriedNetInsteadOfStartingIt() throws Exception {
        ScriptRepo repo = ScriptRepo.in(dir, "carry-reference-net.sh", "reference-family.sh");
        repo.referenceRun("A-37", 0.375, 512, 74);
        unfinishedRun("C-37");
        assertEquals(0, repo.run("carry-reference-net.sh", dir.resolve("runs").toString(), "C-37").code());
        Path fresh = dir.resolve("fresh-runs"); // the next machine: no run folders, the carried copy in the checkout
        ScriptRepo.Ran r = repo.run("reference-family.sh", fresh.toString(), "C-37");
        assertEquals(0, r.code(), r.console());
        assertTrue(r.console().contains("C-37 resumes from " + dir.resolve("reference/in-training/C-37.tar")), r.console());
        List<String> train = repo.calls().stream().filter(c -> c.startsWith("train")).toList();
        assertEquals(List.of("train --resume " + fresh.resolve("C-37") + " --no-progress"), train);
        assertEquals("w3", Files.readString(fresh.resolve("C-37/checkpoint-0003/weights.vdw")));
    }

    @Test
    void landingANetRemovesItsCarriedCheckpoint() throws Exception {
        ScriptRepo repo = ScriptRepo.in(dir, "carry-reference-net.sh", "land-reference-net.sh");
        Path run = unfinishedRun("C-37");
        assertEquals(0, repo.run("carry-reference-net.sh", dir.resolve("runs").toString(), "C-37").code());
        for (String f : List.of("weights.vdw", "model-dense.onnx")) {
            Files.writeString(run.resolve(f), f); // finished and exported
        }
        ScriptRepo.Ran r = repo.run("land-reference-net.sh", dir.resolve("runs").toString(), "C-37");
        assertEquals(0, r.code(), r.console());
        assertTrue(Files.isRegularFile(dir.resolve("reference/C-37/model-dense.onnx")));
        assertTrue(Files.notExists(dir.resolve("reference/in-training")), "the last carried net's folder goes with it");
    }
}
