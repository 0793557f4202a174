package dev.verydeep.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.testing.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Fashion-MNIST sample shipped in golden-data, and the fall-back to it when the full set is absent. */
class FashionMnistSampleTest {
    @TempDir
    Path tmp;

    @Test
    void shippedSampleIsStratifiedAndVerified() {
        FashionMnist train = (FashionMnist) DatasetSpec.parse("fashion-mnist-sample").open();
        FashionMnist test = FashionMnistSample.open(FashionMnist.Split.TEST, "");
        assertEquals(1000, train.size());
        assertEquals(500, test.size());
        int[] hundred = new int[10];
        Arrays.fill(hundred, 100);
        assertArrayEquals(hundred, train.classCounts());
        int[] fifty = new int[10];
        Arrays.fill(fifty, 50);
        assertArrayEquals(fifty, test.classCounts());
        assertTrue(train.describe().startsWith("fashion-mnist-sample:train (1000 images, "), train.describe());
        assertEquals("1000 train + 500 test images, 100 + 50 per class, seed 1", FashionMnistSample.summary());
        // the recorded checksums are those of the files shipped
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) () -> FashionMnistSample.info().path("files").fields()) {
            assertEquals(e.getValue().path("sha256").asText(), Hashes.sha256(FashionMnistSample.dir().resolve(e.getKey())), e.getKey());
        }
    }

    @Test
    void sampleImagesAreTheRecordedImagesOfTheFullSet() {
        TestEnvironment.requireFashionMnist(FashionMnist.Split.TEST);
        FashionMnist full = FashionMnist.open(FashionMnist.defaultDir(), FashionMnist.Split.TEST);
        FashionMnist sample = FashionMnistSample.open(FashionMnist.Split.TEST, "");
        JsonNode indices = FashionMnistSample.info().path("made").path("test").path("indices");
        assertEquals(sample.size(), indices.size());
        for (int k = 0; k < sample.size(); k += 37) {
            int i = indices.get(k).asInt();
            assertEquals(full.label(i), sample.label(k));
            assertArrayEquals(full.image(i).data(), sample.image(k).data(), "sample image " + k + " = test image " + i);
        }
    }

    @Test
    void theRecordedCommandRemakesTheSameBytes() {
        TestEnvironment.requireFashionMnist(FashionMnist.Split.TRAIN);
        JsonNode made = FashionMnistSample.info().path("made");
        Path out = tmp.resolve("again");
        FashionMnistSample.write(FashionMnist.defaultDir(), out, made.path("train").path("perClass").asInt(),
                made.path("test").path("perClass").asInt(), made.path("seed").asLong(), made.path("command").asText());
        FashionMnistSample.info().path("files").fields().forEachRemaining(e ->
                assertEquals(e.getValue().path("sha256").asText(), Hashes.sha256(out.resolve(e.getKey())), e.getKey()));
    }

    @Test
    void plainSpecFallsBackToTheSampleWhenTheDefaultFolderIsEmpty() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("no-fashion-mnist"));
        String before = System.getProperty(FashionMnist.DIR_PROPERTY);
        System.setProperty(FashionMnist.DIR_PROPERTY, empty.toString());
        try {
            DatasetSpec spec = DatasetSpec.parse("fashion-mnist:test:classes=5-9");
            spec.check();
            ImageSource src = spec.open();
            assertEquals(250, src.size());
            assertTrue(src.describe().contains("fashion-mnist-sample:test (500 images"), src.describe());
            assertTrue(src.describe().contains("Fashion-MNIST not found in " + empty), src.describe());
            assertTrue(FashionMnist.defaultSource().startsWith("shipped sample fashion-mnist-sample"), FashionMnist.defaultSource());
            // a folder named explicitly never falls back
            UserException e = assertThrows(UserException.class, () -> DatasetSpec.parse("fashion-mnist:" + empty + ":test").open());
            assertTrue(e.getMessage().contains("Fashion-MNIST not found in " + empty), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(FashionMnist.DIR_PROPERTY);
            } else {
                System.setProperty(FashionMnist.DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void plainSpecReadsTheFullSetWhenPresent() {
        TestEnvironment.requireFashionMnist(FashionMnist.Split.TEST);
        ImageSource src = DatasetSpec.parse("fashion-mnist:test").open();
        assertEquals(10000, src.size());
        assertTrue(src.describe().startsWith("fashion-mnist:test (10000 images, "), src.describe());
        assertTrue(FashionMnist.defaultSource().startsWith("full data set in "), FashionMnist.defaultSource());
    }

    @Test
    void sampleSpecs() {
        assertEquals("fashion-mnist-sample:test", DatasetSpec.parse("fashion-mnist-sample:TEST").toString());
        assertEquals("fashion-mnist-sample:train:classes=0-4", DatasetSpec.parse("fashion-mnist-sample:classes=0-4").toString());
        assertEquals(DatasetSpec.parse("fashion-mnist-sample:train"), DatasetSpec.parse(DatasetSpec.parse("fashion-mnist-sample").toString()));
        assertTrue(DatasetSpec.parse("fashion-mnist-sample").sample());
        UserException e = assertThrows(UserException.class, () -> DatasetSpec.parse("fashion-mnist-sample:/data/fm"));
        assertTrue(e.getMessage().contains("only :train or :test"), e.getMessage());
    }

    @Test
    void damagedSampleFileIsReported() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("copy"));
        for (String f : new String[] {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(FashionMnistSample.dir().resolve(f), copy.resolve(f));
        }
        Map<String, String> wrong = Map.of("t10k-images-idx3-ubyte.gz", "00", "t10k-labels-idx1-ubyte.gz", "00");
        UserException e = assertThrows(UserException.class,
                () -> FashionMnist.open(copy, FashionMnist.Split.TEST, wrong, "fashion-mnist-sample", ""));
        assertTrue(e.getMessage().contains("does not match fashion-mnist-sample's 00 (a damaged sample"), e.getMessage());
    }
}
