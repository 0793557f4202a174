package dev.verydeep.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.trainer.CheckpointableSgd;
import dev.verydeep.trainer.VggNet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One SGD step of the paper's recipe on the CPU, built from the trainer's public pieces ({@link VggNet},
 * {@link CheckpointableSgd}) and DJL's public training API, the way {@code TrainingRun} does it for one device:
 * forward with dropout, softmax cross-entropy (mean over the batch), backward, momentum SGD with weight decay.
 * For benchmarks: the trainer keeps its step private, so this mirrors it rather than changing it.
 */
public final class DjlTrainStep implements AutoCloseable {
    private final Model model;
    private final Trainer trainer;
    private final int batch;
    private final int crop;
    private final ByteBuffer images;
    private final ByteBuffer labels;

    public DjlTrainStep(NetDescription net, int batch, long seed) {
        this.batch = batch;
        this.crop = net.crop();
        VggNet vgg = VggNet.build(net, 0.5f);
        model = Model.newInstance("bench-" + net.config().label());
        model.setBlock(vgg.block());
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(new CheckpointableSgd(0.01f, 0.9f, 5e-4f))
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3),
                        Parameter.Type.WEIGHT);
        trainer = model.newTrainer(config);
        Engine.getInstance().setRandomSeed((int) seed);
        trainer.initialize(vgg.inputShape(1));
        images = ByteBuffer.allocateDirect(4 * batch * 3 * crop * crop).order(ByteOrder.nativeOrder());
        labels = ByteBuffer.allocateDirect(4 * batch).order(ByteOrder.nativeOrder());
        images.asFloatBuffer().put(BenchNets.input(batch, crop, crop, seed));
        var l = labels.asFloatBuffer();
        for (int i = 0; i < batch; i++) {
            l.put(i, i % net.classes());
        }
    }

    /** One step on the fixed batch; returns the batch's mean loss before the update. */
    public float step() {
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray x = m.create(images.rewind(), new Shape(batch, 3, crop, crop), DataType.FLOAT32);
            NDArray y = m.create(labels.rewind(), new Shape(batch), DataType.FLOAT32);
            float loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x), new NDList(y)).singletonOrThrow();
                NDArray nll = logits.logSoftmax(1).get(new NDIndex().addAllDim().addPickDim(y)).neg();
                NDArray mean = nll.sum().div((float) batch);
                gc.backward(mean);
                loss = mean.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
