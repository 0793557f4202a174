package dev.verydeep.core.data;

import java.util.List;

/**
 * An image source whose labels are read up front, one class index per image: the size, labels and class names
 * that image folders, ImageNet and single-label VOC share.
 */
public abstract class LabelledImages implements ImageSource {
    private final int[] labels;
    private final List<String> classNames;

    /** {@code labels}: one class index into {@code classNames} per image (kept, not copied). */
    protected LabelledImages(int[] labels, List<String> classNames) {
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    @Override
    public final int size() {
        return labels.length;
    }

    @Override
    public final int label(int i) {
        return labels[i];
    }

    @Override
    public final List<String> classNames() {
        return classNames;
    }
}
