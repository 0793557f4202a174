package dev.verydeep.core.image;

import dev.verydeep.core.UserException;

/**
 * An axis-aligned box in continuous pixel coordinates: pixel {@code i} spans {@code [i, i+1)}, so a VOC box
 * with 1-based inclusive corners {@code xmin..xmax} is {@code [xmin-1, xmax)} ({@link #fromVoc}). Every
 * transform a localisation net sees (rescale, crop, flip) and its target encoding live here, so training and
 * testing cannot disagree.
 *
 * <p>Target encoding (Appendix A of the paper): a box relative to a square crop window is
 * {@code (centre x, centre y, width, height) / window side}, so a box filling the window is
 * {@code (0.5, 0.5, 1, 1)}.
 */
public record Box(double x0, double y0, double x1, double y1) {
    /** Numbers per encoded box. */
    public static final int ENCODED = 4;

    public Box {
        if (!(Double.isFinite(x0) && Double.isFinite(y0) && Double.isFinite(x1) && Double.isFinite(y1))) {
            throw new UserException("box coordinates must be finite, got " + x0 + "," + y0 + "," + x1 + "," + y1);
        }
    }

    /** A VOC box (1-based, inclusive corners) as continuous coordinates. */
    public static Box fromVoc(double xmin, double ymin, double xmax, double ymax) {
        return new Box(xmin - 1, ymin - 1, xmax, ymax);
    }

    public double width() {
        return Math.max(0, x1 - x0);
    }

    public double height() {
        return Math.max(0, y1 - y0);
    }

    public double area() {
        return width() * height();
    }

    public double centreX() {
        return (x0 + x1) / 2;
    }

    public double centreY() {
        return (y0 + y1) / 2;
    }

    /** Intersection over union (0 when either box is empty). */
    public double iou(Box o) {
        double iw = Math.min(x1, o.x1) - Math.max(x0, o.x0);
        double ih = Math.min(y1, o.y1) - Math.max(y0, o.y0);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        double union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** This box after the image is resized by {@code sx} horizontally and {@code sy} vertically. */
    public Box scale(double sx, double sy) {
        return new Box(x0 * sx, y0 * sy, x1 * sx, y1 * sy);
    }

    /** This box in the coordinates of a window whose top-left corner is at {@code (x, y)}. */
    public Box translate(double dx, double dy) {
        return new Box(x0 + dx, y0 + dy, x1 + dx, y1 + dy);
    }

    /** This box after mirroring an image of width {@code imageWidth} left to right. */
    public Box flip(double imageWidth) {
        return new Box(imageWidth - x1, y0, imageWidth - x0, y1);
    }

    /** This box clipped to {@code [0, w) x [0, h)} (possibly empty). */
    public Box clip(double w, double h) {
        double nx0 = clamp(x0, w);
        double ny0 = clamp(y0, h);
        return new Box(nx0, ny0, Math.max(nx0, clamp(x1, w)), Math.max(ny0, clamp(y1, h)));
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(max, v));
    }

    /**
     * The regression target of this box for a square window of side {@code side} whose top-left corner is at
     * {@code (wx, wy)} (both in this box's coordinates): {@code (cx, cy, w, h) / side}, window-relative.
     */
    public float[] encode(double wx, double wy, double side) {
        return new float[] {(float) ((centreX() - wx) / side), (float) ((centreY() - wy) / side),
            (float) (width() / side), (float) (height() / side)};
    }

    /**
     * Inverse of {@link #encode}: the box predicted by {@code v[offset..offset+3]} for the window at
     * {@code (wx, wy)} of side {@code side}. Negative predicted sizes become empty boxes.
     */
    public static Box decode(float[] v, int offset, double wx, double wy, double side) {
        double cx = wx + v[offset] * side;
        double cy = wy + v[offset + 1] * side;
        double w = Math.max(0, v[offset + 2]) * side;
        double h = Math.max(0, v[offset + 3]) * side;
        return new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }
}
