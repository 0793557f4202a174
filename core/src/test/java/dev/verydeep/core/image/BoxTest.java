package dev.verydeep.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.verydeep.core.UserException;
import org.junit.jupiter.api.Test;

class BoxTest {
    private static void assertBox(Box expected, Box actual) {
        assertArrayEquals(new double[] {expected.x0(), expected.y0(), expected.x1(), expected.y1()},
                new double[] {actual.x0(), actual.y0(), actual.x1(), actual.y1()}, 1e-9, actual.toString());
    }

    @Test
    void vocCornersAreOneBasedInclusive() {
        Box b = Box.fromVoc(1, 1, 10, 20);
        assertBox(new Box(0, 0, 10, 20), b);
        assertEquals(200, b.area(), 1e-12);
    }

    @Test
    void iouOfHandMadePairs() {
        Box a = new Box(0, 0, 10, 10);
        assertEquals(1.0, a.iou(a), 1e-12);
        assertEquals(0.0, a.iou(new Box(10, 0, 20, 10)), 1e-12, "touching boxes do not overlap");
        assertEquals(50.0 / 150.0, a.iou(new Box(5, 0, 15, 10)), 1e-12);
        assertEquals(25.0 / 100.0, a.iou(new Box(0, 0, 5, 5)), 1e-12, "contained box");
        assertEquals(0.0, a.iou(new Box(3, 3, 3, 8)), 1e-12, "empty box");
    }

    @Test
    void rescaleThenFlipMatchesFlipThenRescale() {
        Box b = new Box(2, 3, 12, 9);
        double w = 40;
        Box one = b.scale(1.5, 1.5).flip(w * 1.5);
        Box two = b.flip(w).scale(1.5, 1.5);
        assertBox(one, two);
        assertBox(new Box(28, 3, 38, 9), b.flip(w));
        assertBox(b, b.flip(w).flip(w));
    }

    @Test
    void cropIsTranslateThenClip() {
        Box b = new Box(10, 10, 50, 30);
        assertBox(new Box(0, 5, 30, 25), b.translate(-20, -5).clip(32, 32));
        assertBox(new Box(0, 0, 0, 0), b.translate(-100, -100).clip(32, 32));
    }

    @Test
    void encodeDecodeRoundTripsAndAFullWindowIsHalfHalfOneOne() {
        assertArrayEquals(new float[] {0.5f, 0.5f, 1f, 1f}, new Box(8, 16, 40, 48).encode(8, 16, 32), 1e-6f);
        Box b = new Box(3.5, 7.25, 20, 30);
        float[] v = b.encode(2, 4, 32);
        float[] padded = new float[8];
        System.arraycopy(v, 0, padded, 4, 4);
        assertBox(b, Box.decode(padded, 4, 2, 4, 32));
        assertEquals(0, Box.decode(new float[] {0.5f, 0.5f, -1f, 0.2f}, 0, 0, 0, 32).area(), 1e-12);
    }

    @Test
    void nonFiniteCoordinatesAreRefused() {
        assertThrows(UserException.class, () -> new Box(0, Double.NaN, 1, 1));
        assertThrows(UserException.class, () -> Box.decode(new float[] {Float.POSITIVE_INFINITY, 0, 1, 1}, 0, 0, 0, 32));
    }
}
