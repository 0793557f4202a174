package dev.verydeep.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.Augmenter;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.net.Head;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Appendix A: the net regresses the object's box ({@link Box#encode}: centre x, centre y, width, height over the
 * crop side) with the Euclidean loss {@code 1/2 ||prediction - target||^2} per sample (Caffe's EuclideanLoss),
 * averaged over the batch. Single-class regression (SCR) has 4 outputs; per-class regression (PCR) 4 per class,
 * and the loss takes only the ground-truth class's 4 (a mask zeroes the others, so their gradient is zero).
 *
 * <p>A sample: when the image has several objects of its class, one is drawn ({@code rnd.nextInt(k)}, before
 * the augmentation's draws); the augmentation transforms its box with the image
 * ({@link Augmenter#augment(dev.verydeep.core.image.RgbImage, Box, Random, float[], int)}). The target row is
 * {@code outputs} target values then {@code outputs} mask values.
 */
final class BoxRegression implements Objective {
    private final Head head;
    private final int outputs;
    private final int crop;

    BoxRegression(Head head, int outputs, int crop) {
        this.head = head;
        this.outputs = outputs;
        this.crop = crop;
    }

    @Override
    public int targetLength() {
        return 2 * outputs;
    }

    @Override
    public Shape targetShape(int n) {
        return new Shape(n, 2L * outputs);
    }

    @Override
    public void sample(ImageSource data, int index, Augmenter augmenter, Random rnd, float[] images, int imageOffset, float[] targets,
            int targetOffset) {
        List<Box> boxes = data.boxes(index);
        if (boxes.isEmpty()) {
            throw new UserException(data.describe() + ": image " + data.id(index) + " has no box of its class (box regression needs one)");
        }
        Box object = boxes.size() == 1 ? boxes.get(0) : boxes.get(rnd.nextInt(boxes.size()));
        Box inCrop = augmenter.augment(data.image(index), object, rnd, images, imageOffset);
        write(inCrop.encode(0, 0, crop), offset(data.label(index)), targets, targetOffset);
    }

    /** First of the 4 outputs that predict a box of class {@code label}. */
    int offset(int label) {
        return head == Head.PCR ? Head.BOX * label : 0;
    }

    /** Writes a target row: the encoded box at {@code offset}, zeros elsewhere, and the mask selecting it. */
    void write(float[] encoded, int offset, float[] targets, int at) {
        Arrays.fill(targets, at, at + 2 * outputs, 0f);
        for (int k = 0; k < Head.BOX; k++) {
            targets[at + offset + k] = encoded[k];
            targets[at + outputs + offset + k] = 1f;
        }
    }

    @Override
    public NDArray loss(NDArray predicted, NDArray targets, int batchSize) {
        NDArray target = targets.get(new NDIndex(":, :{}", outputs));
        NDArray mask = targets.get(new NDIndex(":, {}:", outputs));
        return predicted.sub(target).mul(mask).square().sum().mul(0.5f / batchSize);
    }

    @Override
    public long hits(NDArray predicted, NDArray targets) {
        float[] p = predicted.toFloatArray();
        float[] t = targets.toFloatArray();
        int n = p.length / outputs;
        long hits = 0;
        for (int j = 0; j < n; j++) {
            int offset = 0;
            while (t[j * 2 * outputs + outputs + offset] == 0f) {
                offset += Head.BOX;
            }
            Box a = Box.decode(p, j * outputs + offset, 0, 0, 1);
            Box b = Box.decode(t, j * 2 * outputs + offset, 0, 0, 1);
            if (a.iou(b) >= CentreCrop.CORRECT_IOU) {
                hits++;
            }
        }
        return hits;
    }

    @Override
    public String hitName() {
        return "IoU>=.5";
    }

    @Override
    public Validation validate(ImageSource data, Augmenter augmenter, int q, int batch, CentreCrop.Forward net) {
        CentreCrop.Localisation loc = CentreCrop.localisation(data, augmenter, q, batch, head, net);
        // The schedule watches the mean IoU: on small validation sets it moves more smoothly than the 0.5 threshold's share.
        return new Validation(loc.accuracy(), loc.meanIou(), loc.meanIou());
    }
}
