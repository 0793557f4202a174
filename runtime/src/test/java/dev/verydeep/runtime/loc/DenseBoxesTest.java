package dev.verydeep.runtime.loc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.net.DenseWindow;
import dev.verydeep.core.net.Head;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenseBoxesTest {
    /** A channel-major [boxes x 4, rows, cols] map in which every cell predicts {@code box[k]} for box k. */
    private static float[] map(int rows, int cols, float[]... box) {
        int cells = rows * cols;
        float[] m = new float[box.length * 4 * cells];
        for (int k = 0; k < box.length; k++) {
            for (int e = 0; e < 4; e++) {
                for (int c = 0; c < cells; c++) {
                    m[(k * 4 + e) * cells + c] = box[k][e];
                }
            }
        }
        return m;
    }

    private static void assertBox(Box expected, Box actual) {
        assertEquals(expected.x0(), actual.x0(), 1e-9, "x0 of " + actual);
        assertEquals(expected.y0(), actual.y0(), 1e-9, "y0 of " + actual);
        assertEquals(expected.x1(), actual.x1(), 1e-9, "x1 of " + actual);
        assertEquals(expected.y1(), actual.y1(), 1e-9, "y1 of " + actual);
    }

    @Test
    void everyCellMapsToItsWindowInTheOriginalImage() {
        // Rescaled 100 x 72 from an original 200 x 144 (factor 2); window at (4, 8) of 96 x 64: 2 x 3 cells.
        DenseBoxes.View view = new DenseBoxes.View(new DenseWindow.Region(4, 8, 96, 64), false, 100, 72, 200, 144);
        List<LocBox> out = new ArrayList<>();
        DenseBoxes.decode(map(2, 3, LocFixtures.FULL_WINDOW), 0, 2, 3, Head.SCR, new int[0], 32, view, out);
        assertEquals(6, out.size());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                LocBox b = out.get(i * 3 + j);
                assertEquals(LocBox.ANY, b.classIndex());
                assertBox(new Box(2 * (4 + 32 * j), 2 * (8 + 32 * i), 2 * (36 + 32 * j), 2 * (40 + 32 * i)), b.box());
            }
        }
    }

    @Test
    void mirroredInputBoxesAreFlippedBack() {
        // The cell predicts the left half of its window in the mirrored input: that is the right half in the image.
        DenseBoxes.View view = new DenseBoxes.View(new DenseWindow.Region(0, 0, 64, 32), true, 64, 32, 64, 32);
        List<LocBox> out = new ArrayList<>();
        DenseBoxes.decode(map(1, 2, new float[] {0.25f, 0.5f, 0.5f, 1f}), 0, 1, 2, Head.SCR, new int[0], 32, view, out);
        // Mirrored cell 0 = input [0, 32), its left half [0, 16) is image [48, 64); cell 1's [32, 48) is image [16, 32).
        assertBox(new Box(48, 0, 64, 32), out.get(0).box());
        assertBox(new Box(16, 0, 32, 32), out.get(1).box());
    }

    @Test
    void perClassBoxesCarryTheirDataClassAndClassesOutsideTheDataSetAreSkipped() {
        DenseBoxes.View view = new DenseBoxes.View(new DenseWindow.Region(0, 0, 32, 32), false, 32, 32, 64, 64);
        List<LocBox> out = new ArrayList<>();
        float[] m = map(1, 1, LocFixtures.FULL_WINDOW, LocFixtures.TOP_LEFT_QUARTER, LocFixtures.FULL_WINDOW);
        DenseBoxes.decode(m, 0, 1, 1, Head.PCR, new int[] {5, 2, -1}, 32, view, out);
        assertEquals(2, out.size());
        assertEquals(5, out.get(0).classIndex());
        assertBox(new Box(0, 0, 64, 64), out.get(0).box());
        assertEquals(2, out.get(1).classIndex());
        assertBox(new Box(0, 0, 32, 32), out.get(1).box());
        assertEquals(true, out.get(0).belongsTo(5));
        assertEquals(false, out.get(0).belongsTo(2));
        assertEquals(true, new LocBox(LocBox.ANY, out.get(0).box()).belongsTo(2));
    }

    @Test
    void boxesAreClippedToTheImageAndEmptyOnesDropped() {
        DenseBoxes.View view = new DenseBoxes.View(new DenseWindow.Region(0, 0, 32, 32), false, 32, 32, 32, 32);
        List<LocBox> out = new ArrayList<>();
        // Centre at the window's corner, twice its size: clipped to the image; negative width: dropped.
        DenseBoxes.decode(map(1, 1, new float[] {0f, 0f, 2f, 2f}, new float[] {0.5f, 0.5f, -1f, 1f}), 0, 1, 1, Head.PCR, new int[] {0, 1}, 32,
                view, out);
        assertEquals(1, out.size());
        assertBox(new Box(0, 0, 32, 32), out.get(0).box());
    }

    @Test
    void aNonFiniteOutputIsAnError() {
        DenseBoxes.View view = new DenseBoxes.View(new DenseWindow.Region(0, 0, 32, 32), false, 32, 32, 32, 32);
        assertThrows(UserException.class, () -> DenseBoxes.decode(map(1, 1, new float[] {Float.NaN, 0.5f, 1f, 1f}), 0, 1, 1, Head.SCR,
                new int[0], 32, view, new ArrayList<>()));
    }

    @Test
    void denseWindowsFullAndCentred() {
        assertEquals(new DenseWindow.Region(0, 0, 73, 55), DenseWindow.FULL.region(73, 55));
        assertEquals(new DenseWindow.Region(4, 11, 64, 32), DenseWindow.CENTRED.region(73, 55));
    }
}
