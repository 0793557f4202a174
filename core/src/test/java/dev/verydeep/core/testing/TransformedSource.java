package dev.verydeep.core.testing;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.RgbImage;
import java.util.List;

/**
 * Another source with each image transformed (labels, ids and classes unchanged): small images pasted on a larger
 * canvas as a model was trained on them, or one image made unreadable.
 *
 * @param how what the transform does, appended to the description
 */
public record TransformedSource(ImageSource in, PerImage transform, String how) implements ImageSource {
    /** What becomes of image {@code index}. */
    @FunctionalInterface
    public interface PerImage {
        RgbImage apply(int index, RgbImage image);
    }

    /** {@code in} with image {@code bad} unreadable: it throws what a corrupt file gives, a UserException naming its id. */
    public static TransformedSource unreadableAt(ImageSource in, int bad) {
        return new TransformedSource(in, (i, image) -> {
            if (i == bad) {
                throw new UserException(in.id(i) + ": cannot decode");
            }
            return image;
        }, "image " + bad + " unreadable");
    }

    @Override
    public int size() {
        return in.size();
    }

    @Override
    public int label(int i) {
        return in.label(i);
    }

    @Override
    public List<String> classNames() {
        return in.classNames();
    }

    @Override
    public RgbImage image(int i) {
        return transform.apply(i, in.image(i));
    }

    @Override
    public String id(int i) {
        return in.id(i);
    }

    @Override
    public String describe() {
        return in.describe() + ", " + how;
    }
}
