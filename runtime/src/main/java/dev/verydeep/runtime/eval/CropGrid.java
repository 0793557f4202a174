package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import java.util.ArrayList;
import java.util.List;

/**
 * The multi-crop grid of section 3.2: {@code n x n} windows of {@code crop x crop} pixels (n = 5 in the
 * paper), the first at the image's left/top edge and the last at its right/bottom edge, evenly spaced
 * between. Along a side of length {@code L} window {@code i} starts at
 * {@code p_i = floor(i (L - crop) / (n - 1) + 1/2)} (rounding half up, computed exactly in integers), so
 * {@code p_0 = 0} and {@code p_(n-1) = L - crop}. When {@code L - crop < n - 1} some positions repeat (all
 * are 0 when {@code L = crop}); the grid keeps its {@code n x n} windows, each weighted equally, so the
 * average is over the same number of crops whatever the image size. Each window is also evaluated
 * mirrored: {@code 2 n^2} crops (50) per scale.
 */
public final class CropGrid {
    /** The paper's grid: 5 x 5. */
    public static final int PAPER_GRID = 5;

    private CropGrid() {
    }

    /** Window start positions along a side of {@code length} pixels. */
    public static int[] positions(int length, int crop, int n) {
        if (n < 1 || crop < 1) {
            throw new IllegalArgumentException("grid " + n + ", crop " + crop);
        }
        if (length < crop) {
            throw new UserException("a side of " + length + " pixels is smaller than the crop " + crop);
        }
        int[] p = new int[n];
        if (n == 1) {
            p[0] = (length - crop) / 2;
            return p;
        }
        long span = length - crop;
        for (int i = 0; i < n; i++) {
            // floor(i * span / (n - 1) + 1/2) = floor((2 i span + (n - 1)) / (2 (n - 1)))
            p[i] = (int) ((2L * i * span + (n - 1)) / (2L * (n - 1)));
        }
        return p;
    }

    /** A window's top-left corner. */
    public record Window(int x, int y) {
    }

    /** The {@code n x n} windows of a {@code width x height} image, row by row (y outer, x inner). */
    public static List<Window> windows(int width, int height, int crop, int n) {
        int[] xs = positions(width, crop, n);
        int[] ys = positions(height, crop, n);
        List<Window> w = new ArrayList<>(n * n);
        for (int y : ys) {
            for (int x : xs) {
                w.add(new Window(x, y));
            }
        }
        return w;
    }
}
