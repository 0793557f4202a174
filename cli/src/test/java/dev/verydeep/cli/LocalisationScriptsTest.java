package dev.verydeep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.ScriptRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/scripts/localisation-fashion.sh (Tables 8 and 9 from a shipped reference net) and land-reference-net.sh
 * {@code --into} (its nets into reference/localisation/) against a stand-in {@code verydeep} ({@link ScriptRepo}).
 */
class LocalisationScriptsTest {
    @TempDir
    Path dir;

    @Test
    void theClassifierFromAReferenceNetHasThatNetsWidthAndFcWidth() throws Exception {
        ScriptRepo repo = ScriptRepo.in(dir, "localisation-fashion.sh");
        repo.referenceRun("D-37", 0.375, 512, 74);
        Path from = dir.resolve("reference/D-37/model-dense.onnx");
        ScriptRepo.Ran r = repo.run("localisation-fashion.sh", dir.resolve("runs").toString(), from.toString());
        assertEquals(0, r.code(), r.console());
        List<String> calls = repo.calls();
        String cls = calls.stream().filter(c -> c.startsWith("train ") && c.contains("/D-cls-37 ")).findFirst().orElseThrow();
        assertTrue(cls.contains("--width 0.375 --fc-width 512 ") && cls.contains("--init-from " + from + " "), cls);
        assertTrue(calls.stream().noneMatch(c -> c.contains("/A-37 ")), "no brief A is trained from a given classifier: " + calls);
        // The four localisation nets from that classifier, then Tables 8 and 9.
        assertEquals(4, calls.stream().filter(c -> c.startsWith("train-loc --from " + dir.resolve("runs/D-cls-37") + " ")).count(), calls.toString());
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("localize --loc ") && c.contains("loc-pcr-all-55/model-dense.onnx --cls")),
                calls.toString());
    }

    @Test
    void aClassifierWithoutItsRunJsonIsRefusedByName() throws Exception {
        ScriptRepo repo = ScriptRepo.in(dir, "localisation-fashion.sh");
        Path from = dir.resolve("elsewhere/model-dense.onnx");
        ScriptRepo.Ran r = repo.run("localisation-fashion.sh", dir.resolve("runs").toString(), from.toString());
        assertEquals(2, r.code(), r.console());
        assertTrue(r.console().contains(dir.resolve("elsewhere/run.json") + " not found"), r.console());
        assertEquals(List.of(), repo.calls());
    }

    @Test
    void landingIntoLocalisationPutsTheNetUnderReferenceLocalisation() throws Exception {
        ScriptRepo repo = ScriptRepo.in(dir, "land-reference-net.sh");
        Path run = Files.createDirectories(dir.resolve("runs/loc-pcr-all-37"));
        for (String f : List.of("weights.vdw", "model-dense.onnx", "run.json", "log.jsonl", "curves.png")) {
            Files.writeString(run.resolve(f), f);
        }
        ScriptRepo.Ran r = repo.run("land-reference-net.sh", "--into", "localisation", dir.resolve("runs").toString(), "loc-pcr-all-37");
        assertEquals(0, r.code(), r.console());
        Path landed = dir.resolve("reference/localisation/loc-pcr-all-37");
        for (String f : List.of("model-dense.onnx", "run.json", "log.jsonl", "curves.png")) {
            assertEquals(f, Files.readString(landed.resolve(f)), f);
        }
        assertTrue(Files.notExists(dir.resolve("reference/loc-pcr-all-37")));
        assertEquals(List.of("export " + run + " --force", "verify " + run.resolve("model-dense.onnx")), repo.calls());
    }
}
