package dev.verydeep.runtime.eval;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Per-image class posteriors of {@code nets x parts x scales} blocks, each {@code images x classes} floats
 * (image-major: image i's posteriors at {@code [i K, (i+1) K)}), with the inference seconds spent on each block
 * (fill, run, soft-max). What an evaluation accumulates, what a chunk of partial results holds and what
 * {@value PosteriorSet#FILE} stores; {@link PosteriorSet} adds the names (nets, parts, scales, classes, images).
 *
 * <p>Mutable while an evaluation fills it ({@link #accumulate}, {@link #addSeconds}, {@link #put}); treat a
 * finished one as read-only.
 */
public final class PosteriorBlocks {
    /** The dimensions: nets, parts, scales, images, classes. */
    public record Shape(int nets, int parts, int scales, int images, int classes) {
        public Shape {
            if (nets < 0 || parts < 0 || scales < 0 || images < 0 || classes < 0) {
                throw new IllegalArgumentException("negative dimension in " + nets + "x" + parts + "x" + scales + "x" + images + "x" + classes);
            }
        }

        int blocks() {
            return nets * parts * scales;
        }

        /** The same blocks over {@code n} images. */
        public Shape withImages(int n) {
            return new Shape(nets, parts, scales, n, classes);
        }
    }

    private final Shape shape;
    /** One array of {@code images x classes} per block, block {@code (net P + part) S + scale}. */
    private final float[][] values;
    private final double[] seconds;

    /** Zero posteriors and seconds. */
    public PosteriorBlocks(Shape shape) {
        this(shape, new float[shape.blocks()][shape.images() * shape.classes()], new double[shape.blocks()]);
    }

    private PosteriorBlocks(Shape shape, float[][] values, double[] seconds) {
        this.shape = shape;
        this.values = values;
        this.seconds = seconds;
    }

    public Shape shape() {
        return shape;
    }

    public int images() {
        return shape.images();
    }

    public int classes() {
        return shape.classes();
    }

    private int index(int net, int part, int scale) {
        return (net * shape.parts() + part) * shape.scales() + scale;
    }

    /** The posteriors of one net, part and scale ({@code images x classes}, not copied: do not modify). */
    public float[] block(int net, int part, int scale) {
        return values[index(net, part, scale)];
    }

    /** Inference seconds spent on one net, part and scale. */
    public double seconds(int net, int part, int scale) {
        return seconds[index(net, part, scale)];
    }

    public void addSeconds(int net, int part, int scale, double s) {
        seconds[index(net, part, scale)] += s;
    }

    /** Adds {@code weight x probs[k]} (rounded to float) to image {@code image}'s posteriors of one block. */
    public void accumulate(int net, int part, int scale, int image, double[] probs, float weight) {
        float[] a = block(net, part, scale);
        int k = shape.classes();
        int base = image * k;
        for (int c = 0; c < k; c++) {
            a[base + c] += (float) (probs[c] * weight);
        }
    }

    /** Copies {@code from}'s posteriors to images {@code first ..} of these blocks and adds its seconds. */
    public void put(int first, PosteriorBlocks from) {
        if (from.shape.withImages(shape.images()).equals(shape) && first + from.images() <= images()) {
            int k = shape.classes();
            for (int b = 0; b < values.length; b++) {
                System.arraycopy(from.values[b], 0, values[b], first * k, from.values[b].length);
                seconds[b] += from.seconds[b];
            }
            return;
        }
        throw new IllegalArgumentException("cannot put " + from.shape + " at image " + first + " of " + shape);
    }

    /** The images at {@code rows}, in that order (same seconds); these blocks themselves when rows are all images in order. */
    public PosteriorBlocks select(int[] rows) {
        if (rows.length == images() && isIdentity(rows)) {
            return this;
        }
        int k = shape.classes();
        float[][] v = new float[values.length][rows.length * k];
        for (int b = 0; b < v.length; b++) {
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(values[b], rows[r] * k, v[b], r * k, k);
            }
        }
        return new PosteriorBlocks(shape.withImages(rows.length), v, seconds.clone());
    }

    private static boolean isIdentity(int[] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * The images of {@code parts} one after the other (partitions evaluated apart, in partition order); seconds
     * summed. All parts must have the same nets, parts, scales and classes.
     */
    public static PosteriorBlocks concat(List<PosteriorBlocks> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        int n = parts.stream().mapToInt(PosteriorBlocks::images).sum();
        PosteriorBlocks out = new PosteriorBlocks(parts.get(0).shape.withImages(n));
        int first = 0;
        for (PosteriorBlocks p : parts) {
            out.put(first, p);
            first += p.images();
        }
        return out;
    }

    /** Writes the seconds (float64, block order) then the posteriors (float32, block after block). */
    void write(DataOutputStream out) throws IOException {
        for (double s : seconds) {
            out.writeDouble(s);
        }
        for (float[] block : values) {
            for (float v : block) {
                out.writeFloat(v);
            }
        }
    }

    /** Reads what {@link #write} wrote for blocks of {@code shape}. */
    static PosteriorBlocks read(DataInputStream in, Shape shape) throws IOException {
        PosteriorBlocks b = new PosteriorBlocks(shape);
        for (int i = 0; i < b.seconds.length; i++) {
            b.seconds[i] = in.readDouble();
        }
        for (float[] block : b.values) {
            for (int i = 0; i < block.length; i++) {
                block[i] = in.readFloat();
            }
        }
        return b;
    }
}
