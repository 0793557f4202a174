package dev.verydeep.transfer.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.Sessions;
import dev.verydeep.transfer.TestModels;
import dev.verydeep.transfer.make.FashionDatasets;
import dev.verydeep.transfer.metrics.AveragePrecision;
import dev.verydeep.transfer.protocol.TransferJob;
import dev.verydeep.transfer.store.DescriptorStore;
import dev.verydeep.transfer.svm.SvmSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractTransferTest {
    @TempDir
    static Path tmp;
    static Path modelA;
    static Path modelB;
    static Path caltech;
    static Path voc;

    @BeforeAll
    static void setUp() {
        modelA = TestModels.dense(tmp.resolve("a"), 1);
        modelB = TestModels.dense(tmp.resolve("b"), 2);
        FashionMnist test = FashionMnist.open(FashionMnist.defaultDir(), FashionMnist.Split.TEST);
        caltech = tmp.resolve("fashion-caltech");
        FashionDatasets.caltech(test, caltech, 14, 1);
        voc = tmp.resolve("fashion-voc");
        FashionDatasets.voc(test, voc, 32, 1);
    }

    static ExtractJob.Request caltechRequest(Path out, List<Integer> scales, Aggregate agg) {
        return new ExtractJob.Request(List.of(modelA), "caltech:" + caltech, null, scales, agg, out, 16, Device.CPU, 1, 2, null);
    }

    @Test
    void descriptorIsPooledFlippedAveragedAndNormalised() {
        try (ModelSession s = Sessions.open(modelA, Device.CPU, 1)) {
            Preprocessor pre = new Preprocessor(Preprocessing.trainingMean(new double[] {72, 72, 72}));
            RgbImage img = FashionMnist.open(FashionMnist.defaultDir(), FashionMnist.Split.TEST).image(3);
            try (Extractor avg = new Extractor(List.of(s, s), List.of(pre, pre), List.of(32, 48), Aggregate.AVERAGE, 1, 2);
                    Extractor stack = new Extractor(List.of(s), List.of(pre), List.of(32, 48), Aggregate.STACK, 1, 2);
                    Extractor one = new Extractor(List.of(s), List.of(pre), List.of(32), Aggregate.STACK, 1, 2)) {
                assertEquals(64, avg.dim());
                assertEquals(64, stack.dim());
                float[] a = avg.describe(img);
                float[] st = stack.describe(img);
                float[] o = one.describe(img);
                double n = 0;
                for (float v : a) {
                    n += v * v;
                    assertTrue(v >= 0, "pooled ReLU output is non-negative");
                }
                assertEquals(1, n, 1e-5);
                // Two identical nets stacked: both halves equal.
                assertArrayEquals(java.util.Arrays.copyOf(a, 32), java.util.Arrays.copyOfRange(a, 32, 64), 0f);
                // Stacking: the first scale's block is the single-scale descriptor up to normalisation.
                int big = 0;
                for (int k = 1; k < 32; k++) {
                    big = o[k] > o[big] ? k : big;
                }
                assertTrue(o[big] > 0, "some feature is active");
                double ratio = st[big] / o[big];
                for (int k = 0; k < 32; k++) {
                    assertEquals(o[k] * ratio, st[k], 1e-5);
                }
                // The mirror matters: a mirrored image gives the same descriptor (average of both).
                assertArrayEquals(o, one.describe(img.flipHorizontal()), 1e-5f);
            }
        }
    }

    @Test
    void interruptedExtractResumesToIdenticalBytes() throws IOException {
        Path full = tmp.resolve("feats-full");
        Path cut = tmp.resolve("feats-cut");
        ExtractJob.Summary f = ExtractJob.run(caltechRequest(full, List.of(32, 40), Aggregate.STACK), Map.of());
        assertEquals(70, f.images());
        assertEquals(5, f.chunks());
        ExtractJob.Summary first = ExtractJob.run(caltechRequest(cut, List.of(32, 40), Aggregate.STACK), Map.of(), 2);
        assertEquals(32, first.imagesComputed());
        UserException incomplete = assertThrows(UserException.class, () -> DescriptorStore.read(cut));
        assertTrue(incomplete.getMessage().contains("incomplete"), incomplete.getMessage());
        // A half-written chunk left by a crash is not trusted: corrupt chunk 1, it is recomputed.
        Files.write(cut.resolve("chunk-000001.f32"), new byte[] {1, 2, 3});
        ExtractJob.Summary second = ExtractJob.run(caltechRequest(cut, List.of(32, 40), Aggregate.STACK), Map.of());
        assertEquals(1, second.chunksSkipped());
        assertEquals(70 - 16, second.imagesComputed());
        for (int c = 0; c < 5; c++) {
            String name = String.format("chunk-%06d.f32", c);
            assertArrayEquals(Files.readAllBytes(full.resolve(name)), Files.readAllBytes(cut.resolve(name)), name);
        }
        // Nothing left to do on a third run.
        assertEquals(0, ExtractJob.run(caltechRequest(cut, List.of(32, 40), Aggregate.STACK), Map.of()).imagesComputed());
        // Other settings refuse to append.
        UserException e = assertThrows(UserException.class,
                () -> ExtractJob.run(caltechRequest(cut, List.of(32, 48), Aggregate.STACK), Map.of()));
        assertTrue(e.getMessage().contains("refusing to append") && e.getMessage().contains("scales"), e.getMessage());
        ExtractJob.Request otherModel = new ExtractJob.Request(List.of(modelB), "caltech:" + caltech, null, List.of(32, 40), Aggregate.STACK,
                cut, 16, Device.CPU, 1, 2, null);
        e = assertThrows(UserException.class, () -> ExtractJob.run(otherModel, Map.of()));
        assertTrue(e.getMessage().contains("models"), e.getMessage());

        TransferJob.Outcome out = TransferJob.run(DescriptorStore.read(cut), new TransferJob.Request(TransferJob.Protocol.CALTECH101, 2, 6, 5,
                null, null, null, SvmSettings.defaults().withCGrid(List.of(0.1, 10.0)), 1));
        double mcr = (Double) out.result().get("meanClassRecall");
        assertTrue(mcr >= 0 && mcr <= 1, "mean class recall " + mcr);
        assertEquals(2, ((List<?>) out.result().get("perSplit")).size());
        assertTrue(out.lines().get(out.lines().size() - 1).startsWith("mean class recall"), out.lines().toString());
        // Fewer images than the split asks for is a clear error.
        e = assertThrows(UserException.class, () -> TransferJob.run(DescriptorStore.read(cut), new TransferJob.Request(
                TransferJob.Protocol.CALTECH101, 1, 14, 5, null, null, null, SvmSettings.defaults(), 1)));
        assertTrue(e.getMessage().contains("fewer than 14"), e.getMessage());
    }

    @Test
    void scalesBelowTheCropAreRefused() {
        UserException e = assertThrows(UserException.class,
                () -> ExtractJob.run(caltechRequest(tmp.resolve("small"), List.of(16), Aggregate.AVERAGE), Map.of()));
        assertTrue(e.getMessage().contains("smaller than the crop 32"), e.getMessage());
    }

    @Test
    void vocEndToEndWithTwoNets() {
        Path out = tmp.resolve("feats-voc");
        ExtractJob.Request req = new ExtractJob.Request(List.of(modelA, modelB), "voc:" + voc, null, List.of(96, 128), Aggregate.AVERAGE,
                out, 8, Device.CPU, 1, 2, null);
        ExtractJob.Summary s = ExtractJob.run(req, Map.of("command", "test"));
        assertEquals(32, s.images());
        assertEquals(64, s.dim());
        assertTrue(s.imagesPerSecond() > 0 && s.sessionSeconds() <= s.seconds() * 1.01 + 0.05);
        DescriptorStore.Descriptors d = DescriptorStore.read(out);
        for (TransferJob.Protocol p : new TransferJob.Protocol[] {TransferJob.Protocol.VOC2007, TransferJob.Protocol.VOC2012}) {
            TransferJob.Outcome o = TransferJob.run(d, new TransferJob.Request(p, null, null, null, null, null, null,
                    SvmSettings.defaults().withCGrid(List.of(1.0)), 1));
            double map = (Double) o.result().get("mAP");
            assertTrue(map > 0 && map <= 1, p + " mAP " + map);
            assertEquals(p == TransferJob.Protocol.VOC2007 ? AveragePrecision.Method.VOC2007_11POINT.text()
                    : AveragePrecision.Method.VOC2010_AREA.text(), o.result().get("ap"));
            Map<?, ?> perClass = (Map<?, ?>) o.result().get("perClassAp");
            assertEquals(10, perClass.size());
            // the recorded decision values and truths give back each class's AP (the report draws PR curves from them)
            Map<?, ?> scores = (Map<?, ?>) o.result().get("testScores");
            assertEquals(perClass.keySet(), scores.keySet());
            AveragePrecision.Method method = p == TransferJob.Protocol.VOC2007 ? AveragePrecision.Method.VOC2007_11POINT
                    : AveragePrecision.Method.VOC2010_AREA;
            for (Object cls : perClass.keySet()) {
                Map<?, ?> one = (Map<?, ?>) scores.get(cls);
                List<?> score = (List<?>) one.get("score");
                List<?> truth = (List<?>) one.get("truth");
                assertEquals(o.result().get("testImages"), score.size());
                double ap = AveragePrecision.of(score.stream().mapToDouble(v -> ((Float) v).doubleValue()).toArray(),
                        truth.stream().mapToInt(v -> (Integer) v).toArray(), method);
                Double recorded = (Double) perClass.get(cls);
                if (recorded == null) {
                    assertTrue(Double.isNaN(ap), cls + ": no AP recorded but " + ap + " from the scores");
                } else {
                    assertEquals(recorded, ap, 1e-6, cls + ": AP from the recorded scores");
                }
            }
        }
        UserException e = assertThrows(UserException.class, () -> TransferJob.run(d, new TransferJob.Request(
                TransferJob.Protocol.CALTECH101, null, null, null, null, null, null, SvmSettings.defaults(), 1)));
        assertTrue(e.getMessage().contains("multi-label"), e.getMessage());
    }
}
