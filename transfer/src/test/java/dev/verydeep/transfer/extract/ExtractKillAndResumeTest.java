package dev.verydeep.transfer.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.core.testing.KillAtFaultPoint;
import dev.verydeep.runtime.Device;
import dev.verydeep.transfer.TestModels;
import dev.verydeep.transfer.make.FashionDatasets;
import dev.verydeep.transfer.store.DescriptorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code extract} killed with SIGKILL at three points (inside the first chunk, right after a chunk is stored, while
 * the last index is written) resumes and ends with a store byte-identical to an uninterrupted one.
 */
class ExtractKillAndResumeTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path caltech;
    static Path whole;

    /** Entry point of the child JVM: {@code MODEL DATA OUT}. */
    public static void main(String[] args) {
        ExtractJob.run(request(Path.of(args[0]), Path.of(args[1]), Path.of(args[2])), Map.of());
    }

    static ExtractJob.Request request(Path model, Path data, Path out) {
        return new ExtractJob.Request(List.of(model), "caltech:" + data, null, List.of(32, 40), Aggregate.STACK, out, 16, Device.CPU, 1, 1, null);
    }

    @BeforeAll
    static void setUp() {
        model = TestModels.dense(tmp.resolve("m"), 3);
        caltech = tmp.resolve("caltech");
        FashionDatasets.caltech(FashionMnist.open(FashionMnist.defaultDir(), FashionMnist.Split.TEST), caltech, 14, 1); // 70 images
        whole = tmp.resolve("whole");
        ExtractJob.run(request(model, caltech, whole), Map.of());
    }

    @Test
    void killedInsideTheFirstChunk() throws Exception {
        assertEquals(0, killThenResume("inside", "extract.image@5"));
    }

    @Test
    void killedRightAfterAChunkIsStored() throws Exception {
        assertEquals(2, killThenResume("after-chunk", "extract.chunk-written@2"));
    }

    @Test
    void killedWhileTheLastIndexIsWritten() throws Exception {
        // index.json is written when the store opens and after each of the 5 chunks: the sixth is the last.
        assertEquals(4, killThenResume("final", "before-rename:" + DescriptorStore.INDEX + "@6"));
    }

    /** Kills a child at {@code point}, resumes in-process, compares every file; returns the chunks done when killed. */
    private int killThenResume(String name, String point) throws Exception {
        Path out = tmp.resolve(name);
        KillAtFaultPoint.builder().setMainClass(ExtractKillAndResumeTest.class).build()
                .kill(point, tmp.resolve(name + ".log"), model.toString(), caltech.toString(), out.toString());
        UserException incomplete = org.junit.jupiter.api.Assertions.assertThrows(UserException.class, () -> DescriptorStore.read(out));
        assertTrue(incomplete.getMessage().contains("incomplete"), incomplete.getMessage());
        ExtractJob.Summary resumed = ExtractJob.run(request(model, caltech, out), Map.of());
        assertEquals(70 - 16 * resumed.chunksSkipped(), resumed.imagesComputed());
        for (String f : List.of(DescriptorStore.INDEX, DescriptorStore.IMAGES, "chunk-000000.f32", "chunk-000001.f32", "chunk-000002.f32",
                "chunk-000003.f32", "chunk-000004.f32")) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
        assertEquals(70, DescriptorStore.read(out).images().size());
        return resumed.chunksSkipped();
    }

    @Test
    void aFullDiskMidRunKeepsTheStoredChunks() throws Exception {
        Path out = tmp.resolve("full");
        System.setProperty(FaultPoints.FAIL_WRITE, "chunk-000002.f32");
        UserException e;
        try {
            e = org.junit.jupiter.api.Assertions.assertThrows(UserException.class, () -> ExtractJob.run(request(model, caltech, out), Map.of()));
        } finally {
            System.clearProperty(FaultPoints.FAIL_WRITE);
            FaultPoints.reset();
        }
        assertEquals("cannot write " + out.resolve("chunk-000002.f32") + ": no space left on the device (not replaced: an earlier version of "
                + "it, if any, is intact); the 2 chunk(s) already stored are kept: run the same verydeep extract again to resume", e.getMessage());
        assertEquals(2, ExtractJob.run(request(model, caltech, out), Map.of()).chunksSkipped());
        assertArrayEquals(Files.readAllBytes(whole.resolve("chunk-000004.f32")), Files.readAllBytes(out.resolve("chunk-000004.f32")));
    }
}
