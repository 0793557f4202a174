package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.net.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loss that stops being finite ends the run at once, keeping its last good checkpoint, and says where and how. */
class DivergenceGuardTest {
    @TempDir
    Path tmp;

    private static TrainingListener.BatchEnd batch(int epoch, int iteration, float loss) {
        int seen = (iteration + 1) * 128;
        return new TrainingListener.BatchEnd(epoch, iteration, loss, seen, 54000, 0.5, 0.8, 1.0);
    }

    @Test
    void namesTheBatchTheRateAndTheLossesBefore() {
        DivergenceGuard guard = new DivergenceGuard(128, () -> 0.01f);
        float[] losses = {0.61f, 0.58f, 0.72f, 0.66f, 2.5f, 3150.7f};
        for (int i = 0; i < losses.length; i++) {
            guard.onBatch(batch(2, i, losses[i]));
        }
        DivergenceGuard.Diverged e = assertThrows(DivergenceGuard.Diverged.class, () -> guard.onBatch(batch(2, 6, Float.NaN)));
        assertEquals(2, e.epoch());
        assertEquals(7, e.batch());
        assertEquals("training diverged: the loss of epoch 2's batch 7 of 422 is NaN at learning rate 0.0100 (the batches before: "
                + "0.5800, 0.7200, 0.6600, 2.500, 3151). Nothing of epoch 2 was kept: the run stays at its checkpoint after epoch 1. "
                + "On repeatable kernels resuming repeats the same steps: start a new run with a lower --lr or another --seed (if the run "
                + "began with a warning that the kernels are not repeatable, fix those first).",
                e.getMessage());
        assertThrows(DivergenceGuard.Diverged.class, () -> new DivergenceGuard(128, () -> 0.01f)
                .onBatch(batch(1, 0, Float.POSITIVE_INFINITY)), "an infinite loss too");
    }

    @Test
    void aRunWhoseLossBlowsUpStopsWithoutACheckpointOrALogLine() throws Exception {
        Path dir = tmp.resolve("diverged");
        TrainSettings s = TrainSettings.builder().setNet(TrainingRunTest.settings(Config.A, 2, 256, null).net())
                .setData("fashion-mnist:train").optValidationFraction(0.25).optLimit(256).optBatchSize(32).optEpochs(2)
                .optLearningRate(1e4).optSeed(7).optThreads(2).build();
        TrainingRun run = TrainingRun.start(dir, s, TrainingRunTest.provenance(), false);
        List<Float> seen = new ArrayList<>();
        DivergenceGuard.Diverged e = assertThrows(DivergenceGuard.Diverged.class, () -> run.run(new TrainingListener() {
            @Override
            public void onBatch(BatchEnd batch) {
                seen.add(batch.loss());
            }

            @Override
            public void onEpochEnd(EpochEnd epoch) {
                throw new AssertionError("a diverged epoch must not end");
            }
        }, TrainingRun.Output.QUIET));
        assertEquals(1, e.epoch(), e.getMessage());
        assertEquals(seen.size(), e.batch(), "the caller's listener saw the batch the guard stopped at");
        assertTrue(!Float.isFinite(seen.get(seen.size() - 1)), seen.toString());
        assertTrue(e.getMessage().contains("the run stays at its start (no checkpoint yet)"), e.getMessage());
        assertEquals(null, new RunFolder(dir).checkpoint(), "no checkpoint of NaN weights");
        Path log = dir.resolve("log.jsonl");
        assertTrue(Files.notExists(log) || Files.readString(log).isBlank(), "no epoch logged");
    }
}
