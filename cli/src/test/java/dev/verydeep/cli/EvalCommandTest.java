package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.testing.TestEnvironment;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TrainScale;
import dev.verydeep.runtime.eval.EvalReport;
import dev.verydeep.runtime.eval.PosteriorSet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verydeep eval} and {@code verydeep fuse} end to end on random-weight nets and a small folder data set. */
class EvalCommandTest {
    @TempDir
    static Path tmp;
    static Path modelA;
    static Path modelB;
    static Path data;

    static Path export(String name, Config c, long seed) {
        return exportTo(tmp, name, c, seed);
    }

    /** A random-weight dense net (width 1/16, crop 32, 10 classes) exported into {@code dir/name}. */
    static Path exportTo(Path dir, String name, Config c, long seed) {
        NetDescription net = NetDescription.builder().setConfig(c).optWidth(1.0 / 16).optFcWidth(64).optClasses(10).optCrop(32).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net).setClassNames(FashionMnist.CLASS_NAMES)
                .setPreprocessing(Preprocessing.torchvision()).optTrainScale(TrainScale.jittered(37, 73)).build();
        return OnnxExporter.builder().build().export(dir.resolve(name), RandomWeights.of(net, seed), meta).dense();
    }

    @BeforeAll
    static void setUp() throws IOException {
        modelA = export("A", Config.A, 1);
        modelB = export("B", Config.B, 2);
        data = tmp.resolve("data");
        SplittableRandom r = new SplittableRandom(3);
        for (int c = 0; c < 10; c++) {
            Path d = Files.createDirectories(data.resolve(String.format("%02d", c)));
            for (int i = 0; i < 2; i++) {
                BufferedImage bi = new BufferedImage(30 + r.nextInt(20), 28 + r.nextInt(20), BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < bi.getHeight(); y++) {
                    for (int x = 0; x < bi.getWidth(); x++) {
                        bi.setRGB(x, y, r.nextInt(1 << 24));
                    }
                }
                ImageIO.write(bi, "png", d.resolve("img" + i + ".png").toFile());
            }
        }
        Files.writeString(data.resolve("03/zz-corrupt.jpg"), "this is not a JPEG");
    }

    @Test
    void evalWritesEverythingAndFuseMatchesLiveFusion() {
        String spec = "folder:" + data;
        Path ra = tmp.resolve("ra");
        Path rb = tmp.resolve("rb");
        Path rab = tmp.resolve("rab");
        CliRun a = cli("eval", "--model", modelA.toString(), "--data", spec, "--method", "both", "--scales", "32,40", "--flip",
                "--out", ra.toString(), "--threads", "1", "--no-progress");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("top-1") && a.out().contains("dense+flip & multi-crop"), a.out());
        assertTrue(a.out().contains("skipped 1 image"), a.out());
        for (String f : EvalReport.FILES) {
            assertTrue(Files.exists(ra.resolve(f)), f);
        }
        JsonNode j = Json.readTree(ra.resolve("results.json"));
        assertEquals(20, j.at("/dataset/evaluated").asInt());
        assertEquals(1, j.at("/dataset/skipped").asInt());
        assertEquals("03/zz-corrupt.jpg", j.at("/skipped/0/id").asText());
        assertTrue(j.at("/skipped/0/reason").asText().contains("zz-corrupt.jpg"));
        assertEquals(64, j.at("/models/0/sha256").asText().length());
        assertEquals(9, j.at("/rows").size());
        assertEquals(10, j.at("/per_class").size());
        assertTrue(j.at("/provenance/command").asText().startsWith("verydeep eval"));

        CliRun again = cli("eval", "--model", modelA.toString(), "--data", spec, "--scales", "32", "--out", ra.toString(), "--no-progress");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--force"), again.err());

        assertEquals(0, cli("eval", "--model", modelB.toString(), "--data", spec, "--method", "both", "--scales", "32,40", "--flip",
                "--out", rb.toString(), "--threads", "1", "--no-progress").code());
        CliRun ab = cli("eval", "--model", modelA + "," + modelB, "--data", spec, "--method", "both", "--scales", "32,40", "--flip",
                "--out", rab.toString(), "--threads", "1", "--no-progress");
        assertEquals(0, ab.code(), ab.err());
        Path rf = tmp.resolve("rf");
        CliRun fuse = cli("fuse", ra.toString(), rb.toString(), "--out", rf.toString());
        assertEquals(0, fuse.code(), fuse.err());

        float[] live = EvalReport.headline(PosteriorSet.read(rab.resolve(PosteriorSet.FILE)));
        float[] saved = EvalReport.fuse(List.of(PosteriorSet.read(ra.resolve(PosteriorSet.FILE)), PosteriorSet.read(rb.resolve(PosteriorSet.FILE))),
                List.of("ra", "rb")).fused();
        assertArrayEquals(live, saved, 1e-6f);
        JsonNode jl = Json.readTree(rab.resolve("results.json"));
        JsonNode jf = Json.readTree(rf.resolve("results.json"));
        assertEquals(jl.at("/headline/top1_error").asDouble(), jf.at("/headline/top1_error").asDouble(), 1e-12);
        assertEquals(jl.at("/headline/top5_error").asDouble(), jf.at("/headline/top5_error").asDouble(), 1e-12);
        assertEquals("A w0.0625+B w0.0625", jf.at("/headline/config").asText());
    }

    /**
     * The folder data set again as ImageNet validation data, in both layouts, with a synset list whose order is not
     * the folders' name order: the same images with the same labels must give the same posteriors and errors.
     */
    @Test
    void imagenetLayoutsGiveTheSameLabelsAsTheFolderDataSet() throws IOException {
        Path synsets = tmp.resolve("synsets.txt");
        Path perSynset = tmp.resolve("imagenet-train");
        Path flat = tmp.resolve("imagenet-val");
        Files.createDirectories(flat);
        StringBuilder list = new StringBuilder();
        StringBuilder valTxt = new StringBuilder();
        int n = 0;
        for (int c = 0; c < 10; c++) {
            String wnid = String.format("n%08d", 9 - c); // class c's wnid; the list is in reverse name order
            list.append(wnid).append(" class ").append(c).append('\n');
            Path d = Files.createDirectories(perSynset.resolve(wnid));
            for (int i = 0; i < 2; i++) {
                Path src = data.resolve(String.format("%02d/img%d.png", c, i));
                Files.copy(src, d.resolve("img" + i + ".png"));
                String name = String.format("ILSVRC2012_val_%08d.png", 20 - n++); // flat order differs from class order
                Files.copy(src, flat.resolve(name));
                valTxt.append(name).append(' ').append(c % 2 == 0 ? String.valueOf(c) : wnid).append('\n');
            }
        }
        Files.writeString(synsets, list);
        Path labels = Files.writeString(tmp.resolve("val.txt"), valTxt);
        Path ref = tmp.resolve("in-ref");
        Path byFolder = tmp.resolve("in-folders");
        Path byLabels = tmp.resolve("in-flat");
        String[] common = {"--model", modelA.toString(), "--scales", "32,40", "--flip", "--threads", "1", "--no-progress"};
        CliRun r0 = cli(concat(new String[] {"eval", "--data", "folder:" + data, "--out", ref.toString()}, common));
        assertEquals(0, r0.code(), r0.err());
        CliRun r1 = cli(concat(new String[] {"eval", "--data", "imagenet:" + perSynset, "--synsets", synsets.toString(), "--out",
                byFolder.toString()}, common));
        assertEquals(0, r1.code(), r1.err());
        CliRun r2 = cli(concat(new String[] {"eval", "--data", "imagenet:" + flat, "--synsets", synsets.toString(), "--labels",
                labels.toString(), "--out", byLabels.toString()}, common));
        assertEquals(0, r2.code(), r2.err());
        PosteriorSet p0 = PosteriorSet.read(ref.resolve(PosteriorSet.FILE));
        for (Path run : List.of(byFolder, byLabels)) {
            PosteriorSet p = PosteriorSet.read(run.resolve(PosteriorSet.FILE));
            assertEquals(20, p.images());
            // match images by content order: the folder set's image (c, i) is row 2c+i there and in per-synset
            // folders sorted by wnid reversed, so compare the multiset of (label, posterior) pairs
            assertEquals(sortedRows(p0), sortedRows(p), run.toString());
            JsonNode j0 = Json.readTree(ref.resolve("results.json"));
            JsonNode j = Json.readTree(run.resolve("results.json"));
            assertEquals(j0.at("/headline/top1_error").asDouble(), j.at("/headline/top1_error").asDouble(), 1e-12);
            assertEquals(j0.at("/headline/top5_error").asDouble(), j.at("/headline/top5_error").asDouble(), 1e-12);
        }
        // a bad ground truth is a one-line error naming the file and line
        Files.writeString(labels, "ILSVRC2012_val_00000001.png 10\n");
        CliRun bad = cli(concat(new String[] {"eval", "--data", "imagenet:" + flat, "--synsets", synsets.toString(), "--labels",
                labels.toString(), "--out", tmp.resolve("in-bad").toString()}, common));
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.err().contains("val.txt line 1: label 10 out of range 0-9"), bad.err());
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Each image's label and dense posteriors, as sorted text (independent of the image order). */
    static List<String> sortedRows(PosteriorSet p) {
        float[] post = p.model(0);
        int k = p.classes();
        return IntStream.range(0, p.images()).mapToObj(i -> p.labels()[i] + ":" + java.util.Arrays.toString(
                java.util.Arrays.copyOfRange(post, i * k, (i + 1) * k))).sorted().toList();
    }

    @Test
    void cudaFallsBackWithTheReasonInResults() {
        TestEnvironment.skipUnless(!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "CUDA build of ONNX Runtime: a CUDA request does not fall back to the CPU there");
        Path out = tmp.resolve("cuda");
        CliRun r = cli("eval", "--model", modelA.toString(), "--data", "folder:" + data, "--scales", "32", "--device", "cuda",
                "--out", out.toString(), "--threads", "1", "--no-progress");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("cuda:0 requested but unavailable"), r.out());
        JsonNode j = Json.readTree(out.resolve("results.json"));
        assertEquals("cuda:0", j.at("/models/0/device/requested").asText());
        assertEquals("cpu", j.at("/models/0/device/used").asText());
        assertTrue(!j.at("/models/0/device/fallback_reason").asText().isBlank());
        CliRun strict = cli("eval", "--model", modelA.toString(), "--data", "folder:" + data, "--scales", "32", "--device", "cuda",
                "--strict", "--out", tmp.resolve("cuda-strict").toString(), "--no-progress");
        assertEquals(2, strict.code());
        assertTrue(strict.err().contains("CUDA requested but unavailable"), strict.err());
    }

    @Test
    void badFlagsAreOneLineErrors() {
        CliRun q = cli("eval", "--model", modelA.toString(), "--data", "folder:" + data, "--scales", "28", "--out", tmp.resolve("x").toString());
        assertEquals(2, q.code());
        assertTrue(q.err().contains("--scales") && q.err().contains("crop 32"), q.err());
        CliRun m = cli("eval", "--model", modelA.toString(), "--data", "folder:" + data, "--method", "centre", "--scales", "32");
        assertEquals(2, m.code());
        assertTrue(m.err().contains("dense, multicrop or both"), m.err());
        CliRun f = cli("fuse", tmp.resolve("nope").toString(), tmp.resolve("nope2").toString());
        assertEquals(2, f.code());
        assertTrue(f.err().contains("nope"), f.err());
    }

    @Test
    void fashionMnistTestWithLimitAndDefaultScales() {
        TestEnvironment.requireFashionMnist(FashionMnist.Split.TEST);
        Path out = tmp.resolve("fm");
        CliRun r = cli("eval", "--model", modelA.toString(), "--data", "fashion-mnist:test", "--limit", "200", "--out", out.toString(),
                "--threads", "1", "--no-progress");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.readTree(out.resolve("results.json"));
        assertEquals(200, j.at("/dataset/evaluated").asInt());
        // jittered [37;73]: Q in {37, 55, 73}
        assertEquals("[37,55,73]", j.at("/settings/scales").toString());
        assertEquals("37,55,73", j.at("/headline/test_scales").asText());
        assertTrue(IntStream.range(0, 4).allMatch(i -> j.at("/rows/" + i + "/images").asInt() == 200));
    }
}
