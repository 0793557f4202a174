package dev.verydeep.transfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NaN/Inf descriptors and damaged chunks in the descriptor store (issue 7, docs/reliability.md). */
class DescriptorStoreGuardsTest {
    @TempDir
    Path tmp;

    DescriptorStore open(Path dir) {
        List<ImageEntry> images = List.of(ImageEntry.single("a/1.jpg", 0), ImageEntry.single("b/2.jpg", 1));
        StoreSettings s = new StoreSettings("folder:x", "caltech", List.of("a", "b"), DescriptorStore.imagesSha256(images), 2,
                List.of(new StoreSettings.Model("00", 3, "torchvision")), List.of(32), "average", true, 3, 2, "centred", false);
        return DescriptorStore.openForWriting(dir, s, images, Map.of());
    }

    @Test
    void nanAndInfAreRefusedBeforeTheyAreStored() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Path dir = tmp.resolve("s" + Float.floatToRawIntBits(bad));
            DescriptorStore store = open(dir);
            UserException e = assertThrows(UserException.class, () -> store.writeChunk(0, new float[] {1, 2, 3, 4, bad, 6}));
            assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("NaN or Inf"), e.getMessage());
            assertEquals(0, store.doneCount());
        }
    }

    @Test
    void aDamagedChunkIsNotTrusted() throws IOException {
        Path dir = tmp.resolve("ok");
        open(dir).writeChunk(0, new float[] {1, 2, 3, 4, 5, 6});
        assertEquals(6, DescriptorStore.read(dir).matrix().rows() * 3);
        Path chunk = dir.resolve(DescriptorStore.chunkName(0));
        byte[] b = Files.readAllBytes(chunk);
        b[16] = (byte) 0xff; // part of a float turned into a NaN pattern
        b[17] = (byte) 0xff;
        b[18] = (byte) 0xff;
        b[19] = (byte) 0x7f;
        Files.write(chunk, b);
        UserException e = assertThrows(UserException.class, () -> DescriptorStore.read(dir));
        assertTrue(e.getMessage().contains("missing or damaged"), e.getMessage());
    }
}
