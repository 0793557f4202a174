package dev.verydeep.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.verydeep.core.UserException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CropGridTest {
    @Test
    void oddSizesHitBothEdgesAndRoundHalfUp() {
        // 37 - 32 = 5: i * 5/4 = 0, 1.25, 2.5, 3.75, 5
        assertArrayEquals(new int[] {0, 1, 3, 4, 5}, CropGrid.positions(37, 32, 5));
        // 41 - 32 = 9: i * 9/4 = 0, 2.25, 4.5, 6.75, 9
        assertArrayEquals(new int[] {0, 2, 5, 7, 9}, CropGrid.positions(41, 32, 5));
        // 256 - 224 = 32: evenly 8 apart
        assertArrayEquals(new int[] {0, 8, 16, 24, 32}, CropGrid.positions(256, 224, 5));
    }

    @Test
    void windowsOfA37x41ImageCoverTheCorners() {
        List<CropGrid.Window> w = CropGrid.windows(37, 41, 32, 5);
        assertEquals(25, w.size());
        assertEquals(new CropGrid.Window(0, 0), w.get(0));
        assertEquals(new CropGrid.Window(5, 0), w.get(4));
        assertEquals(new CropGrid.Window(0, 9), w.get(20));
        assertEquals(new CropGrid.Window(5, 9), w.get(24));
        for (CropGrid.Window x : w) {
            assertEquals(true, x.x() + 32 <= 37 && x.y() + 32 <= 41, x.toString());
        }
    }

    @Test
    void smallSlackRepeatsPositionsAndCropSizeIsAllZero() {
        assertArrayEquals(new int[] {0, 0, 0, 0, 0}, CropGrid.positions(32, 32, 5));
        assertArrayEquals(new int[] {0, 1, 1, 2, 2}, CropGrid.positions(34, 32, 5));
        assertEquals(25, CropGrid.windows(32, 32, 32, 5).size());
    }

    @Test
    void sideSmallerThanCropIsRefused() {
        assertThrows(UserException.class, () -> CropGrid.positions(31, 32, 5));
    }
}
