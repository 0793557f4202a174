package dev.verydeep.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.Augmenter;
import java.util.Random;

/** Section 3.1: softmax cross-entropy on the class label; validated by central-crop top-1 accuracy. */
final class Classification implements Objective {
    @Override
    public int targetLength() {
        return 1;
    }

    @Override
    public Shape targetShape(int n) {
        return new Shape(n);
    }

    @Override
    public void sample(ImageSource data, int index, Augmenter augmenter, Random rnd, float[] images, int imageOffset, float[] targets,
            int targetOffset) {
        augmenter.augment(data.image(index), rnd, images, imageOffset);
        targets[targetOffset] = data.label(index);
    }

    @Override
    public NDArray loss(NDArray logits, NDArray labels, int batchSize) {
        NDArray nll = logits.logSoftmax(1).get(new NDIndex().addAllDim().addPickDim(labels)).neg();
        return nll.sum().div((float) batchSize);
    }

    @Override
    public long hits(NDArray logits, NDArray labels) {
        return logits.argMax(1).toType(DataType.FLOAT32, false).eq(labels).sum().getLong();
    }

    @Override
    public String hitName() {
        return "acc";
    }

    @Override
    public Validation validate(ImageSource data, Augmenter augmenter, int q, int batch, CentreCrop.Forward net) {
        double acc = CentreCrop.top1(data, augmenter, q, batch, net);
        return new Validation(acc, null, acc);
    }
}
