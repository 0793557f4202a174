package dev.verydeep.core.testing;

import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.RgbImage;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Another source with each image transformed (labels, ids and classes unchanged), e.g. small images pasted on a
 * larger canvas as a model was trained on them.
 *
 * @param how what the transform does, appended to the description
 */
public record TransformedSource(ImageSource in, UnaryOperator<RgbImage> transform, String how) implements ImageSource {
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
        return transform.apply(in.image(i));
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
