package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on a slice of the real Fashion-MNIST: reproducibility, checkpoint/resume, init-from, files. */
class TrainingRunTest {
    @TempDir
    Path tmp;

    static TrainSettings settings(Config config, int epochs, int limit, String initFrom) {
        NetDescription net = NetDescription.builder().setConfig(config).optWidth(0.0625).optClasses(10).optCrop(32).build();
        return TrainSettings.builder().setNet(net).setData("fashion-mnist:train").optValidationFraction(0.25).optLimit(limit)
                .optScale(37, 45).optBatchSize(32).optEpochs(epochs).optLearningRate(0.01).optInitFrom(initFrom).optPatience(1).optSeed(7)
                .optThreads(2).build();
    }

    static Provenance provenance() {
        return Provenance.capture("test", Map.of());
    }

    /** Runs to the end, returning every iteration's loss. */
    static List<Float> losses(TrainingRun run) {
        List<Float> out = new ArrayList<>();
        run.run(new TrainingListener() {
            @Override
            public void onBatch(BatchEnd batch) {
                out.add(batch.loss());
            }
        }, TrainingRun.Output.QUIET);
        return out;
    }

    @Test
    void sameSeedAndThreadsGiveBitIdenticalLosses() {
        List<Float> a = losses(TrainingRun.start(tmp.resolve("a"), settings(Config.A, 1, 512, null), provenance(), false));
        List<Float> b = losses(TrainingRun.start(tmp.resolve("b"), settings(Config.A, 1, 512, null), provenance(), false));
        assertEquals(12, a.size()); // 384 training images (25% held out) in batches of 32
        assertEquals(a, b);
        assertTrue(a.stream().allMatch(Float::isFinite));
    }

    @Test
    void resumingAfterAnEpochEqualsTheUninterruptedRun() {
        TrainingRun whole = TrainingRun.start(tmp.resolve("whole"), settings(Config.A_LRN, 2, 256, null), provenance(), false);
        List<Float> wholeLosses = losses(whole);
        TrainingRun first = TrainingRun.start(tmp.resolve("split"), settings(Config.A_LRN, 1, 256, null), provenance(), false);
        List<Float> parts = new ArrayList<>(losses(first));
        assertTrue(Files.exists(tmp.resolve("split/weights.vdw")));
        parts.addAll(losses(TrainingRun.resume(tmp.resolve("split"), 2)));
        assertEquals(wholeLosses, parts);
        assertSameWeights(whole.folder().weights(), new RunFolder(tmp.resolve("split")).weights());
        CheckpointState cp = new RunFolder(tmp.resolve("split")).checkpoint();
        assertEquals(2, cp.epoch());
        assertTrue(cp.finished());
        assertEquals(2, cp.history().size());
    }

    @Test
    void resumingAcrossALearningRateDivisionEqualsTheUninterruptedRun() {
        // Which seed divides the rate after epoch 2 (patience 1: validation fell from epoch 1 to 2) depends on the
        // trajectory, and so on the machine's kernels: take the first of seeds 1-8 that does here (seed 1 on an
        // AVX-512 Xeon as is; another under ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41).
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(0.125).optClasses(10).optCrop(32).build();
        java.util.function.BiFunction<Integer, Long, TrainSettings> epochs = (n, seed) -> TrainSettings.builder().setNet(net)
                .setData("fashion-mnist-sample").optScale(37).optEpochs(n).optPatience(1).optThreads(1).optSeed(seed).build();
        TrainingRun whole = null;
        List<Float> wholeLosses = null;
        long seed = 0;
        for (long s = 1; s <= 8 && whole == null; s++) {
            TrainingRun run = TrainingRun.start(tmp.resolve("whole-" + s), epochs.apply(3, s), provenance(), false);
            List<Float> runLosses = losses(run);
            List<EpochLog> history = run.folder().checkpoint().history();
            assertEquals(0.01, history.get(1).learningRate(), 1e-9, "patience 1 cannot divide before epoch 2");
            if (Math.abs(history.get(2).learningRate() - 0.001) < 1e-9) {
                whole = run;
                wholeLosses = runLosses;
                seed = s;
            }
        }
        assertTrue(whole != null, "none of seeds 1-8 divides the rate after epoch 2: the test has nothing to check");

        TrainingRun first = TrainingRun.start(tmp.resolve("split"), epochs.apply(2, seed), provenance(), false);
        List<Float> parts = new ArrayList<>(losses(first));
        assertEquals(0.001, new RunFolder(tmp.resolve("split")).checkpoint().learningRate(), 1e-9);
        parts.addAll(losses(TrainingRun.resume(tmp.resolve("split"), 3)));
        assertEquals(wholeLosses, parts);
        assertSameWeights(whole.folder().weights(), new RunFolder(tmp.resolve("split")).weights());
    }

    static void assertSameWeights(NetWeights expected, NetWeights actual) {
        for (String name : expected.tensors().keySet()) {
            assertArrayEquals(expected.get(name).data(), actual.get(name).data(), name);
        }
    }

    @Test
    void listenersSeeTheEpochInOrderAndOneCanEndTraining() {
        List<String> events = new ArrayList<>();
        Path dir = tmp.resolve("stopped");
        TrainingRun run = TrainingRun.start(dir, settings(Config.A, 3, 128, null), provenance(), false);
        int images = run.info().trainImages(); // 94 of 128: a quarter of each class held out
        CheckpointState end = run.run(new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int images) {
                events.add("start " + epoch + " of " + images);
            }

            @Override
            public void onBatch(BatchEnd batch) {
                if (batch.lastOfEpoch()) {
                    events.add("trained " + batch.seen() + " in " + (batch.iteration() + 1) + " batches");
                }
            }

            @Override
            public void onEpochEnd(EpochEnd epoch) {
                // The memory probe comes before this listener, the checkpoint after it.
                events.add("end " + epoch.log().epoch() + (epoch.log().rssMb() > 0 ? " with RSS" : " without RSS"));
                epoch.stop("enough");
            }

            @Override
            public void onTrainingEnd() {
                events.add("training ended");
            }
        }, TrainingRun.Output.QUIET);
        assertEquals(List.of("start 1 of " + images, "trained " + images + " in 3 batches", "end 1 with RSS", "training ended"), events);
        assertEquals(1, end.epoch());
        assertTrue(end.finished());
        assertEquals("enough", end.stopReason());
        assertTrue(Files.exists(dir.resolve(RunFolder.WEIGHTS)), "a stopped run writes its final weights");
        List<String> lines = new ArrayList<>();
        assertEquals(1, TrainingRun.resume(dir, null).run(new TrainingRun.Output(false, lines::add)).epoch());
        assertEquals(List.of("run was stopped by the schedule at epoch 1: enough"), lines);
    }

    @Test
    void runFolderHoldsEverythingAndRefusesToBeOverwritten() throws Exception {
        Path dir = tmp.resolve("run");
        TrainingRun run = TrainingRun.start(dir, settings(Config.A, 1, 256, null), provenance(), false);
        losses(run);
        for (String f : List.of("run.json", "checkpoint.json", "log.jsonl", "curves.png", "weights.vdw", "checkpoint-0001/weights.vdw",
                "checkpoint-0001/momentum.vdw")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        RunInfo info = new RunFolder(dir).info();
        assertEquals(10, info.classNames().size());
        assertEquals(3, info.colourStats().mean().length);
        assertEquals(1, Files.readAllLines(dir.resolve("log.jsonl")).size());
        SettingException e = assertThrows(SettingException.class,
                () -> TrainingRun.start(dir, settings(Config.A, 1, 256, null), provenance(), false));
        assertEquals(SettingException.RUN_FOLDER, e.setting());
        assertEquals("run folder " + dir + " already exists; resume it, or start with force to replace it", e.getMessage());
        // a damaged checkpoint is detected by its hash, not trusted
        Path w = dir.resolve("checkpoint-0001/weights.vdw");
        byte[] bytes = Files.readAllBytes(w);
        bytes[bytes.length - 1] ^= 1;
        Files.write(w, bytes);
        CheckpointState cp = new RunFolder(dir).checkpoint();
        UserException damaged = assertThrows(UserException.class,
                () -> new RunFolder(dir).checkpointTensors(cp, "weights.vdw", cp.weightsSha256()));
        assertTrue(damaged.getMessage().contains("damaged"), damaged.getMessage());
    }

    @Test
    void initFromACopiesItsLayersIntoD() {
        Path a = tmp.resolve("A");
        losses(TrainingRun.start(a, settings(Config.A, 1, 256, null), provenance(), false));
        TrainingRun d = TrainingRun.start(tmp.resolve("D"), settings(Config.D, 1, 256, a.toString()), provenance(), false);
        assertEquals(14, d.info().initFromCopied().size());
        assertEquals(Hashes.sha256(a.resolve("weights.vdw")), d.info().initFromSha256());
        List<Float> l = losses(d);
        assertFalse(l.isEmpty());
        assertNotNull(d.folder().weights().get("conv5_3.weight"));
    }
}
