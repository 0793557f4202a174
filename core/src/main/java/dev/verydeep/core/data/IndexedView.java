package dev.verydeep.core.data;

import dev.verydeep.core.image.Box;
import dev.verydeep.core.image.RgbImage;
import java.util.List;
import java.util.Objects;

/**
 * Some images of another source, in a given order, without copying any pixels: image {@code i} is image
 * {@code indices[i]} of the source, with its pixels, id and boxes. Subclasses say how the images are labelled
 * and described.
 */
abstract class IndexedView implements ImageSource {
    final ImageSource source;
    final int[] indices;

    /** Keeps {@code indices} as given: the caller hands over an array nobody else changes. */
    IndexedView(ImageSource source, int[] indices) {
        this.source = Objects.requireNonNull(source, "source");
        this.indices = indices;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public RgbImage image(int i) {
        return source.image(indices[i]);
    }

    @Override
    public String id(int i) {
        return source.id(indices[i]);
    }

    @Override
    public boolean decodesFiles() {
        return source.decodesFiles();
    }

    @Override
    public List<Box> boxes(int i) {
        return source.boxes(indices[i]);
    }

    @Override
    public String toString() {
        return describe();
    }
}
