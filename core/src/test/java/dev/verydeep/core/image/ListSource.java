package dev.verydeep.core.image;

import dev.verydeep.core.data.ImageSource;
import java.util.List;

/** An in-memory source for tests. */
record ListSource(List<RgbImage> images, int[] labels, List<String> classNames) implements ImageSource {
    ListSource(List<RgbImage> images) {
        this(images, new int[images.size()], List.of("only"));
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public RgbImage image(int i) {
        return images.get(i);
    }

    @Override
    public String id(int i) {
        return "mem/" + i;
    }

    @Override
    public String describe() {
        return "in-memory (" + size() + " images)";
    }
}
