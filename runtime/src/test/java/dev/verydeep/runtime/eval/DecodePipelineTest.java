package dev.verydeep.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DecodePipelineTest {
    @Test
    void imagesComeBackInSlotOrderRescaledToEachScale() {
        List<RgbImage> imgs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            imgs.add(Fixtures.random(20 + i, 30, i));
        }
        int[] indices = IntStream.range(0, 12).map(i -> 11 - i).toArray(); // slot i is image 11 - i
        int[] slots = {0, 1, 5, 6, 7, 11};
        try (DecodePipeline p = new DecodePipeline(Fixtures.source(imgs, new int[12]), indices, slots, new int[] {16, 24}, 1 << 20, 3, 2)) {
            for (int slot : slots) {
                DecodePipeline.Decoded d = p.next();
                assertEquals(slot, d.slot());
                assertEquals(11 - slot, d.index());
                assertNull(d.skipReason());
                assertEquals(20 + 11 - slot, d.width());
                assertEquals(16, Math.min(d.scaled()[0].width(), d.scaled()[0].height()));
                assertEquals(24, Math.min(d.scaled()[1].width(), d.scaled()[1].height()));
            }
        }
    }

    @Test
    void anImageOverThePixelBudgetComesBackWithTheReason() {
        List<RgbImage> imgs = List.of(Fixtures.random(40, 20, 1), Fixtures.random(20, 20, 2));
        try (DecodePipeline p = new DecodePipeline(Fixtures.source(imgs, new int[2]), new int[] {0, 1}, new int[] {0, 1}, new int[] {32}, 32 * 32, 1, 8)) {
            DecodePipeline.Decoded wide = p.next();
            assertNull(wide.scaled());
            assertTrue(wide.skipReason().startsWith("mem/0: 40x20 rescaled to Q=32 is 64x32, more than the budget of 1024 pixels"), wide.skipReason());
            assertNull(p.next().skipReason());
        }
    }
}
