package dev.verydeep.core.data.voc;

/** One annotated object: class, flags and its box in VOC's 1-based inclusive pixel coordinates. */
public record VocObject(String name, int classIndex, boolean difficult, boolean truncated, double xmin, double ymin, double xmax, double ymax) {
}
