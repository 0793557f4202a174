package dev.verydeep.core.testing;

import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.RgbImage;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * An image set in memory for tests: image {@code i} comes from a function, its id is {@code name/i}.
 *
 * @param name the id prefix and the description's kind ("mem", "fake")
 */
public record FakeImageSource(String name, int[] labels, List<String> classNames, IntFunction<RgbImage> images) implements ImageSource {
    /** The given images, all of the one class "only". */
    public static FakeImageSource of(List<RgbImage> images) {
        return of(images, new int[images.size()], List.of("only"));
    }

    /** The given images with their labels. */
    public static FakeImageSource of(List<RgbImage> images, int[] labels, List<String> classNames) {
        return new FakeImageSource("mem", labels, classNames, images::get);
    }

    /** Labels only, for splitting and counting: image {@code i} is a 1x1 image of value {@code i}; classes "class0".. */
    public static FakeImageSource labelsOnly(int[] labels, int classes) {
        return new FakeImageSource("fake", labels, classNames("class", classes), i -> new RgbImage(1, 1, new float[] {i, i, i}));
    }

    /** {@code prefix0, prefix1, ...}: {@code n} class names. */
    public static List<String> classNames(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(c -> prefix + c).toList();
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public RgbImage image(int i) {
        return images.apply(i);
    }

    @Override
    public String id(int i) {
        return name + "/" + i;
    }

    @Override
    public String describe() {
        return name + " (" + labels.length + " images)";
    }
}
