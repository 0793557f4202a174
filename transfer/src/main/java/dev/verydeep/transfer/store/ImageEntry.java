package dev.verydeep.transfer.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the descriptor store keeps about one image: its id and its ground truth. Single-label sets (Caltech,
 * folders) have {@code label}; VOC has {@code truth} (1, -1, 0 per class), {@code sets} and {@code boxes}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageEntry(String id, Integer label, int[] truth, List<String> sets, List<Box> boxes) {
    /** An object box: class index, difficult flag, VOC 1-based inclusive corners. */
    public record Box(int c, boolean difficult, double xmin, double ymin, double xmax, double ymax) {
    }

    public static ImageEntry single(String id, int label) {
        return new ImageEntry(id, label, null, null, null);
    }
}
