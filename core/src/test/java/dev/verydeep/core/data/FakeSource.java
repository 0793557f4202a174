package dev.verydeep.core.data;

import dev.verydeep.core.image.RgbImage;
import java.util.List;
import java.util.stream.IntStream;

/** Labels only; image i is a 1x1 image of value i. */
record FakeSource(int[] labels, int classes) implements ImageSource {
    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public List<String> classNames() {
        return IntStream.range(0, classes).mapToObj(c -> "class" + c).toList();
    }

    @Override
    public RgbImage image(int i) {
        return new RgbImage(1, 1, new float[] {i, i, i});
    }

    @Override
    public String id(int i) {
        return "fake/" + i;
    }

    @Override
    public String describe() {
        return "fake (" + labels.length + " images)";
    }
}
