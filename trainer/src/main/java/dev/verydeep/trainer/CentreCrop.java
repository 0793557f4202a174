package dev.verydeep.trainer;

import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.Augmenter;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.net.Head;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The single-scale central-crop checks the trainer logs per epoch and the CLI's {@code --eval-data} reports: top-1
 * accuracy for a classifier, and for a localisation net the paper's protocol 1 (Appendix A: the box predicted
 * from the central crop, for the ground-truth class). Both run a net through a {@link Forward} so the
 * trainer (DJL's trainer) and the inference wrapper ({@link DjlClassifier}) share them.
 */
public final class CentreCrop {
    /** The net's last-layer outputs ({@code n x outputs}) for {@code n} crop-sized inputs (NCHW). */
    public interface Forward {
        float[] apply(float[] inputs, int n);
    }

    /**
     * Protocol 1 over a data set: mean over images of the best IoU between the predicted box and a ground-truth
     * box of the image's class, and the share of images whose IoU is at least 0.5 (the ILSVRC criterion).
     */
    public record Localisation(double meanIou, double accuracy, int images) {
        /** Protocol-1 localisation error: the share with IoU below 0.5. */
        public double error() {
            return 1 - accuracy;
        }
    }

    /** IoU at or above which a box counts as correct (ILSVRC). */
    public static final double CORRECT_IOU = 0.5;

    private CentreCrop() {
    }

    /** Top-1 accuracy of central crops after isotropic rescaling to {@code q}. */
    public static double top1(ImageSource data, Augmenter augmenter, int q, int batch, Forward net) {
        long[] correct = {0};
        run(data, augmenter, q, batch, net, (base, n, out, sizes) -> {
            int outputs = out.length / n;
            for (int j = 0; j < n; j++) {
                int best = 0;
                for (int c = 1; c < outputs; c++) {
                    if (out[j * outputs + c] > out[j * outputs + best]) {
                        best = c;
                    }
                }
                if (best == data.label(base + j)) {
                    correct[0]++;
                }
            }
        });
        return data.size() == 0 ? 0 : (double) correct[0] / data.size();
    }

    /** Protocol 1 for a box-regression net with the given head (PCR: the ground-truth class's 4 outputs). */
    public static Localisation localisation(ImageSource data, Augmenter augmenter, int q, int batch, Head head, Forward net) {
        int crop = augmenter.settings().crop();
        double[] sum = {0};
        long[] correct = {0};
        run(data, augmenter, q, batch, net, (base, n, out, sizes) -> {
            int outputs = out.length / n;
            for (int j = 0; j < n; j++) {
                int i = base + j;
                int[] w = Augmenter.centreWindow(sizes[j][0], sizes[j][1], q, crop);
                int offset = j * outputs + (head == Head.PCR ? Head.BOX * data.label(i) : 0);
                Box predicted = Box.decode(out, offset, w[2], w[3], crop);
                double iou = bestIou(predicted, data.boxes(i), (double) w[0] / sizes[j][0], (double) w[1] / sizes[j][1]);
                sum[0] += iou;
                if (iou >= CORRECT_IOU) {
                    correct[0]++;
                }
            }
        });
        int n = data.size();
        return new Localisation(n == 0 ? 0 : sum[0] / n, n == 0 ? 0 : (double) correct[0] / n, n);
    }

    /** Best IoU of a box (in rescaled coordinates) with the ground-truth boxes (image coordinates) scaled by (sx, sy). */
    static double bestIou(Box predicted, List<Box> truth, double sx, double sy) {
        double best = 0;
        for (Box t : truth) {
            best = Math.max(best, predicted.iou(t.scale(sx, sy)));
        }
        return best;
    }

    private interface BatchResult {
        void accept(int base, int n, float[] outputs, int[][] imageSizes);
    }

    private static void run(ImageSource data, Augmenter augmenter, int q, int batch, Forward net, BatchResult result) {
        int per = augmenter.outputLength();
        float[] buf = new float[batch * per];
        int[][] sizes = new int[batch][];
        for (int start = 0; start < data.size(); start += batch) {
            int n = Math.min(batch, data.size() - start);
            final int base = start;
            IntStream.range(0, n).parallel().forEach(j -> {
                RgbImage img = data.image(base + j);
                sizes[j] = new int[] {img.width(), img.height()};
                augmenter.center(img, q, buf, j * per);
            });
            result.accept(base, n, net.apply(buf, n), sizes);
        }
    }
}
