package dev.verydeep.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.io.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the real files (Debian package dataset-fashion-mnist, installed by bin/install-test-deps, or $VERYDEEP_FASHION_MNIST). */
class FashionMnistTest {
    private static final Path DIR = FashionMnist.defaultDir();

    @TempDir
    Path tmp;

    private static double planeSum(RgbImage img, int c) {
        int plane = img.width() * img.height();
        double s = 0;
        for (int i = 0; i < plane; i++) {
            s += img.data()[c * plane + i];
        }
        return s;
    }

    @Test
    void trainingSplit() {
        FashionMnist train = FashionMnist.open(DIR, FashionMnist.Split.TRAIN);
        assertEquals(60000, train.size());
        assertEquals(9, train.label(0));
        assertEquals("Ankle boot", train.classNames().get(train.label(0)));
        assertEquals(0, train.label(1)); // T-shirt/top
        RgbImage first = train.image(0);
        assertEquals(28, first.width());
        assertEquals(28, first.height());
        for (int c = 0; c < 3; c++) {
            assertEquals(76247, planeSum(first, c)); // sum of the 784 bytes of image 0 (computed with Python's gzip)
        }
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, train.classCounts());
        assertEquals("train/123", train.id(123));
        assertEquals("fashion-mnist:train (60000 images, " + DIR + ")", train.describe());
        assertEquals(60000 * 784, train.pixels().length);
    }

    @Test
    void testSplit() {
        FashionMnist test = FashionMnist.open(DIR, FashionMnist.Split.TEST);
        assertEquals(10000, test.size());
        assertEquals(9, test.label(0));
        assertEquals(2, test.label(1)); // Pullover
        assertEquals(33456, planeSum(test.image(0), 1));
        assertEquals("test/9999", test.id(9999));
        assertEquals(java.util.List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot"), test.classNames());
    }

    @Test
    void pinnedChecksumsMatchTheInstalledFiles() {
        for (String name : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz"}) {
            assertEquals(FashionMnist.SHA256.get(name), Hashes.sha256(DIR.resolve(name)), name);
        }
    }

    private static byte[] gunzip(Path f) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            return in.readAllBytes();
        }
    }

    @Test
    void unpackedFilesAreVerifiedToo() throws IOException {
        Files.write(tmp.resolve("t10k-images-idx3-ubyte"), gunzip(DIR.resolve("t10k-images-idx3-ubyte.gz")));
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), gunzip(DIR.resolve("t10k-labels-idx1-ubyte.gz")));
        FashionMnist test = FashionMnist.open(tmp, FashionMnist.Split.TEST);
        assertEquals(10000, test.size());
        assertEquals(33456, planeSum(test.image(0), 2));
    }

    @Test
    void aDifferentFileFailsVerificationUnlessVerificationIsOff() throws IOException {
        Files.copy(DIR.resolve("t10k-images-idx3-ubyte.gz"), tmp.resolve("t10k-images-idx3-ubyte.gz"));
        byte[] labels = gunzip(DIR.resolve("t10k-labels-idx1-ubyte.gz"));
        labels[8] = 3; // first label 9 -> 3
        Path f = Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), labels);
        UserException e = assertThrows(UserException.class, () -> FashionMnist.open(tmp, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().startsWith(f + ": SHA-256 "), e.getMessage());
        assertTrue(e.getMessage().contains(Hashes.sha256(f)), e.getMessage());
        assertTrue(e.getMessage().contains("does not match Fashion-MNIST's 0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
                e.getMessage());
        FashionMnist unchecked = FashionMnist.open(tmp, FashionMnist.Split.TEST, false);
        assertEquals(3, unchecked.label(0));
    }

    @Test
    void missingFilesSayHowToGetThem() throws IOException {
        Path none = tmp.resolve("nowhere");
        UserException e = assertThrows(UserException.class, () -> FashionMnist.open(none, FashionMnist.Split.TRAIN));
        assertEquals("Fashion-MNIST not found in " + none + " (expected train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz): "
                + "install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass fashion-mnist:DIR",
                e.getMessage());
        Files.copy(DIR.resolve("t10k-labels-idx1-ubyte.gz"), tmp.resolve("t10k-labels-idx1-ubyte.gz"));
        e = assertThrows(UserException.class, () -> FashionMnist.open(tmp, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST not found in " + tmp + " (expected t10k-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void mismatchedCountsAreReported() throws IOException {
        Files.write(tmp.resolve("t10k-images-idx3-ubyte"), IdxReaderTest.idx(0x803, new int[] {2, 28, 28}, new byte[2 * 784]));
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), IdxReaderTest.idx(0x801, new int[] {3}, new byte[3]));
        UserException e = assertThrows(UserException.class, () -> FashionMnist.open(tmp, FashionMnist.Split.TEST, false));
        assertTrue(e.getMessage().endsWith("holds 2 images but " + tmp.resolve("t10k-labels-idx1-ubyte") + " holds 3 labels"), e.getMessage());
    }

    @Test
    void defaultDirIsTheEnvironmentVariableOrTheDebianPackage() {
        String env = System.getenv(FashionMnist.DIR_ENV);
        assertEquals(env == null || env.isBlank() ? Path.of("/usr/share/datasets/fashion-mnist") : Path.of(env), FashionMnist.defaultDir());
    }
}
