package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetWeights;
import dev.verydeep.core.testing.KillAtFaultPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL at three points (inside the first epoch, right after a checkpoint, while
 * the final weights are written) resumes and ends bit-identical to an uninterrupted run. The child pauses at the
 * named point ({@link FaultPoints}, {@link KillAtFaultPoint}) so the kill lands exactly there.
 */
class KillAndResumeTest {
    @TempDir
    static Path tmp;
    static TrainSettings settings;
    static Path settingsFile;
    static TrainingRun whole;

    /** Entry point of the child JVM: starts the run described by a settings JSON file. */
    public static void main(String[] args) {
        TrainSettings s = Json.read(Path.of(args[1]), TrainSettings.class);
        TrainingRun.start(Path.of(args[0]), s, TrainingRunTest.provenance(), false).run(TrainingRun.Output.QUIET);
    }

    @BeforeAll
    static void uninterrupted() {
        settings = TrainingRunTest.settings(Config.A, 3, 128, null); // 96 training images: 3 batches an epoch
        settingsFile = tmp.resolve("settings.json");
        Json.write(settingsFile, settings);
        whole = TrainingRun.start(tmp.resolve("whole"), settings, TrainingRunTest.provenance(), false);
        whole.run(TrainingRun.Output.QUIET);
    }

    @Test
    void killedInsideTheFirstEpoch() throws Exception {
        assertEquals(null, killThenResume("inside", "train.iteration@2"));
    }

    @Test
    void killedRightAfterACheckpoint() throws Exception {
        assertEquals(2, killThenResume("after-checkpoint", "train.checkpoint-written@2"));
    }

    @Test
    void killedWhileTheFinalWeightsAreWritten() throws Exception {
        // weights.vdw is also each checkpoint's file name: epochs 1..3 write three, the final file is the fourth.
        assertEquals(3, killThenResume("final", "before-rename:" + RunFolder.WEIGHTS + "@4"));
    }

    /** Kills a child at {@code point}, resumes in-process, compares with the uninterrupted run; returns the epoch killed at. */
    private Integer killThenResume(String name, String point) throws Exception {
        Path killed = tmp.resolve(name);
        KillAtFaultPoint.builder().setMainClass(KillAndResumeTest.class).optHeap("1g").optTimeout(Duration.ofMinutes(4))
                .optEnv("DJL_OFFLINE", "true").optEnv("TORCH_CPP_LOG_LEVEL", "ERROR").build()
                .kill(point, tmp.resolve(name + ".log"), killed.toString(), settingsFile.toString());
        CheckpointState at = new RunFolder(killed).checkpoint();
        assertTrue(!Files.exists(killed.resolve(RunFolder.WEIGHTS)), "killed before the final weights");

        TrainingRun.resume(killed, null).run(TrainingRun.Output.QUIET);
        assertTrue(Files.exists(killed.resolve(RunFolder.WEIGHTS)), "final weights written on resume");
        NetWeights a = new RunFolder(killed).weights();
        NetWeights b = whole.folder().weights();
        for (String t : b.tensors().keySet()) {
            assertArrayEquals(b.get(t).data(), a.get(t).data(), t);
        }
        assertEquals(whole.folder().checkpoint().history().stream().map(e -> e.trainLoss()).toList(),
                new RunFolder(killed).checkpoint().history().stream().map(e -> e.trainLoss()).toList());
        return at == null ? null : at.epoch();
    }
}
