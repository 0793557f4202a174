package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.LrnParams;
import dev.verydeep.core.net.NetDescription;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class VggNetTest {

    @ParameterizedTest
    @EnumSource(value = Config.class, names = {"A", "D"})
    void djlBlockHasTheDescribedParameterCountAtFullSize(Config config) {
        NetDescription net = NetDescription.paper(config);
        VggNet vgg = VggNet.build(net, 0.5f);
        try (NDManager m = NDManager.newBaseManager()) {
            vgg.block().initialize(m, DataType.FLOAT32, vgg.inputShape(1));
            assertEquals(net.parameterCount(), vgg.parameterCount());
        }
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void everyConfigAtSmallWidthMatchesAndRuns(Config config) {
        NetDescription net = NetDescription.builder().setConfig(config).optWidth(0.0625).optClasses(7).optCrop(64).build();
        VggNet vgg = VggNet.build(net, 0.5f);
        try (NDManager m = NDManager.newBaseManager()) {
            vgg.block().initialize(m, DataType.FLOAT32, vgg.inputShape(2));
            assertEquals(net.parameterCount(), vgg.parameterCount());
            NDArray out = vgg.block().forward(new ParameterStore(m, false), new ai.djl.ndarray.NDList(m.randomNormal(vgg.inputShape(2))), false)
                    .singletonOrThrow();
            assertEquals(new Shape(2, 7), out.getShape());
            assertEquals(2 * net.config().weightLayers(), vgg.tensorNames().size());
        }
    }

    @Test
    void lrnMatchesDirectComputationWithPaperAlpha() {
        LrnParams p = new LrnParams(5, 1e-2, 0.75, 2.0); // a large alpha so the normalisation matters
        int n = 2, c = 7, h = 3, w = 4;
        float[] x = new float[n * c * h * w];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 5);
        }
        float[] expected = new float[x.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int s = 0; s < h * w; s++) {
                    double sum = 0;
                    for (int j = Math.max(0, ch - 2); j <= Math.min(c - 1, ch + 2); j++) {
                        double v = x[(b * c + j) * h * w + s];
                        sum += v * v;
                    }
                    int idx = (b * c + ch) * h * w + s;
                    expected[idx] = (float) (x[idx] / Math.pow(p.k() + p.alpha() * sum, p.beta()));
                }
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] got = Lrn.apply(m.create(x, new Shape(n, c, h, w)), p).toFloatArray();
            assertArrayEquals(expected, got, 1e-5f);
        }
    }

    @Test
    void weightsRoundTripByName() {
        NetDescription net = NetDescription.builder().setConfig(Config.A_LRN).optWidth(0.0625).optClasses(3).optCrop(32).build();
        VggNet a = VggNet.build(net, 0.5f);
        VggNet b = VggNet.build(net, 0.5f);
        try (NDManager m = NDManager.newBaseManager()) {
            a.block().initialize(m, DataType.FLOAT32, a.inputShape(1));
            b.block().initialize(m, DataType.FLOAT32, b.inputShape(1));
            b.load(a.weights().tensors());
            for (String name : a.tensorNames()) {
                assertArrayEquals(a.weights().get(name).data(), b.weights().get(name).data(), name);
            }
            assertArrayEquals(new long[] {4, 3, 3, 3}, a.weights().get("conv1_1.weight").shape());
            assertArrayEquals(new long[] {256, 32}, a.weights().get("fc6.weight").shape());
        }
    }

    @Test
    void denseFormAtCropSizeEqualsTheClassifierAndPoolsLikeIt() {
        NetDescription net = NetDescription.builder().setConfig(Config.A_LRN).optWidth(0.0625).optClasses(5).optCrop(64).build();
        VggNet v = VggNet.build(net, 0.5f);
        try (NDManager m = NDManager.newBaseManager()) {
            v.block().initialize(m, DataType.FLOAT32, v.inputShape(1));
            dev.verydeep.core.net.NetWeights w = v.weights();
            Random r = new Random(3);
            float[] x = new float[2 * 3 * 64 * 64];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            try (DjlClassifier c = new DjlClassifier(w)) {
                float[] scores = c.scores(x, 2);
                DjlClassifier.DenseMaps d = c.dense(x, 2, 64, 64);
                assertArrayEquals(new long[] {2, 5, 1, 1}, d.scoresShape());
                assertArrayEquals(new long[] {2, 256, 1, 1}, d.penultimateShape());
                assertArrayEquals(scores, d.scores(), 1e-4f, () -> java.util.Arrays.toString(scores) + " vs " + java.util.Arrays.toString(d.scores()));
                // a larger non-square input gives a map with one cell per 32-pixel step
                float[] big = new float[3 * 96 * 160];
                for (int i = 0; i < big.length; i++) {
                    big[i] = (float) r.nextGaussian();
                }
                DjlClassifier.DenseMaps db = c.dense(big, 1, 96, 160);
                assertArrayEquals(new long[] {1, 5, 2, 4}, db.scoresShape());
            }
        }
    }
}
