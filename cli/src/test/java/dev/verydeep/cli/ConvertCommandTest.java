package dev.verydeep.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.io.PrintWriter;
import java.io.StringWriter;
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
 * {@code verydeep convert} through {@link Main#run}: the real "trained elsewhere" fixture (golden-data
 * pytorch-fashion, made by {@code golden-data/scripts/make_pytorch_fashion.py}) converted and run in ONNX
 * Runtime over all 10,000 Fashion-MNIST test images must give PyTorch's prediction on every image except
 * near-ties (top two logits within {@value #NEAR_TIE} in PyTorch, listed) and PyTorch's accuracy to the last
 * digit; plus our own classifier converted equals our own dense export, refusals, and python3-onnx's full
 * check on every file written.
 */
class ConvertCommandTest {
    static final String FIXTURE = "/dev/verydeep/golden/pytorch-fashion/";
    static final double NEAR_TIE = 1e-5;

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    Path resource(String name) throws IOException {
        try (InputStream in = ConvertCommandTest.class.getResourceAsStream(FIXTURE + name)) {
            assertNotNull(in, "missing golden-data resource " + FIXTURE + name);
            Path p = tmp.resolve("fixture").resolve(name);
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
     * The script's preprocessing, in float32 as PyTorch did it: 28x28 grey, 2x pixel repetition to 56x56, pasted at
     * (4, 4) on a 64x64 canvas of 0s, to R, G, B, then pixel / 255 and (x - mean) / std of the file's profile.
     */
    static float[] preprocess(byte[] pixels, int first, int n, Preprocessing p) {
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = (float) p.meanRgb()[c];
            std[c] = (float) p.stdRgb()[c];
        }
        float top = (float) p.valueMax();
        float[] x = new float[n * 3 * 64 * 64];
        for (int i = 0; i < n; i++) {
            int img = (first + i) * 28 * 28;
            for (int y = 0; y < 64; y++) {
                for (int xx = 0; xx < 64; xx++) {
                    boolean inside = y >= 4 && y < 60 && xx >= 4 && xx < 60;
                    int v = inside ? pixels[img + ((y - 4) / 2) * 28 + (xx - 4) / 2] & 0xff : 0;
                    float f = (float) v / 255f * top;
                    for (int c = 0; c < 3; c++) {
                        x[((i * 3 + c) * 64 + y) * 64 + xx] = (f - mean[c]) / std[c];
                    }
                }
            }
        }
        return x;
    }

    @Test
    void pytorchFixtureConvertedReproducesPytorchOnEveryTestImage() throws Exception {
        Path src = resource("vgg-fashion.onnx");
        Path csv = resource("predictions.csv");
        Properties summary = new Properties();
        try (InputStream in = Files.newInputStream(resource("summary.properties"))) {
            summary.load(in);
        }
        Path classes = Files.write(tmp.resolve("classes.txt"), FashionMnist.CLASS_NAMES);
        Path out = tmp.resolve("out/vgg-fashion-dense.onnx");
        Result r = cli("convert", src.toString(), "-o", out.toString(), "--crop", "64", "--preprocessing", "torchvision",
                "--classes-file", classes.toString());
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("head: MaxPool -> AveragePool(1x1, removed) -> Flatten -> Gemm(transB=1) -> Relu -> Gemm(transB=1) "
                + "-> Relu -> Gemm(transB=1)"), r.out);
        fullCheck(out);
        ModelMetadata meta = ModelMetadata.read(OnnxModels.load(out).proto());
        assertEquals(64, meta.crop());
        assertEquals(Preprocessing.torchvision(), meta.preprocessing());
        assertEquals("torchvision", summary.getProperty("preprocessing.profile"));
        assertEquals(FashionMnist.CLASS_NAMES, meta.classNames());

        List<String> lines = Files.readAllLines(csv);
        assertEquals("index,label,pytorch_top1,top1_minus_top2_logit", lines.get(0));
        FashionMnist test = FashionMnist.open(FashionMnist.defaultDir(), FashionMnist.Split.TEST);
        assertEquals(10_000, test.size());
        assertEquals(test.size(), lines.size() - 1);
        byte[] pixels = test.pixels();
        int correct = 0;
        List<String> disagreements = new ArrayList<>();
        List<String> nearTies = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ModelSession s = Sessions.open(out, Device.CPU, 2)) {
            int batch = 500;
            for (int start = 0; start < test.size(); start += batch) {
                int n = Math.min(batch, test.size() - start);
                TensorData x = TensorData.ofFloats("input", new long[] {n, 3, 64, 64}, preprocess(pixels, start, n, meta.preprocessing()));
                TensorData scores = s.run(Map.of("input", x)).get("scores_map");
                assertArrayEquals(new long[] {n, 10, 1, 1}, scores.shape());
                float[] v = scores.toFloats();
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int c = 1; c < 10; c++) {
                        if (v[i * 10 + c] > v[i * 10 + best]) {
                            best = c;
                        }
                    }
                    String[] f = lines.get(start + i + 1).split(",");
                    assertEquals(start + i, Integer.parseInt(f[0]));
                    assertEquals(test.label(start + i), Integer.parseInt(f[1]), "label of test image " + (start + i));
                    double margin = Double.parseDouble(f[3]);
                    if (margin < NEAR_TIE) {
                        nearTies.add((start + i) + " (margin " + f[3] + ")");
                    }
                    if (best != Integer.parseInt(f[2])) {
                        disagreements.add(String.format(Locale.ROOT, "image %d: ORT %d, PyTorch %s, PyTorch margin %s", start + i, best,
                                f[2], f[3]));
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
        System.out.printf(Locale.ROOT, "pytorch-fashion: ORT after convert %d/%d = %s (PyTorch %s/%s = %s); %d disagreements %s; "
                        + "near-ties in PyTorch %s; %.1f s%n", correct, test.size(), accuracy, summary.getProperty("test.correct"),
                summary.getProperty("test.images"), summary.getProperty("test.accuracy"), disagreements.size(), disagreements, nearTies,
                seconds);
        assertEquals(summary.getProperty("test.accuracy"), accuracy, "accuracy to the last digit");
        if (disagreements.isEmpty()) {
            assertEquals(Integer.parseInt(summary.getProperty("test.correct")), correct);
        }
    }

    @Test
    void ourOwnClassifierConvertsToOurOwnDenseForm() throws Exception {
        NetDescription net = NetDescription.builder().setConfig(Config.B).optWidth(1.0 / 16).optClasses(10).optCrop(64).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net).setClassNames(IntStream.range(0, 10).mapToObj(i -> "c" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {120, 115, 100})).build();
        OnnxExporter.Exported files = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 8), meta);
        Path out = tmp.resolve("converted.onnx");
        Result r = cli("convert", files.classifier().toString(), "-o", out.toString(), "--crop", "64", "--preprocessing", "caffe");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("FC1 as a 2x2 conv over 32 channels (crop 64)"), r.out);
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

        Result again = cli("convert", files.classifier().toString(), "-o", out.toString());
        assertEquals(2, again.code);
        assertTrue(again.err.contains("exists; pass --force"), again.err);
        assertEquals(0, cli("convert", files.classifier().toString(), "-o", out.toString(), "--force").code);
    }

    @Test
    void refusalsAreOneLineExitTwoAndWriteNothing() throws IOException {
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(1.0 / 16).optClasses(10).optCrop(32).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net).setClassNames(IntStream.range(0, 10).mapToObj(i -> "c" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {120, 115, 100})).build();
        OnnxExporter.Exported files = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 8), meta);
        Path out = tmp.resolve("never.onnx");

        Result dense = cli("convert", files.dense().toString(), "-o", out.toString());
        assertEquals(2, dense.code, dense.out + dense.err);
        assertEquals(1, dense.err.lines().count(), dense.err);
        assertTrue(dense.err.startsWith("verydeep convert: " + files.dense() + ": already the fully convolutional form"), dense.err);
        assertTrue(dense.err.contains("expected a classifier with an FC head"), dense.err);

        Result crop = cli("convert", files.classifier().toString(), "-o", out.toString(), "--crop", "64");
        assertEquals(2, crop.code);
        assertTrue(crop.err.contains("--crop 64") && crop.err.contains("crop 32"), crop.err);

        Result profile = cli("convert", files.classifier().toString(), "-o", out.toString(), "--preprocessing", "keras");
        assertEquals(2, profile.code);
        assertTrue(profile.err.contains("expected caffe or torchvision"), profile.err);

        Path classes = Files.write(tmp.resolve("three.txt"), List.of("a", "b", "c"));
        Result names = cli("convert", files.classifier().toString(), "-o", out.toString(), "--classes-file", classes.toString());
        assertEquals(2, names.code);
        assertTrue(names.err.contains("3 class names given for 10 classes"), names.err);

        Path junk = Files.write(tmp.resolve("junk.onnx"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        Result guard = cli("convert", junk.toString(), "-o", out.toString());
        assertEquals(2, guard.code);
        assertTrue(guard.err.contains("not an ONNX model"), guard.err);
        assertFalse(Files.exists(out), "nothing written on refusal");
    }
}
