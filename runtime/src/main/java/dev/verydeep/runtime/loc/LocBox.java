package dev.verydeep.runtime.loc;

import dev.verydeep.core.image.Box;

/**
 * A box predicted by a localisation net, in original image coordinates, with the data-set class it belongs to:
 * a per-class regression (PCR) box belongs to one class, a single-class regression (SCR) box to every class
 * ({@link #ANY}).
 */
public record LocBox(int classIndex, Box box) {
    /** The class of an SCR box: it is a candidate for every class. */
    public static final int ANY = -1;

    /** Whether this box is a candidate box for data-set class {@code c}. */
    public boolean belongsTo(int c) {
        return classIndex == ANY || classIndex == c;
    }
}
