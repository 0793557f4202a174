package dev.verydeep.core.net;

import dev.verydeep.core.UserException;
import java.util.Locale;

/**
 * Which pixels of a rescaled image a dense (fully convolutional) graph is given. Five floor-rounding 2x2
 * max-pools make the graph use {@code floor(side/32)*32} pixels of each side whatever it is fed, from the
 * top-left. At the paper's test scales (256, 384, 512, multiples of 32) that is every pixel; in miniature
 * (37, 55, 73 for crop 32) it is not, and feeding the central pixels ({@link #CENTRED}) is the faithful analog
 * of the paper's "whole image". {@link #FULL} feeds the whole image as written in the paper. Score-map cell
 * {@code (i, j)} then sees the crop-sized window at {@code (x + 32 j, y + 32 i)} of the rescaled image, where
 * {@code (x, y)} is the {@link #region} corner.
 */
public enum DenseWindow {
    /** The whole rescaled image (the graph then sees its top-left multiple of 32). */
    FULL("full"),
    /** The central {@code floor(side/32)*32} pixels of each side (the default). */
    CENTRED("centred");

    /** The default of every verb that runs dense graphs. */
    public static final DenseWindow DEFAULT = CENTRED;

    private final String text;

    DenseWindow(String text) {
        this.text = text;
    }

    /** "full" or "centred", as written in flags and result files. */
    public String text() {
        return text;
    }

    /** Parses a {@code --dense-window} value (also the US spelling "centered"). */
    public static DenseWindow parse(String s) {
        return switch (s == null ? "" : s.strip().toLowerCase(Locale.ROOT)) {
            case "full" -> FULL;
            case "centred", "centered" -> CENTRED;
            default -> throw new UserException("--dense-window must be full or centred, got '" + s + "'");
        };
    }

    /** {@link #CENTRED} or {@link #FULL}, for settings that hold the choice as a flag. */
    public static DenseWindow of(boolean centred) {
        return centred ? CENTRED : FULL;
    }

    /** A region of an image: top-left corner and size. */
    public record Region(int x, int y, int width, int height) {
    }

    /**
     * The region of a {@code width x height} image fed to the dense graph: the whole image, or its central
     * {@code floor(side/32)*32} pixels (the whole side when it is shorter than 32).
     */
    public Region region(int width, int height) {
        if (this == FULL) {
            return new Region(0, 0, width, height);
        }
        int w = width < NetDescription.TOTAL_STRIDE ? width : width - width % NetDescription.TOTAL_STRIDE;
        int h = height < NetDescription.TOTAL_STRIDE ? height : height - height % NetDescription.TOTAL_STRIDE;
        return new Region((width - w) / 2, (height - h) / 2, w, h);
    }

    @Override
    public String toString() {
        return text;
    }
}
