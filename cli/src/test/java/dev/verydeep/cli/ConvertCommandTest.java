package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.OnnxModels;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TensorData;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verydeep convert} through {@link Main#run}: the real "trained elsewhere" fixtures converted and run in ONNX
 * Runtime over all 10,000 Fashion-MNIST test images must give PyTorch's prediction on every image except near-ties
 * (top two logits within {@value #NEAR_TIE} in PyTorch, listed) and PyTorch's accuracy to the last digit:
 * golden-data pytorch-fashion (made by {@code golden-data/scripts/make_pytorch_fashion.py}, the AveragePool(1x1)
 * head) and pytorch-gap beside this test's resources (made by the {@code make_pytorch_gap.py} there, the
 * GlobalAveragePool head); plus our own classifier converted equals our own dense export, refusals, and
 * python3-onnx's full check on every file written.
 */
class ConvertCommandTest {
    static final String FIXTURE = "/dev/verydeep/golden/pytorch-fashion/";
    static final String GAP_FIXTURE = "/dev/verydeep/cli/pytorch-gap/";
    static final double NEAR_TIE = 1e-5;

    @TempDir
    Path tmp;

    Path resource(String name) throws IOException {
        return resource(FIXTURE, name);
    }

    Path resource(String dir, String name) throws IOException {
        try (InputStream in = ConvertCommandTest.class.getResourceAsStream(dir + name)) {
            assertNotNull(in, "missing test resource " + dir + name);
            Path p = tmp.resolve("fixture").resolve(dir.substring(1)).resolve(name);
            Files.createDirectories(p.getParent());
            Files.copy(in, p);
            return p;
        }
    }

    /** python3-onnx's check_model(full_check=True) on the file. */
    static void fullCheck(Path file) throws IOException, InterruptedException {
        String py = "import sys, onnx\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\nprint('OK')";
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", py, file.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), file + " fails python3-onnx's full check (install python3-onnx: bin/install-test-deps):\n" + text);
        assertTrue(text.contains("OK"), text);
    }

    /**
     * The scripts' preprocessing, in float32 as PyTorch did it: 28x28 grey, f x pixel repetition, pasted at (2f, 2f) on
     * a (32f)x(32f) canvas of 0s, to R, G, B, then pixel / 255 and (x - mean) / std of the file's profile. f = 2 is
     * pytorch-fashion's 64x64 input; f = 1 is pytorch-gap's 32x32 crop.
     */
    static float[] preprocess(byte[] pixels, int first, int n, Preprocessing p, int f) {
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = (float) p.meanRgb()[c];
            std[c] = (float) p.stdRgb()[c];
        }
        float top = (float) p.valueMax();
        int side = 32 * f;
        int at = 2 * f;
        float[] x = new float[n * 3 * side * side];
        for (int i = 0; i < n; i++) {
            int img = (first + i) * 28 * 28;
            for (int y = 0; y < side; y++) {
                for (int xx = 0; xx < side; xx++) {
                    boolean inside = y >= at && y < at + 28 * f && xx >= at && xx < at + 28 * f;
                    int v = inside ? pixels[img + ((y - at) / f) * 28 + (xx - at) / f] & 0xff : 0;
                    float fv = (float) v / 255f * top;
                    for (int c = 0; c < 3; c++) {
                        x[((i * 3 + c) * side + y) * side + xx] = (fv - mean[c]) / std[c];
                    }
                }
            }
        }
        return x;
    }

    static TensorData input(byte[] pixels, int first, int n, Preprocessing p, int f) {
        return TensorData.ofFloats("input", new long[] {n, 3, 32L * f, 32L * f}, preprocess(pixels, first, n, p, f));
    }

    static int argmax(float[] v, int from, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (v[from + c] > v[from + best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Runs the converted model on all test images at the fixture's input size (f as in {@link #preprocess}) and checks
     * PyTorch's top-1 from predictions.csv on every image except near-ties, and its accuracy to the last digit.
     */
    static void reproducesPytorch(String name, Path dense, Path csv, Properties summary, int f) throws IOException {
        ModelMetadata meta = ModelMetadata.read(OnnxModels.load(dense).proto());
        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.get(0).startsWith("index,label,pytorch_top1,top1_minus_top2_logit"), lines.get(0));
        FashionMnist test = FashionMnist.open(FashionMnist.defaultDir(), FashionMnist.Split.TEST);
        assertEquals(10_000, test.size());
        assertEquals(test.size(), lines.size() - 1);
        byte[] pixels = test.pixels();
        int correct = 0;
        List<String> disagreements = new ArrayList<>();
        List<String> nearTies = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ModelSession s = Sessions.open(dense, Device.CPU, 2)) {
            int batch = 500;
            for (int start = 0; start < test.size(); start += batch) {
                int n = Math.min(batch, test.size() - start);
                TensorData scores = s.run(Map.of("input", input(pixels, start, n, meta.preprocessing(), f))).get("scores_map");
                assertArrayEquals(new long[] {n, 10, 1, 1}, scores.shape());
                float[] v = scores.toFloats();
                for (int i = 0; i < n; i++) {
                    int best = argmax(v, i * 10, 10);
                    String[] fields = lines.get(start + i + 1).split(",");
                    assertEquals(start + i, Integer.parseInt(fields[0]));
                    assertEquals(test.label(start + i), Integer.parseInt(fields[1]), "label of test image " + (start + i));
                    double margin = Double.parseDouble(fields[3]);
                    if (margin < NEAR_TIE) {
                        nearTies.add((start + i) + " (margin " + fields[3] + ")");
                    }
                    if (best != Integer.parseInt(fields[2])) {
                        disagreements.add(String.format(Locale.ROOT, "image %d: ORT %d, PyTorch %s, PyTorch margin %s", start + i, best,
                                fields[2], fields[3]));
                        assertTrue(margin < NEAR_TIE, "not a near-tie: " + disagreements.get(disagreements.size() - 1));
                    }
                    if (best == test.label(start + i)) {
                        correct++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String accuracy = String.format(Locale.ROOT, "%.4f", correct / (double) test.size());
        System.out.printf(Locale.ROOT, "%s: ORT after convert %d/%d = %s (PyTorch %s/%s = %s); %d disagreements %s; "
                        + "near-ties in PyTorch %s; %.1f s%n", name, correct, test.size(), accuracy, summary.getProperty("test.correct"),
                summary.getProperty("test.images"), summary.getProperty("test.accuracy"), disagreements.size(), disagreements, nearTies,
                seconds);
        assertEquals(summary.getProperty("test.accuracy"), accuracy, "accuracy to the last digit");
        if (disagreements.isEmpty()) {
            assertEquals(Integer.parseInt(summary.getProperty("test.correct")), correct);
        }
    }

    Properties summary(String dir) throws IOException {
        Properties summary = new Properties();
        try (InputStream in = Files.newInputStream(resource(dir, "summary.properties"))) {
            summary.load(in);
        }
        return summary;
    }

    @Test
    void pytorchFixtureConvertedReproducesPytorchOnEveryTestImage() throws Exception {
        Path src = resource("vgg-fashion.onnx");
        Properties summary = summary(FIXTURE);
        Path classes = Files.write(tmp.resolve("classes.txt"), FashionMnist.CLASS_NAMES);
        Path out = tmp.resolve("out/vgg-fashion-dense.onnx");
        CliRun r = cli("convert", src.toString(), "-o", out.toString(), "--crop", "64", "--preprocessing", "torchvision",
                "--classes-file", classes.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("head: MaxPool -> AveragePool(1x1, removed) -> Flatten -> Gemm(transB=1) -> Relu -> Gemm(transB=1) "
                + "-> Relu -> Gemm(transB=1)"), r.out());
        fullCheck(out);
        ModelMetadata meta = ModelMetadata.read(OnnxModels.load(out).proto());
        assertEquals(64, meta.crop());
        assertEquals(Preprocessing.torchvision(), meta.preprocessing());
        assertEquals("torchvision", summary.getProperty("preprocessing.profile"));
        assertEquals(FashionMnist.CLASS_NAMES, meta.classNames());
        reproducesPytorch("pytorch-fashion", out, resource("predictions.csv"), summary, 2);
    }

    /**
     * A torchvision VGG with AdaptiveAvgPool2d((1,1)), exported as GlobalAveragePool -> Flatten -> Gemm: converted with
     * the crop inferred (32, where the pool sees one cell), it reproduces PyTorch at the crop. At Q = 64 the dense map
     * (2x2 cells, averaged as the test protocol does) and the pooled net as it is (cells averaged before the FC layers)
     * are different nets: measured and printed on the first 500 test images, with ONNX Runtime's pooled net checked
     * against PyTorch's top-1 there.
     */
    @Test
    void globalAveragePoolHeadConvertsAndReproducesPytorch() throws Exception {
        Path src = resource(GAP_FIXTURE, "vgg-gap.onnx");
        Path csv = resource(GAP_FIXTURE, "predictions.csv");
        Properties summary = summary(GAP_FIXTURE);
        Path out = tmp.resolve("out/vgg-gap-dense.onnx");
        CliRun r = cli("convert", src.toString(), "-o", out.toString(), "--preprocessing", "torchvision");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("head: MaxPool -> GlobalAveragePool(one cell at the crop, removed) -> Flatten -> Gemm(transB=1) "
                + "-> Relu -> Gemm(transB=1) -> Relu -> Gemm(transB=1)"), r.out());
        fullCheck(out);
        ModelMetadata meta = ModelMetadata.read(OnnxModels.load(out).proto());
        assertEquals(32, meta.crop());
        assertEquals(summary.getProperty("crop"), String.valueOf(meta.crop()));
        reproducesPytorch("pytorch-gap", out, csv, summary, 1);

        CliRun big = cli("convert", src.toString(), "-o", tmp.resolve("never.onnx").toString(), "--crop", "64");
        assertEquals(2, big.code());
        assertTrue(big.err().contains("--crop 64") && big.err().contains("crop 32"), big.err());

        List<String> lines = Files.readAllLines(csv);
        byte[] pixels = FashionMnist.open(FashionMnist.defaultDir(), FashionMnist.Split.TEST).pixels();
        int n = 500;
        TensorData x = input(pixels, 0, n, meta.preprocessing(), 2);
        float[] pooled;
        float[] map;
        try (ModelSession s = Sessions.open(src, Device.CPU, 2)) {
            pooled = s.run(Map.of("input", x)).get("logits").toFloats();
        }
        try (ModelSession s = Sessions.open(out, Device.CPU, 2)) {
            TensorData scores = s.run(Map.of("input", x)).get("scores_map");
            assertArrayEquals(new long[] {n, 10, 2, 2}, scores.shape());
            map = scores.toFloats();
        }
        int agree = 0;
        int pytorchAgree = 0;
        int denseCorrect = 0;
        int pooledCorrect = 0;
        double maxLogitDiff = 0;
        double maxProbDiff = 0;
        for (int i = 0; i < n; i++) {
            float[] dense = new float[10];
            for (int c = 0; c < 10; c++) {
                for (int cell = 0; cell < 4; cell++) {
                    dense[c] += map[(i * 10 + c) * 4 + cell] / 4;
                }
                maxLogitDiff = Math.max(maxLogitDiff, Math.abs(dense[c] - pooled[i * 10 + c]));
            }
            double[] pd = softmax(dense, 0);
            double[] pp = softmax(pooled, i * 10);
            for (int c = 0; c < 10; c++) {
                maxProbDiff = Math.max(maxProbDiff, Math.abs(pd[c] - pp[c]));
            }
            int d = argmax(dense, 0, 10);
            int p = argmax(pooled, i * 10, 10);
            String[] fields = lines.get(i + 1).split(",");
            agree += d == p ? 1 : 0;
            pytorchAgree += p == Integer.parseInt(fields[4]) ? 1 : 0;
            denseCorrect += d == Integer.parseInt(fields[1]) ? 1 : 0;
            pooledCorrect += p == Integer.parseInt(fields[1]) ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "pytorch-gap at Q = 64, first %d test images: dense (2x2 map averaged) vs pooled net: top-1 "
                        + "agreement %d/%d, max |logit diff| %.3f, max |probability diff| %.3f; accuracy dense %d, pooled %d; "
                        + "ORT pooled vs PyTorch pooled top-1 %d/%d%n", n, agree, n, maxLogitDiff, maxProbDiff, denseCorrect, pooledCorrect,
                pytorchAgree, n);
        assertTrue(pytorchAgree >= n - 2, "ONNX Runtime runs the pooled net at Q = 64 as PyTorch did: " + pytorchAgree + "/" + n);
        assertTrue(maxLogitDiff > 0, "at Q = 64 the dense map and the pooled net are different nets");
    }

    static double[] softmax(float[] v, int from) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 10; c++) {
            max = Math.max(max, v[from + c]);
        }
        double[] e = new double[10];
        double sum = 0;
        for (int c = 0; c < 10; c++) {
            e[c] = Math.exp(v[from + c] - max);
            sum += e[c];
        }
        for (int c = 0; c < 10; c++) {
            e[c] /= sum;
        }
        return e;
    }

    @Test
    void ourOwnClassifierConvertsToOurOwnDenseForm() throws Exception {
        NetDescription net = NetDescription.builder().setConfig(Config.B).optWidth(1.0 / 16).optClasses(10).optCrop(64).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net).setClassNames(IntStream.range(0, 10).mapToObj(i -> "c" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {120, 115, 100})).build();
        OnnxExporter.Exported files = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 8), meta);
        Path out = tmp.resolve("converted.onnx");
        CliRun r = cli("convert", files.classifier().toString(), "-o", out.toString(), "--crop", "64", "--preprocessing", "caffe");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("FC1 as a 2x2 conv over 32 channels (crop 64)"), r.out());
        fullCheck(out);
        assertEquals(Preprocessing.caffe(), ModelMetadata.read(OnnxModels.load(out).proto()).preprocessing());
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = new float[3 * 96 * 160];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-100, 100);
        }
        TensorData in = TensorData.ofFloats("input", new long[] {1, 3, 96, 160}, x);
        Map<String, TensorData> a;
        Map<String, TensorData> b;
        try (ModelSession s = Sessions.open(out, Device.CPU, 1)) {
            a = s.run(Map.of("input", in));
        }
        try (ModelSession s = Sessions.open(files.dense(), Device.CPU, 1)) {
            b = s.run(Map.of("input", in));
        }
        for (String o : List.of("scores_map", "penultimate")) {
            assertArrayEquals(b.get(o).shape(), a.get(o).shape(), o);
            float[] p = a.get(o).toFloats();
            float[] q = b.get(o).toFloats();
            double maxRef = 0;
            double maxDiff = 0;
            for (int i = 0; i < p.length; i++) {
                maxRef = Math.max(maxRef, Math.abs(q[i]));
                maxDiff = Math.max(maxDiff, Math.abs(p[i] - q[i]));
            }
            assertTrue(maxRef > 0 && maxDiff / maxRef <= 1e-6, o + ": " + maxDiff / maxRef);
        }

        CliRun again = cli("convert", files.classifier().toString(), "-o", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("exists; pass --force"), again.err());
        assertEquals(0, cli("convert", files.classifier().toString(), "-o", out.toString(), "--force").code());
    }

    @Test
    void refusalsAreOneLineExitTwoAndWriteNothing() throws IOException {
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(1.0 / 16).optClasses(10).optCrop(32).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net).setClassNames(IntStream.range(0, 10).mapToObj(i -> "c" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {120, 115, 100})).build();
        OnnxExporter.Exported files = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 8), meta);
        Path out = tmp.resolve("never.onnx");

        CliRun dense = cli("convert", files.dense().toString(), "-o", out.toString());
        assertEquals(2, dense.code(), dense.out() + dense.err());
        assertEquals(1, dense.err().lines().count(), dense.err());
        assertTrue(dense.err().startsWith("verydeep convert: " + files.dense() + ": already the fully convolutional form"), dense.err());
        assertTrue(dense.err().contains("expected a classifier with an FC head"), dense.err());

        CliRun crop = cli("convert", files.classifier().toString(), "-o", out.toString(), "--crop", "64");
        assertEquals(2, crop.code());
        assertTrue(crop.err().contains("--crop 64") && crop.err().contains("crop 32"), crop.err());

        CliRun profile = cli("convert", files.classifier().toString(), "-o", out.toString(), "--preprocessing", "keras");
        assertEquals(2, profile.code());
        assertTrue(profile.err().contains("expected caffe or torchvision"), profile.err());

        Path classes = Files.write(tmp.resolve("three.txt"), List.of("a", "b", "c"));
        CliRun names = cli("convert", files.classifier().toString(), "-o", out.toString(), "--classes-file", classes.toString());
        assertEquals(2, names.code());
        assertTrue(names.err().contains("3 class names given for 10 classes"), names.err());

        Path junk = Files.write(tmp.resolve("junk.onnx"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        CliRun guard = cli("convert", junk.toString(), "-o", out.toString());
        assertEquals(2, guard.code());
        assertTrue(guard.err().contains("not an ONNX model"), guard.err());
        assertFalse(Files.exists(out), "nothing written on refusal");
    }
}
