package dev.verydeep.runtime.loc;

import dev.verydeep.core.image.Box;
import dev.verydeep.core.net.DenseWindow;
import dev.verydeep.core.net.Head;
import dev.verydeep.core.net.NetDescription;
import java.util.List;

/**
 * Turns a box net's output map into boxes in original image coordinates. Cell {@code (i, j)} of a
 * {@code [C, rows, cols]} map predicts, for the crop-sized window at {@code (32 j, 32 i)} of the input it was
 * given, a window-relative box ({@link Box#decode}); the input is {@link View#window()} of the rescaled image,
 * maybe mirrored, so the box is flipped back (mirrored input), moved by the window's offset, scaled from the
 * rescaled to the original image, and clipped to it. Empty boxes (negative predicted sizes, or nothing left
 * after clipping) are dropped; a non-finite output is a {@link dev.verydeep.core.UserException} (from {@link Box}). A classifier's {@code [C]} output is the {@code 1 x 1} case.
 */
public final class DenseBoxes {
    private DenseBoxes() {
    }

    /**
     * What one net input was.
     *
     * @param window          the part of the rescaled image fed to the net (a crop window for protocol 1)
     * @param mirrored        whether the window was fed mirrored left to right
     * @param rescaledWidth   width of the rescaled image
     * @param rescaledHeight  height of the rescaled image
     * @param width           width of the original image
     * @param height          height of the original image
     */
    public record View(DenseWindow.Region window, boolean mirrored, int rescaledWidth, int rescaledHeight, int width, int height) {
    }

    /**
     * Appends the boxes of one output map (at {@code out[at ..]}, channel-major {@code C x rows x cols}) to {@code sink}.
     *
     * @param head         SCR (4 channels, boxes for {@link LocBox#ANY} class) or PCR ({@code 4K} channels)
     * @param classOf      PCR: the data-set class of each of the net's {@code K} classes ({@code -1}: not in the data set, skipped)
     * @param crop         the net's crop (window side)
     */
    public static void decode(float[] out, int at, int rows, int cols, Head head, int[] classOf, int crop, View view, List<LocBox> sink) {
        int boxes = head == Head.SCR ? 1 : classOf.length;
        int cells = rows * cols;
        double sx = (double) view.width() / view.rescaledWidth();
        double sy = (double) view.height() / view.rescaledHeight();
        float[] v = new float[Box.ENCODED];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                for (int k = 0; k < boxes; k++) {
                    int cls = head == Head.SCR ? LocBox.ANY : classOf[k];
                    if (head == Head.PCR && cls < 0) {
                        continue;
                    }
                    for (int e = 0; e < Box.ENCODED; e++) {
                        v[e] = out[at + (k * Box.ENCODED + e) * cells + i * cols + j];
                    }
                    Box b = Box.decode(v, 0, NetDescription.TOTAL_STRIDE * j, NetDescription.TOTAL_STRIDE * i, crop);
                    if (view.mirrored()) {
                        b = b.flip(view.window().width());
                    }
                    b = b.translate(view.window().x(), view.window().y()).scale(sx, sy).clip(view.width(), view.height());
                    if (b.area() > 0) {
                        sink.add(new LocBox(cls, b));
                    }
                }
            }
        }
    }
}
