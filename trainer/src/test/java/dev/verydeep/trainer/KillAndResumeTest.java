package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training process killed with SIGKILL mid-run resumes from its last checkpoint and ends bit-identical to an uninterrupted run. */
class KillAndResumeTest {
    @TempDir
    Path tmp;

    /** Entry point of the child JVM: starts the run described by a settings JSON file. */
    public static void main(String[] args) {
        TrainSettings s = Json.read(Path.of(args[1]), TrainSettings.class);
        TrainingRun.start(Path.of(args[0]), s, TrainingRunTest.provenance(), false).run(new TrainingRun.Listener() { },
                TrainingRun.Output.QUIET);
    }

    @Test
    void killMinus9ThenResume() throws Exception {
        TrainSettings s = TrainingRunTest.settings(Config.A, 4, 512, null);
        Path settingsFile = tmp.resolve("settings.json");
        Json.write(settingsFile, s);
        Path killed = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), KillAndResumeTest.class.getName(),
                killed.toString(), settingsFile.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("TORCH_CPP_LOG_LEVEL", "ERROR");
        Process child = pb.start();
        Path cp = killed.resolve(RunFolder.CHECKPOINT_JSON);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!Files.exists(cp) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(cp), "child wrote no checkpoint: " + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
        int killedAt = new RunFolder(killed).checkpoint().epoch();
        assertTrue(killedAt < 4, "the child finished before it was killed");

        TrainingRun.resume(killed, null).run(new TrainingRun.Listener() { }, TrainingRun.Output.QUIET);
        TrainingRun whole = TrainingRun.start(tmp.resolve("whole"), s, TrainingRunTest.provenance(), false);
        whole.run(new TrainingRun.Listener() { }, TrainingRun.Output.QUIET);

        NetWeights a = new RunFolder(killed).weights();
        NetWeights b = whole.folder().weights();
        for (String name : a.tensors().keySet()) {
            assertArrayEquals(b.get(name).data(), a.get(name).data(), name);
        }
        assertEquals(4, new RunFolder(killed).checkpoint().history().size());
    }
}
