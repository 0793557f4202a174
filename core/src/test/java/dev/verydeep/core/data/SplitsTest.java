package dev.verydeep.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.testing.FakeImageSource;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SplitsTest {
    /** Classes of 100, 37, 2 and 1 images, shuffled together. */
    static FakeImageSource uneven() {
        int[] labels = new int[140];
        int k = 0;
        for (int[] cn : new int[][] {{0, 100}, {1, 37}, {2, 2}, {3, 1}}) {
            for (int i = 0; i < cn[1]; i++) {
                labels[k++] = cn[0];
            }
        }
        Random rnd = new Random(9);
        for (int i = labels.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return FakeImageSource.labelsOnly(labels, 4);
    }

    private static int[] counts(ImageSource s) {
        int[] c = new int[s.classNames().size()];
        for (int i = 0; i < s.size(); i++) {
            c[s.label(i)]++;
        }
        return c;
    }

    private static int[] indices(ImageSource s) {
        return ((Subset) s).indices();
    }

    @Test
    void stratifiedPerClass() {
        FakeImageSource src = uneven();
        Splits.Split2 split = Splits.trainValidation(src, 0.2, 1);
        // round(100 * .2) = 20, round(37 * .2) = 7, 2 images keep one on each side, a single image stays in training.
        assertArrayEquals(new int[] {20, 7, 1, 0}, counts(split.validation()));
        assertArrayEquals(new int[] {80, 30, 1, 1}, counts(split.train()));
        TreeSet<Integer> all = new TreeSet<>();
        for (int i : indices(split.train())) {
            assertTrue(all.add(i));
        }
        for (int i : indices(split.validation())) {
            assertTrue(all.add(i), "image " + i + " on both sides");
        }
        assertEquals(src.size(), all.size());
        int[] v = indices(split.validation());
        int[] sorted = v.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, v, "source order");
        assertEquals("fake (140 images), validation 20% (stratified, seed 1) (28 images)", split.validation().describe());
    }

    @Test
    void deterministicForASeed() {
        FakeImageSource src = uneven();
        int[] a = indices(Splits.trainValidation(src, 0.25, 7).validation());
        int[] b = indices(Splits.trainValidation(src, 0.25, 7).validation());
        int[] c = indices(Splits.trainValidation(src, 0.25, 8).validation());
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void zeroFractionAndBadFractions() {
        FakeImageSource src = uneven();
        Splits.Split2 split = Splits.trainValidation(src, 0, 1);
        assertEquals(0, split.validation().size());
        assertEquals(140, split.train().size());
        for (double bad : new double[] {-0.1, 1, 1.5, Double.NaN}) {
            UserException e = assertThrows(UserException.class, () -> Splits.trainValidation(src, bad, 1));
            assertTrue(e.getMessage().startsWith("validation fraction must be in [0, 1)"), e.getMessage());
        }
    }

    @Test
    void subsetIsAView() {
        FakeImageSource src = FakeImageSource.labelsOnly(new int[] {0, 1, 1, 0, 2}, 3);
        Subset s = new Subset(src, new int[] {4, 0, 2});
        assertEquals(3, s.size());
        assertEquals(2, s.label(0));
        assertEquals("fake/0", s.id(1));
        assertEquals(2f, s.image(2).get(0, 0, 0));
        assertEquals(4, s.sourceIndex(0));
        assertEquals(src.classNames(), s.classNames());
        assertEquals("fake (5 images), subset (3 images)", s.describe());
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset(src, new int[] {5}));
    }
}
