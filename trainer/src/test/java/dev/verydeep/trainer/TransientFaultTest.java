package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.io.TensorFile;
import dev.verydeep.core.net.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose gradients turn NaN once (a flaky kernel, injected here at one backward pass) is computed again: the
 * run goes on to finite weights, says so, and counts the repeat in its log line; a clean run logs no count.
 */
class TransientFaultTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clearFault() {
        System.clearProperty(FaultPoints.CORRUPT);
        FaultPoints.reset();
    }

    @Test
    void aBatchWithNaNGradientsOnceIsRepeatedAndTheRunEndsFinite() throws IOException {
        FaultPoints.reset();
        System.setProperty(FaultPoints.CORRUPT, "train.backward@5");
        List<String> lines = new ArrayList<>();
        List<Float> losses = new ArrayList<>();
        Path dir = tmp.resolve("faulty");
        TrainingRun.start(dir, TrainingRunTest.settings(Config.A, 1, 512, null), TrainingRunTest.provenance(), false)
                .run(new TrainingListener() {
                    @Override
                    public void onBatch(BatchEnd batch) {
                        losses.add(batch.loss());
                    }
                }, new TrainingRun.Output(false, lines::add));

        assertEquals(12, losses.size(), "every batch trained once in the listener's view");
        assertTrue(losses.stream().allMatch(Float::isFinite), losses.toString());
        assertEquals(1, lines.stream().filter(l -> l.contains("the gradients are not finite; computing the batch again (1 of 2)")).count(),
                String.join("\n", lines));
        assertEquals(1, epochLine(dir).path("repeatedBatches").asInt(-1));
        for (var t : TensorFile.read(dir.resolve("weights.vdw")).values()) {
            for (float v : t.data()) {
                assertTrue(Float.isFinite(v), "weights stay finite");
            }
        }
    }

    @Test
    void aCleanRunLogsNoRepeats() throws IOException {
        Path dir = tmp.resolve("clean");
        TrainingRun.start(dir, TrainingRunTest.settings(Config.A, 1, 256, null), TrainingRunTest.provenance(), false)
                .run(TrainingRun.Output.QUIET);
        assertFalse(epochLine(dir).has("repeatedBatches"), epochLine(dir).toString());
    }

    private static JsonNode epochLine(Path dir) throws IOException {
        return Json.MAPPER.readTree(Files.readAllLines(dir.resolve("log.jsonl")).get(0));
    }
}
