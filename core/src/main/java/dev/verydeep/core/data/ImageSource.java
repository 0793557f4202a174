package dev.verydeep.core.data;

import dev.verydeep.core.image.Box;
import dev.verydeep.core.image.RgbImage;
import java.util.List;

/**
 * A labelled set of images in a fixed order, read on demand. Implementations: Fashion-MNIST (IDX files),
 * image folders (a sub-folder per class), and subsets of those. {@link #image(int)} throws
 * {@link dev.verydeep.core.UserException} naming the file and the problem when an image cannot be decoded.
 * Implementations are safe for concurrent reads.
 */
public interface ImageSource {
    /** Number of images. */
    int size();

    /** Class index of image {@code i}, in {@code [0, classNames().size())}. */
    int label(int i);

    /** Class names, index = label. */
    List<String> classNames();

    /** Decodes image {@code i}. */
    RgbImage image(int i);

    /** A stable identifier of image {@code i} (file path relative to the data set root, or "train/123"). */
    String id(int i);

    /**
     * The boxes of image {@code i}'s objects of its class {@link #label(int)}, in the pixel coordinates of
     * {@link #image(int)}: what a localisation net learns to predict. Empty when the source has no boxes
     * (classification data).
     */
    default List<Box> boxes(int i) {
        return List.of();
    }

    /** What this is, for provenance: kind, location, split, count (e.g. "fashion-mnist:train (60000 images, /usr/share/...)"). */
    String describe();

    /** Whether {@link #image} decodes files (which may be corrupt), as opposed to in-memory pixels. */
    default boolean decodesFiles() {
        return false;
    }
}
