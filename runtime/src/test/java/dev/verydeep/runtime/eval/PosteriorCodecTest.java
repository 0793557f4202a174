package dev.verydeep.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by the two hand-written codecs that came before {@link PosteriorCodec} (fixtures in {@code v1/}, made
 * with {@code PosteriorSetTest.random(2, 1)} and the chunk below) still read, value for value, and the codec writes
 * them back byte for byte.
 */
class PosteriorCodecTest {
    @TempDir
    Path tmp;

    private Path fixture(String name) throws IOException {
        Path f = tmp.resolve("v1").resolve(name);
        Files.createDirectories(f.getParent());
        try (InputStream in = getClass().getResourceAsStream("v1/" + name)) {
            Files.copy(in, f);
        }
        return f;
    }

    @Test
    void posteriorsWrittenByTheOldCodecReadAndWriteBackTheSame() throws IOException {
        Path f = fixture(PosteriorSet.FILE);
        PosteriorSet old = PosteriorSet.read(f);
        PosteriorSet expected = PosteriorSetTest.random(2, 1);
        assertEquals(expected.models(), old.models());
        assertEquals(expected.parts(), old.parts());
        assertEquals(expected.scales(), old.scales());
        assertEquals(expected.classNames(), old.classNames());
        assertArrayEquals(expected.labels(), old.labels());
        assertEquals("img/3", old.id(3));
        for (int m = 0; m < 2; m++) {
            for (Part p : expected.parts()) {
                for (int q : expected.scales()) {
                    assertArrayEquals(expected.raw(m, p, q), old.raw(m, p, q));
                }
            }
        }
        assertEquals(1.5, old.seconds(List.of(0), List.of(Part.MULTICROP), List.of(48)), 0);
        Path again = tmp.resolve("again.bin");
        old.write(again);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(again));
    }

    @Test
    void aChunkWrittenByTheOldCodecResumes() throws IOException {
        fixture("partial/" + PartialResults.FINGERPRINT);
        Path chunkFile = fixture("partial/chunk-000001.bin");
        byte[] oldBytes = Files.readAllBytes(chunkFile);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("format", "verydeep-eval-partial/1");
        f.put("chunk_images", 4);
        PartialResults p = PartialResults.open(tmp.resolve("v1"), f, false);
        PosteriorBlocks.Shape shape = new PosteriorBlocks.Shape(2, 1, 2, 4, 3);
        PartialResults.Chunk c = p.load(1, 4, shape);
        assertNotNull(c, "old chunk taken");
        assertArrayEquals(new String[] {null, "img/5: cannot decode", null, null}, c.skipReasons());
        for (int m = 0; m < 2; m++) {
            for (int s = 0; s < 2; s++) {
                float[] v = c.posteriors().block(m, 0, s);
                for (int i = 0; i < 12; i++) {
                    assertEquals(m + s * 0.5f + i / 64f, v[i]);
                }
            }
        }
        assertEquals(2.0, c.posteriors().seconds(1, 0, 1));
        assertNull(p.load(1, 8, shape), "another place is not taken");
        assertNull(p.load(1, 4, shape.withImages(5)), "another shape is not taken");
        p.save(1, 4, c);
        assertArrayEquals(oldBytes, Files.readAllBytes(chunkFile));
    }
}
