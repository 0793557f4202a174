package dev.verydeep.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosteriorSetTest {
    @TempDir
    Path tmp;

    static PosteriorSet random(int models, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 7;
        int k = 4;
        PosteriorBlocks d = new PosteriorBlocks(new PosteriorBlocks.Shape(models, 2, 3, n, k));
        for (int m = 0; m < models; m++) {
            for (int p = 0; p < 2; p++) {
                for (int q = 0; q < 3; q++) {
                    float[] s = d.block(m, p, q);
                    for (int i = 0; i < s.length; i++) {
                        s[i] = (float) r.nextDouble();
                    }
                }
            }
        }
        d.addSeconds(0, 1, 2, 1.5);
        String[] ids = new String[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "img/" + i;
            labels[i] = i % k;
        }
        List<ModelInfo> info = java.util.stream.IntStream.range(0, models)
                .mapToObj(m -> new ModelInfo("D" + m, "[32;48]", "m" + m + ".onnx", "ab" + m)).toList();
        return new PosteriorSet(info, List.of(Part.DENSE, Part.MULTICROP), List.of(32, 40, 48), true, List.of("a", "b", "c", "d"), ids, labels, d);
    }

    @Test
    void roundTripIsExact() {
        PosteriorSet s = random(2, 1);
        Path f = tmp.resolve(PosteriorSet.FILE);
        s.write(f);
        PosteriorSet t = PosteriorSet.read(f);
        assertEquals(s.models(), t.models());
        assertEquals(s.scales(), t.scales());
        assertEquals(s.parts(), t.parts());
        assertTrue(t.flip());
        assertArrayEquals(s.labels(), t.labels());
        assertEquals("img/6", t.id(6));
        assertArrayEquals(s.raw(1, Part.MULTICROP, 40), t.raw(1, Part.MULTICROP, 40));
        assertEquals(1.5, t.seconds(List.of(0), List.of(Part.MULTICROP), List.of(48)), 0);
    }

    @Test
    void fusionIsTheMeanOfTheNets() {
        PosteriorSet s = random(2, 2);
        float[] a = s.model(0);
        float[] b = s.model(1);
        float[] f = s.fused(List.of(0, 1), s.parts(), s.scales());
        for (int i = 0; i < f.length; i++) {
            assertEquals((a[i] + b[i]) / 2, f[i], 1e-7);
        }
        // one net over all parts and scales is the mean of its six blocks
        double m = 0;
        for (Part p : s.parts()) {
            for (int q : s.scales()) {
                m += s.raw(0, p, q)[5];
            }
        }
        assertEquals(m / 6, a[5], 1e-7);
    }

    @Test
    void corruptAndTruncatedFilesAreRefused() throws IOException {
        Path f = tmp.resolve(PosteriorSet.FILE);
        random(1, 3).write(f);
        byte[] b = Files.readAllBytes(f);
        byte[] flipped = b.clone();
        flipped[b.length - 20] ^= 1;
        Files.write(f, flipped);
        assertTrue(assertThrows(UserException.class, () -> PosteriorSet.read(f)).getMessage().contains("checksum"));
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 30));
        assertTrue(assertThrows(UserException.class, () -> PosteriorSet.read(f)).getMessage().contains("truncated"));
        Files.write(f, "not a posterior file".getBytes());
        assertTrue(assertThrows(UserException.class, () -> PosteriorSet.read(f)).getMessage().contains("magic"));
    }
}
