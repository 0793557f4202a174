package dev.verydeep.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import org.junit.jupiter.api.Test;

class DenseWindowTest {
    @Test
    void centredTakesTheCentralMultipleOf32() {
        // Q=55 for crop 32: 55 -> 32 pixels, 23 left over, 11 before and 12 after
        assertEquals(new DenseWindow.Region(11, 0, 32, 64), DenseWindow.CENTRED.region(55, 64));
        assertEquals(new DenseWindow.Region(4, 2, 64, 64), DenseWindow.CENTRED.region(73, 69));
        // the paper's scales are multiples of 32: every pixel, the same as full
        assertEquals(DenseWindow.FULL.region(384, 512), DenseWindow.CENTRED.region(384, 512));
        // a side shorter than 32 is kept whole (the graph then yields an empty map either way)
        assertEquals(new DenseWindow.Region(0, 0, 20, 20), DenseWindow.CENTRED.region(20, 20));
    }

    @Test
    void fullIsTheWholeImageAndCentredTheDefault() {
        assertEquals(new DenseWindow.Region(0, 0, 55, 37), DenseWindow.FULL.region(55, 37));
        assertEquals(DenseWindow.CENTRED, DenseWindow.DEFAULT);
    }

    @Test
    void parsesBothSpellingsAndRefusesOthers() {
        assertEquals(DenseWindow.CENTRED, DenseWindow.parse("centered"));
        assertEquals(DenseWindow.FULL, DenseWindow.parse("Full"));
        UserException e = assertThrows(UserException.class, () -> DenseWindow.parse("middle"));
        assertTrue(e.getMessage().contains("--dense-window") && e.getMessage().contains("middle"), e.getMessage());
    }
}
