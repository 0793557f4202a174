package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.core.net.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk that fills while a checkpoint is written: one line naming the file, the previous checkpoint kept and resumable. */
class DiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void aFullDiskDuringTheSecondCheckpointKeepsTheFirst() {
        Path dir = tmp.resolve("run");
        TrainingRun run = TrainingRun.start(dir, TrainingRunTest.settings(Config.A, 2, 128, null), TrainingRunTest.provenance(), false);
        System.setProperty(FaultPoints.FAIL_WRITE, "momentum.vdw@2");
        UserException e;
        try {
            e = assertThrows(UserException.class, () -> run.run(TrainingRun.Output.QUIET));
        } finally {
            System.clearProperty(FaultPoints.FAIL_WRITE);
            FaultPoints.reset();
        }
        assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve("checkpoint-0002").resolve("momentum.vdw")
                + ": no space left on the device"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the checkpoint of epoch 1 is kept: resuming " + dir + " continues from it"),
                e.getMessage());
        assertEquals(1, new RunFolder(dir).checkpoint().epoch());
        CheckpointState end = TrainingRun.resume(dir, null).run(TrainingRun.Output.QUIET);
        assertEquals(2, end.epoch());
        assertTrue(end.finished());
    }
}
