package dev.verydeep.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageFolder;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.testing.TestEnvironment;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.onnx.TensorData;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol on small random-weight nets in ONNX Runtime (one intra-op thread: deterministic and light). */
class EvaluatorTest {
    @TempDir
    static Path tmp;
    static OnnxExporter.Exported a;
    static OnnxExporter.Exported b;

    @BeforeAll
    static void export() {
        a = Fixtures.export(tmp.resolve("a"), Config.A, 1);
        b = Fixtures.export(tmp.resolve("b"), Config.D, 2);
    }

    static EvalSettings.Builder settings(Method m, Integer... q) {
        return EvalSettings.builder().setMethod(m).setScales(List.of(q)).optIntraOpThreads(1).optBatch(16);
    }

    static Evaluation run(List<Path> models, EvalSettings s, ImageSource src) {
        try (Evaluator e = Evaluator.open(models, s)) {
            return e.evaluate(src, null);
        }
    }

    @Test
    void denseAtCropSizeEqualsTheClassifier() {
        RgbImage img = Fixtures.random(32, 32, 7);
        ImageSource src = Fixtures.source(List.of(img), new int[] {3});
        float[] dense = run(List.of(a.dense()), settings(Method.DENSE, 32).build(), src).posteriors().raw(0, Part.DENSE, 32);
        float[] expected;
        try (ModelSession s = Sessions.open(a.classifier(), Device.CPU, 1)) {
            Preprocessor pre = new Preprocessor(s.model().metadata().orElseThrow().preprocessing());
            TensorData in = TensorData.ofFloats("input", new long[] {1, 3, 32, 32}, pre.tensor(img, false));
            double[] p = Posteriors.softmax(s.run(Map.of("input", in)).get(OnnxExporter.SCORES).toFloats());
            expected = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                expected[i] = (float) p[i];
            }
        }
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], dense[k], 1e-5, "class " + k);
        }
        // not trivially uniform
        assertTrue(Math.abs(expected[0] - expected[1]) + Math.abs(expected[2] - expected[3]) > 1e-4);
    }

    @Test
    void centredDenseWindowIsTheCentralMultipleOf32AndDiffersFromTheFullImage() {
        // 45 x 40 at Q=40: the top of the graph covers 32 x 32 pixels; centred feeds exactly the central 32 x 32
        // (from (6, 4)); full feeds the whole image (its covered corner then also sees real context at its edges).
        RgbImage img = Fixtures.random(45, 40, 11);
        ImageSource src = Fixtures.source(List.of(img), new int[] {1});
        float[] centred = run(List.of(a.dense()), settings(Method.DENSE, 40).build(), src) // the default window
                .posteriors().raw(0, Part.DENSE, 40);
        float[] full = run(List.of(a.dense()), settings(Method.DENSE, 40).optDenseCentred(false).build(), src)
                .posteriors().raw(0, Part.DENSE, 40);
        ImageSource middle = Fixtures.source(List.of(img.crop(6, 4, 32, 32)), new int[] {1});
        float[] expectedCentred = run(List.of(a.dense()), settings(Method.DENSE, 32).build(), middle).posteriors().raw(0, Part.DENSE, 32);
        double differ = 0;
        for (int k = 0; k < centred.length; k++) {
            assertEquals(expectedCentred[k], centred[k], 1e-5, "centred, class " + k);
            differ += Math.abs(centred[k] - full[k]);
        }
        assertTrue(differ > 1e-4, "the two windows should see different pixels");
    }

    @Test
    void multiCropThroughClassifierEqualsDenseGraphAtCropSize() {
        ImageSource src = Fixtures.source(List.of(Fixtures.random(37, 41, 8)), new int[] {0});
        float[] viaDense = run(List.of(a.dense()), settings(Method.MULTICROP, 37).build(), src).posteriors().raw(0, Part.MULTICROP, 37);
        float[] viaClassifier = run(List.of(a.classifier()), settings(Method.MULTICROP, 37).build(), src).posteriors().raw(0, Part.MULTICROP, 37);
        for (int k = 0; k < viaDense.length; k++) {
            assertEquals(viaDense[k], viaClassifier[k], 1e-5);
        }
    }

    @Test
    void flipAveragesTheMirror() {
        ImageSource sym = Fixtures.source(List.of(Fixtures.symmetric(40, 36, 9)), new int[] {0});
        float[] plain = run(List.of(a.dense()), settings(Method.DENSE, 40).build(), sym).posteriors().raw(0, Part.DENSE, 40);
        float[] flipped = run(List.of(a.dense()), settings(Method.DENSE, 40).optFlip(true).build(), sym).posteriors().raw(0, Part.DENSE, 40);
        for (int k = 0; k < plain.length; k++) {
            assertEquals(plain[k], flipped[k], 1e-6, "symmetric image, class " + k);
        }
        ImageSource asym = Fixtures.source(List.of(Fixtures.random(40, 36, 10)), new int[] {0});
        float[] p2 = run(List.of(a.dense()), settings(Method.DENSE, 40).build(), asym).posteriors().raw(0, Part.DENSE, 40);
        float[] f2 = run(List.of(a.dense()), settings(Method.DENSE, 40).optFlip(true).build(), asym).posteriors().raw(0, Part.DENSE, 40);
        double diff = 0;
        for (int k = 0; k < p2.length; k++) {
            diff += Math.abs(p2[k] - f2[k]);
        }
        assertTrue(diff > 1e-5, "asymmetric image: flip must change the posterior, diff " + diff);
    }

    @Test
    void fusionBothAndMultiScaleAreMeansOfTheParts() {
        ImageSource src = Fixtures.source(List.of(Fixtures.random(30, 45, 11), Fixtures.random(50, 33, 12), Fixtures.random(33, 33, 13)),
                new int[] {1, 2, 3});
        EvalSettings s = settings(Method.BOTH, 32, 40).optFlip(true).build();
        PosteriorSet fused = run(List.of(a.dense(), b.dense()), s, src).posteriors();
        PosteriorSet onlyA = run(List.of(a.dense()), s, src).posteriors();
        PosteriorSet onlyB = run(List.of(b.dense()), s, src).posteriors();
        float[] live = EvalReport.headline(fused);
        float[] pa = onlyA.model(0);
        float[] pb = onlyB.model(0);
        for (int i = 0; i < live.length; i++) {
            assertEquals((pa[i] + pb[i]) / 2, live[i], 1e-6);
        }
        // both = mean of dense and multi-crop; multi-scale = mean over scales
        float[] both32 = onlyA.model(0, List.of(Part.DENSE, Part.MULTICROP), List.of(32));
        float[] d32 = onlyA.raw(0, Part.DENSE, 32);
        float[] m32 = onlyA.raw(0, Part.MULTICROP, 32);
        float[] dense2 = onlyA.model(0, List.of(Part.DENSE), List.of(32, 40));
        float[] d40 = onlyA.raw(0, Part.DENSE, 40);
        for (int i = 0; i < both32.length; i++) {
            assertEquals((d32[i] + m32[i]) / 2, both32[i], 1e-6);
            assertEquals((d32[i] + d40[i]) / 2, dense2[i], 1e-6);
        }
        // posteriors sum to 1
        double sum = 0;
        for (int k = 0; k < Fixtures.CLASSES; k++) {
            sum += live[k];
        }
        assertEquals(1.0, sum, 1e-5);
        List<Row> rows = EvalReport.rows(fused);
        // per net: (dense, multi-crop, both) x (32, 40, multi) = 9, twice, plus the fusion's 9
        assertEquals(27, rows.size());
        assertEquals("A w0.0625+D w0.0625", rows.get(26).config());
        assertEquals("32,40", rows.get(26).testScales());
        assertEquals("dense+flip & multi-crop", rows.get(26).method());
    }

    @Test
    void scaleBelowTheCropIsRefusedNamingTheFlag() {
        UserException e = assertThrows(UserException.class, () -> Evaluator.open(List.of(a.dense()), settings(Method.DENSE, 28, 37).build()));
        assertTrue(e.getMessage().contains("--scales") && e.getMessage().contains("Q=28") && e.getMessage().contains("crop 32"), e.getMessage());
        UserException c = assertThrows(UserException.class, () -> Evaluator.open(List.of(a.classifier()), settings(Method.DENSE, 32).build()));
        assertTrue(c.getMessage().contains("multicrop"), c.getMessage());
    }

    @Test
    void corruptImageInAFolderIsSkippedOrStopsWhenStrict() throws IOException {
        Path root = tmp.resolve("folder");
        for (int c = 0; c < Fixtures.CLASSES; c++) {
            Path d = Files.createDirectories(root.resolve("c" + c));
            BufferedImage bi = new BufferedImage(34 + c, 30, BufferedImage.TYPE_INT_RGB);
            bi.setRGB(3, 4, 0xff8040);
            ImageIO.write(bi, "png", d.resolve("img.png").toFile());
        }
        Files.write(root.resolve("c4/broken.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3});
        ImageFolder folder = ImageFolder.open(root);
        Evaluation e = run(List.of(a.dense()), settings(Method.DENSE, 32).build(), folder);
        assertEquals(1, e.skipped().size());
        assertEquals("c4/broken.jpg", e.skipped().get(0).id());
        assertTrue(e.skipped().get(0).reason().contains("broken.jpg"), e.skipped().get(0).reason());
        assertEquals(Fixtures.CLASSES, e.posteriors().images());
        UserException strict = assertThrows(UserException.class,
                () -> run(List.of(a.dense()), settings(Method.DENSE, 32).optStrict(true).build(), folder));
        assertTrue(strict.getMessage().contains("broken.jpg") && strict.getMessage().contains("--strict"), strict.getMessage());
    }

    @Test
    void cudaRequestFallsBackToCpuAndSaysWhy() {
        TestEnvironment.skipUnless(!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "CUDA build of ONNX Runtime: a CUDA request does not fall back to the CPU there");
        try (Evaluator e = Evaluator.open(List.of(a.dense()), settings(Method.DENSE, 32).optDevice(Device.cuda(0)).build())) {
            assertTrue(e.devices().get(0).fellBack());
            assertEquals(Device.CPU, e.devices().get(0).used());
            assertTrue(!e.devices().get(0).fallbackReason().isBlank());
        }
    }
}
