package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import dev.verydeep.core.net.NetDescription;

/**
 * The part of a rescaled image a dense graph is given. Five floor-rounding 2x2 pools make the graph use only
 * {@code floor(side/32)*32} pixels of each side; {@code full} passes the whole image (the graph then uses those
 * pixels from the top-left, the paper's "whole image"), {@code centred} passes the central ones. Score-map cell
 * {@code (i, j)} then sees the crop-sized window at {@code (x + 32 j, y + 32 i)} of the rescaled image.
 *
 * @param x      left edge in the rescaled image
 * @param y      top edge
 * @param width  pixels passed
 * @param height pixels passed
 */
public record DenseWindow(int x, int y, int width, int height) {
    /** Parses a {@code --dense-window} value: {@code centred} (or {@code centered}) is true, {@code full} false. */
    public static boolean centred(String option) {
        return switch (option) {
            case "full" -> false;
            case "centred", "centered" -> true;
            default -> throw new UserException("--dense-window must be full or centred, got '" + option + "'");
        };
    }

    /** The window for a {@code w x h} rescaled image (each side at least the crop when centred). */
    public static DenseWindow of(int w, int h, boolean centred) {
        if (!centred) {
            return new DenseWindow(0, 0, w, h);
        }
        int rx = w % NetDescription.TOTAL_STRIDE;
        int ry = h % NetDescription.TOTAL_STRIDE;
        return new DenseWindow(rx / 2, ry / 2, w - rx, h - ry);
    }
}
