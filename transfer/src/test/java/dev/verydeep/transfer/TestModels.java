package dev.verydeep.transfer;

import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TrainScale;
import java.nio.file.Path;
import java.util.stream.IntStream;

/** Small dense models with seeded random weights (no training). */
public final class TestModels {
    private TestModels() {
    }

    /** Config A at width 1/16, FC width 32, crop 32: exported to {@code dir}, returns the dense file. */
    public static Path dense(Path dir, long seed) {
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(1.0 / 16).optFcWidth(32).optClasses(5).optCrop(32).build();
        ModelMetadata md = ModelMetadata.builder().optNet(net)
                .setClassNames(IntStream.range(0, net.classes()).mapToObj(i -> "c" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {72, 72, 72}))
                .optTrainScale(TrainScale.fixed(37)).build();
        return OnnxExporter.builder().build().export(dir, RandomWeights.of(net, seed), md).dense();
    }
}
