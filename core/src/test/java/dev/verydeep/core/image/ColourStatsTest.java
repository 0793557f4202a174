package dev.verydeep.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verydeep.core.testing.FakeImageSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ColourStatsTest {
    static List<RgbImage> randomImages(int n, long seed) {
        Random rnd = new Random(seed);
        List<RgbImage> images = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int w = 1 + rnd.nextInt(9);
            int h = 1 + rnd.nextInt(9);
            float[] d = new float[3 * w * h];
            for (int i = 0; i < w * h; i++) {
                // Correlated channels: G follows R, B is partly independent.
                float r = rnd.nextInt(256);
                d[i] = r;
                d[w * h + i] = Math.min(255, Math.max(0, 0.8f * r + rnd.nextInt(40)));
                d[2 * w * h + i] = rnd.nextInt(256) * 0.5f + 0.25f * r;
            }
            images.add(new RgbImage(w, h, d));
        }
        return images;
    }

    /** Two-pass mean and covariance straight from the definition. */
    static double[][] reference(List<RgbImage> images) {
        double[] sum = new double[3];
        long count = 0;
        for (RgbImage img : images) {
            int plane = img.width() * img.height();
            for (int i = 0; i < plane; i++) {
                for (int c = 0; c < 3; c++) {
                    sum[c] += img.data()[c * plane + i];
                }
            }
            count += plane;
        }
        double[] mean = {sum[0] / count, sum[1] / count, sum[2] / count};
        double[][] out = new double[4][3];
        out[0] = mean;
        for (RgbImage img : images) {
            int plane = img.width() * img.height();
            for (int i = 0; i < plane; i++) {
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        out[1 + a][b] += (img.data()[a * plane + i] - mean[a]) * (img.data()[b * plane + i] - mean[b]) / count;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void meanAndCovarianceOverAllPixels() {
        List<RgbImage> images = randomImages(50, 1);
        ColourStats s = ColourStats.compute(FakeImageSource.of(images), 1000, 7);
        double[][] ref = reference(images);
        assertArrayEquals(ref[0], s.mean(), 1e-9);
        for (int a = 0; a < 3; a++) {
            assertArrayEquals(ref[1 + a], s.covariance()[a], 1e-7);
        }
        // Eigen-pairs of the covariance.
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                double av = 0;
                for (int k = 0; k < 3; k++) {
                    av += s.covariance()[i][k] * s.eigenvectors()[k][j];
                }
                assertEquals(s.eigenvalues()[j] * s.eigenvectors()[i][j], av, 1e-7);
            }
        }
    }

    @Test
    void sampleIsSeededAndSmaller() {
        List<RgbImage> images = randomImages(40, 2);
        FakeImageSource src = FakeImageSource.of(images);
        ColourStats a = ColourStats.compute(src, 10, 5);
        ColourStats b = ColourStats.compute(src, 10, 5);
        ColourStats c = ColourStats.compute(src, 10, 6);
        assertArrayEquals(a.mean(), b.mean(), 0);
        assertNotEquals(a.mean()[0], c.mean()[0]);
        int[] chosen = ColourStats.sample(40, 10, 5);
        assertEquals(10, chosen.length);
        assertArrayEquals(reference(java.util.Arrays.stream(chosen).mapToObj(images::get).toList())[0], a.mean(), 1e-9);
    }

    @Test
    void greyImagesGiveARankOneCovariance() {
        List<RgbImage> images = new ArrayList<>();
        for (RgbImage img : randomImages(5, 3)) {
            float[] d = img.data().clone();
            int plane = img.width() * img.height();
            System.arraycopy(d, 0, d, plane, plane);
            System.arraycopy(d, 0, d, 2 * plane, plane);
            images.add(new RgbImage(img.width(), img.height(), d));
        }
        ColourStats s = ColourStats.compute(FakeImageSource.of(images), 100, 0);
        double v = s.covariance()[0][0];
        assertEquals(3 * v, s.eigenvalues()[0], 1e-6 * v);
        assertEquals(0, s.eigenvalues()[1], 1e-6 * v);
        assertEquals(0, s.eigenvalues()[2], 1e-6 * v);
        assertEquals(1 / Math.sqrt(3), s.eigenvectors()[1][0], 1e-9);
    }

    @Test
    void jsonRoundTrip() throws Exception {
        ColourStats s = ColourStats.compute(FakeImageSource.of(randomImages(5, 4)), 5, 0);
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(s);
        ColourStats back = json.readValue(text, ColourStats.class);
        assertArrayEquals(s.mean(), back.mean(), 0);
        assertArrayEquals(s.eigenvalues(), back.eigenvalues(), 0);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(s.covariance()[i], back.covariance()[i], 0);
            assertArrayEquals(s.eigenvectors()[i], back.eigenvectors()[i], 0);
        }
        assertEquals(List.of("covariance", "eigenvalues", "eigenvectors", "mean"),
                iterable(json.readTree(text).fieldNames()).stream().sorted().toList());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
