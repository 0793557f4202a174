package dev.verydeep.core.data;

import java.util.List;
import java.util.Objects;

/**
 * A view of some images of another source, in the given order: train/validation splits, samples, folds
 * without copying any pixels. Image {@code i} of the subset is image {@code indices[i]} of the source; labels,
 * class names and ids are the source's.
 */
public final class Subset extends IndexedView {
    private final String what;

    /** A subset described as "subset" in {@link #describe()}. */
    public Subset(ImageSource source, int[] indices) {
        this(source, indices, "subset");
    }

    /** {@code what} names the subset in {@link #describe()}, e.g. "validation 10% (seed 42)". */
    public Subset(ImageSource source, int[] indices, String what) {
        super(source, indices.clone());
        this.what = Objects.requireNonNull(what, "what");
        int n = source.size();
        for (int i : this.indices) {
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("index " + i + " outside source of " + n + " images");
            }
        }
    }

    public ImageSource source() {
        return source;
    }

    /** Index in the source of image {@code i}. */
    public int sourceIndex(int i) {
        return indices[i];
    }

    /** The source indices, in subset order (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int label(int i) {
        return source.label(indices[i]);
    }

    @Override
    public List<String> classNames() {
        return source.classNames();
    }

    @Override
    public String describe() {
        return source.describe() + ", " + what + " (" + indices.length + " images)";
    }
}
