package dev.verydeep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.testing.TransformedSource;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.runtime.eval.Method;
import dev.verydeep.runtime.eval.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API on the PyTorch-trained fixture (golden-data pytorch-fashion): converted from the class path, evaluated with
 * its stated preprocessing through an {@link ImageSource} of the test's own, it gives PyTorch's prediction on every
 * image of the shipped Fashion-MNIST sample except near-ties; a data spec, several methods, fusion, the results.json
 * content and the files; refusals.
 */
class ProtocolTest {
    static final String FIXTURE = "/dev/verydeep/golden/pytorch-fashion/";
    static final double NEAR_TIE = 1e-5;
    static Model vgg;

    @TempDir
    Path tmp;

    @BeforeAll
    static void convert() {
        vgg = Model.convert(ProtocolTest.class.getResource(FIXTURE + "vgg-fashion.onnx")).setCrop(64)
                .optPreprocessing(Preprocessing.torchvision()).optClassNames(DatasetSpec.parse("fashion-mnist-sample:test").open().classNames())
                .build();
    }

    /** The fixture's training geometry (its summary.properties): 28x28 grey, 2x pixel repetition, pasted at (4, 4) on 64x64 zeros. */
    static ImageSource pasted(ImageSource in) {
        return new TransformedSource(in, (i, small) -> paste(small), "2x nearest-neighbour pasted at (4,4) on 64x64");
    }

    static RgbImage paste(RgbImage small) {
        float[] out = new float[3 * 64 * 64];
        for (int c = 0; c < 3; c++) {
            for (int y = 4; y < 60; y++) {
                for (int x = 4; x < 60; x++) {
                    out[(c * 64 + y) * 64 + x] = small.get(c, (y - 4) / 2, (x - 4) / 2);
                }
            }
        }
        return new RgbImage(64, 64, out);
    }

    @Test
    void statedPreprocessingReproducesPytorchOnTheShippedSample() throws IOException {
        ImageSource sample = DatasetSpec.parse("fashion-mnist-sample:test").open();
        Result r = Protocol.builder().setModels(vgg).setData(pasted(sample)).setMethod(Method.DENSE).setScales(64).optThreads(1)
                .build().evaluate();
        assertEquals(500, r.images());
        List<String> csv;
        try (InputStream in = ProtocolTest.class.getResourceAsStream(FIXTURE + "predictions.csv")) {
            csv = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
        JsonNode indices = Json.readTree(dev.verydeep.core.data.FashionMnistSample.dir().resolve("sample.json")).at("/made/test/indices");
        float[] post = r.posteriors().model(0);
        int pytorchWrong = 0;
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < r.images(); i++) {
            String[] f = csv.get(indices.get(i).asInt() + 1).split(",");
            assertEquals(sample.label(i), Integer.parseInt(f[1]), "label of sample image " + i);
            int torch = Integer.parseInt(f[2]);
            pytorchWrong += torch != sample.label(i) ? 1 : 0;
            int ours = Metrics.predict(post, i, 10);
            if (ours != torch) {
                disagreements.add("image " + i + ": ours " + ours + ", PyTorch " + torch + " (margin " + f[3] + ")");
                assertTrue(Double.parseDouble(f[3].trim()) < NEAR_TIE, disagreements.get(disagreements.size() - 1));
            }
        }
        System.out.printf("pytorch-fashion on the sample through the API: top-1 error %.4f, PyTorch %.4f; %d near-tie disagreements %s%n",
                r.top1Error(), pytorchWrong / 500.0, disagreements.size(), disagreements);
        if (disagreements.isEmpty()) {
            assertEquals(pytorchWrong / 500.0, r.top1Error(), 0);
        }
    }

    @Test
    void aSpecSeveralMethodsFusionAndTheResultsFile() {
        Protocol p = Protocol.builder().setModels(vgg, vgg).setData("fashion-mnist-sample:test").optLimit(40).setMethod(Method.BOTH)
                .setScales(64, 72).optFlip(true).optThreads(1).build();
        assertTrue(p.command().matches("verydeep eval --model \\S+,\\S+ --data fashion-mnist-sample:test --limit 40 --method both "
                + "--scales 64,72 --flip --threads 1 --batch 64"), p.command());
        Result r = p.evaluate();
        assertEquals(40, r.images());
        // per net: dense, multi-crop, both x (64, 72, multi-scale) = 9 rows; twice, then the fusion's 9
        assertEquals(27, r.rows().size());
        assertEquals("dense+flip & multi-crop", r.headline().method());
        JsonNode j = r.json();
        assertEquals(r.top1Error(), j.at("/headline/top1_error").asDouble(), 0);
        assertEquals(r.top5Error(), j.at("/headline/top5_error").asDouble(), 0);
        assertEquals(40, j.at("/dataset/images").asInt());
        assertEquals(p.command(), j.at("/provenance/command").asText());
        assertTrue(j.at("/provenance/versions/onnxruntime").asText().matches("\\d+\\.\\d+\\.\\d+"), j.at("/provenance/versions").toString());
        Map<String, Double> perClass = r.perClassTop1Error();
        assertEquals(10, perClass.size());
        double errors = 0;
        for (int c = 0; c < 10; c++) {
            errors += r.metrics().classErrors()[c];
        }
        assertEquals(r.metrics().top1Errors(), errors, 0);
        // fusing a net with itself changes nothing
        assertEquals(r.rows().get(8).metrics().top1(), r.top1Error(), 0);

        Path dir = r.write(tmp.resolve("eval"));
        for (String f : List.of("results.json", "posteriors.bin", "confusion.png", "table.txt")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertEquals(r.top1Error(), Json.readTree(dir.resolve("results.json")).at("/headline/top1_error").asDouble(), 0);
    }

    @Test
    void refusalsNameTheProblem() throws IOException {
        Path raw = tmp.resolve("vgg-fashion.onnx");
        try (InputStream in = ProtocolTest.class.getResourceAsStream(FIXTURE + "vgg-fashion.onnx")) {
            Files.copy(in, raw);
        }
        UserException e = assertThrows(UserException.class, () -> Model.open(raw));
        assertTrue(e.getMessage().contains("no verydeep metadata") && e.getMessage().contains("Model.convert"), e.getMessage());
        e = assertThrows(UserException.class, () -> Model.convert(ProtocolTest.class.getResource(FIXTURE + "vgg-fashion.onnx")).build());
        assertTrue(e.getMessage().contains("needs the classifier's crop"), e.getMessage());
        e = assertThrows(UserException.class, () -> Model.convert(ProtocolTest.class.getResource(FIXTURE + "vgg-fashion.onnx")).setCrop(60).build());
        assertTrue(e.getMessage().contains("crop 60 is not a positive multiple of 32"), e.getMessage());
        e = assertThrows(UserException.class, () -> Protocol.builder().setData("fashion-mnist:test").setMethod(Method.DENSE).setScales(64).build());
        assertTrue(e.getMessage().contains("no model"), e.getMessage());
        e = assertThrows(UserException.class, () -> Protocol.builder().setModels(vgg).setMethod(Method.DENSE).setScales(64).build());
        assertTrue(e.getMessage().contains("no data"), e.getMessage());
        e = assertThrows(UserException.class, () -> Protocol.builder().setModels(vgg).setData("mnist:x").setMethod(Method.DENSE).setScales(64).build());
        assertTrue(e.getMessage().contains("valid forms"), e.getMessage());
        e = assertThrows(UserException.class, () -> Protocol.builder().setModels(vgg).setData("fashion-mnist:test").setScales(64).build());
        assertTrue(e.getMessage().contains("method"), e.getMessage());
        e = assertThrows(UserException.class,
                () -> Protocol.builder().setModels(vgg).setData("fashion-mnist-sample:test").setMethod(Method.DENSE).setScales(32).build().evaluate());
        assertTrue(e.getMessage().contains("Q=32 is smaller than the crop 64"), e.getMessage());
    }
}
