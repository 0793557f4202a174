package dev.verydeep.runtime.eval;

import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.testing.FakeImageSource;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TrainScale;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Small random-weight nets and in-memory image sets for the evaluation tests. */
final class Fixtures {
    static final int CLASSES = 10;
    static final int CROP = 32;

    private Fixtures() {
    }

    static OnnxExporter.Exported export(Path dir, Config config, long seed) {
        NetDescription net = NetDescription.builder().setConfig(config).optWidth(1.0 / 16).optFcWidth(64).optClasses(CLASSES).optCrop(CROP).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net)
                .setClassNames(FakeImageSource.classNames("c", CLASSES))
                .setPreprocessing(Preprocessing.torchvision())
                .optTrainScale(TrainScale.jittered(32, 48)).build();
        return OnnxExporter.builder().build().export(dir, RandomWeights.of(net, seed), meta);
    }

    static RgbImage random(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[3 * w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble(0, 255);
        }
        return new RgbImage(w, h, d);
    }

    /** A random image made left-right symmetric. */
    static RgbImage symmetric(int w, int h, long seed) {
        RgbImage a = random(w, h, seed);
        float[] d = a.data().clone();
        for (int row = 0; row < 3 * h; row++) {
            for (int x = 0; x < w / 2; x++) {
                d[row * w + w - 1 - x] = d[row * w + x];
            }
        }
        return new RgbImage(w, h, d);
    }

    /** Images in memory with given labels, classes c0..c9. */
    static ImageSource source(List<RgbImage> images, int[] labels) {
        return FakeImageSource.of(images, labels, FakeImageSource.classNames("c", CLASSES));
    }
}
