package dev.verydeep.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.data.Subset;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.testing.TransformedSource;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PartitionEvaluator} on its own, as a Spark executor uses it: one session opened by the caller, several
 * partitions evaluated with it, the posteriors concatenated.
 */
class PartitionEvaluatorTest {
    @TempDir
    static Path tmp;
    static OnnxExporter.Exported a;
    static ImageSource images;

    @BeforeAll
    static void export() {
        a = Fixtures.export(tmp.resolve("a"), Config.A, 1);
        List<RgbImage> imgs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            imgs.add(Fixtures.random(32 + 8 * (i % 3), 32 + 4 * (i % 2), 100 + i));
        }
        images = Fixtures.source(imgs, IntStream.range(0, 10).map(i -> (3 * i) % Fixtures.CLASSES).toArray());
    }

    static EvalSettings settings() {
        return EvalSettings.builder().setMethod(Method.BOTH).setScales(List.of(32, 40)).optFlip(true).optIntraOpThreads(1).optBatch(8).build();
    }

    @Test
    void partitionsEvaluatedWithOneSessionConcatenateToTheChunkedEvaluation() {
        EvalSettings s = settings();
        List<PosteriorSet> parts = new ArrayList<>();
        try (ModelSession session = Sessions.open(a.dense(), Device.CPU, 1)) {
            for (int first = 0; first < images.size(); first += 4) {
                int[] idx = IntStream.range(first, Math.min(images.size(), first + 4)).toArray();
                Evaluation e = PartitionEvaluator.evaluate(session, new Subset(images, idx), s);
                assertEquals(idx.length, e.posteriors().images());
                assertEquals("mem/" + first, e.posteriors().id(0), "image order kept");
                parts.add(e.posteriors());
            }
        }
        PosteriorSet joined = PosteriorSet.concat(parts);
        PartialResults chunks = PartialResults.open(tmp.resolve("out"), Map.of("test", "partitions", "chunk_images", 4), true);
        PosteriorSet whole;
        try (Evaluator ev = Evaluator.open(List.of(a.dense()), s)) {
            whole = ev.evaluate(images, IntStream.range(0, images.size()).toArray(), null, chunks).posteriors();
        }
        assertEquals(whole.images(), joined.images());
        assertArrayEquals(whole.labels(), joined.labels());
        for (Part p : s.method().parts()) {
            for (int q : s.scales()) {
                assertArrayEquals(whole.raw(0, p, q), joined.raw(0, p, q), p + " Q=" + q); // exact: same batches
            }
        }
        assertEquals(whole.models(), joined.models());
    }

    @Test
    void anUnreadableImageIsSkippedAndTheOthersKeepTheirOrder() {
        ImageSource first5 = new Subset(images, IntStream.range(0, 5).toArray());
        ImageSource broken = TransformedSource.unreadableAt(first5, 2);
        try (ModelSession session = Sessions.open(a.dense(), Device.CPU, 1)) {
            Evaluation e = PartitionEvaluator.evaluate(session, broken, settings());
            assertEquals(4, e.posteriors().images());
            assertEquals(List.of("mem/0", "mem/1", "mem/3", "mem/4"), IntStream.range(0, 4).mapToObj(e.posteriors()::id).toList());
            assertEquals(1, e.skipped().size());
            assertEquals("mem/2", e.skipped().get(0).id());
            // the session stays open for the next partition
            assertEquals(5, PartitionEvaluator.evaluate(session, new Subset(images, new int[] {5, 6, 7, 8, 9}), settings()).posteriors().images());
        }
    }

    @Test
    void aModelThatCannotBeEvaluatedIsRefusedBeforeAnyImage() {
        try (ModelSession session = Sessions.open(a.classifier(), Device.CPU, 1)) {
            UserException e = assertThrows(UserException.class, () -> PartitionEvaluator.evaluate(session, images, settings()));
            assertTrue(e.getMessage().contains("dense evaluation needs the fully convolutional graph"), e.getMessage());
        }
    }
}
