package dev.verydeep.core.data.voc;

import java.nio.file.Path;
import java.util.List;

/**
 * One image of a VOC data set: id, image file, size, objects, the image sets listing it, and the
 * classification ground truth per class ({@code 1} a non-difficult object of the class, {@code 0} only
 * difficult ones, {@code -1} none), as the devkit's per-class files hold it.
 */
public record VocImage(String id, Path file, int width, int height, List<VocObject> objects, List<String> sets, int[] truth) {
}
