package dev.verydeep.transfer.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the descriptor store keeps about one entry: its id and its ground truth. Single-label sets (Caltech,
 * folders) have {@code label}; VOC has {@code truth} (1, -1, 0 per class), {@code sets} and {@code boxes}.
 * Per-box entries (VOC actions, store format 2) also name their {@code image} and their own {@code box}; their
 * {@code truth} is per action. Absent fields are not written, so format 1 entries read unchanged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageEntry(String id, Integer label, int[] truth, List<String> sets, List<Box> boxes, String image, Box box) {
    /** An object box: class index (-1: none), difficult flag, VOC 1-based inclusive corners. */
    public record Box(int c, boolean difficult, double xmin, double ymin, double xmax, double ymax) {
    }

    /** A whole-image entry (format 1 fields only). */
    public ImageEntry(String id, Integer label, int[] truth, List<String> sets, List<Box> boxes) {
        this(id, label, truth, sets, boxes, null, null);
    }

    public static ImageEntry single(String id, int label) {
        return new ImageEntry(id, label, null, null, null);
    }
}
