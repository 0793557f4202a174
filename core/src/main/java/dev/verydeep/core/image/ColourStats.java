package dev.verydeep.core.image;

import dev.verydeep.core.data.ImageSource;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Colour statistics of a training set, on pixel values 0..255: the mean RGB that the paper subtracts from every
 * pixel (its only preprocessing), and the covariance with its eigen-decomposition that AlexNet's PCA lighting
 * noise needs. A record so it is saved with a trained net as JSON (Jackson) and read back for evaluation.
 *
 * @param mean mean R, G, B
 * @param covariance 3x3 population covariance of (R, G, B) over all pixels
 * @param eigenvalues eigenvalues of {@code covariance}, descending
 * @param eigenvectors unit eigenvectors as columns: {@code eigenvectors[c][i]} is channel c of eigenvector i
 */
public record ColourStats(double[] mean, double[][] covariance, double[] eigenvalues, double[][] eigenvectors) {

    public ColourStats {
        if (mean == null || mean.length != 3 || eigenvalues == null || eigenvalues.length != 3
                || !is3x3(covariance) || !is3x3(eigenvectors)) {
            throw new IllegalArgumentException("colour stats need mean[3], covariance[3][3], eigenvalues[3], eigenvectors[3][3]");
        }
    }

    private static boolean is3x3(double[][] m) {
        return m != null && m.length == 3 && Arrays.stream(m).allMatch(r -> r != null && r.length == 3);
    }

    /** Stats from a mean and a covariance (decomposed here). */
    public static ColourStats of(double[] mean, double[][] covariance) {
        SymmetricEigen.Result e = SymmetricEigen.decompose(covariance);
        double[] values = e.values().clone();
        for (int i = 0; i < 3; i++) {
            // A covariance is positive semi-definite; rounding can leave -1e-13 for a zero eigenvalue.
            values[i] = Math.max(0, values[i]);
        }
        return new ColourStats(mean.clone(), new double[][] {covariance[0].clone(), covariance[1].clone(), covariance[2].clone()},
                values, e.vectors());
    }

    /**
     * Computes the stats over every pixel of {@code maxImages} images of {@code src} (all of them when
     * {@code maxImages >= src.size()}, else a sample without replacement drawn with {@code new Random(seed)}).
     * Images are decoded in parallel but summed in index order, so the result is the same on every run.
     */
    public static ColourStats compute(ImageSource src, int maxImages, long seed) {
        int n = src.size();
        if (n == 0) {
            throw new IllegalArgumentException("no images to compute colour statistics from: " + src.describe());
        }
        if (maxImages < 1) {
            throw new IllegalArgumentException("maxImages must be positive, got " + maxImages);
        }
        int[] indices = sample(n, maxImages, seed);
        // Per image: count, sums of (v - 128) per channel and of the six products (shifted to limit cancellation).
        double[][] per = new double[indices.length][];
        IntStream.range(0, indices.length).parallel().forEach(k -> per[k] = sums(src.image(indices[k])));
        double[] total = new double[10];
        for (double[] s : per) {
            for (int i = 0; i < total.length; i++) {
                total[i] += s[i];
            }
        }
        double count = total[0];
        double[] m = {total[1] / count, total[2] / count, total[3] / count};
        double[][] cov = new double[3][3];
        int p = 4;
        for (int i = 0; i < 3; i++) {
            for (int j = i; j < 3; j++) {
                cov[i][j] = total[p++] / count - m[i] * m[j];
                cov[j][i] = cov[i][j];
            }
        }
        return of(new double[] {m[0] + SHIFT, m[1] + SHIFT, m[2] + SHIFT}, cov);
    }

    private static final double SHIFT = 128;

    static int[] sample(int n, int maxImages, long seed) {
        if (maxImages >= n) {
            return IntStream.range(0, n).toArray();
        }
        int[] all = IntStream.range(0, n).toArray();
        Random rnd = new Random(seed);
        for (int i = 0; i < maxImages; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = Arrays.copyOf(all, maxImages);
        Arrays.sort(chosen);
        return chosen;
    }

    private static double[] sums(RgbImage img) {
        float[] d = img.data();
        int plane = img.width() * img.height();
        double r = 0, g = 0, b = 0, rr = 0, rg = 0, rb = 0, gg = 0, gb = 0, bb = 0;
        for (int i = 0; i < plane; i++) {
            double x = d[i] - SHIFT;
            double y = d[plane + i] - SHIFT;
            double z = d[2 * plane + i] - SHIFT;
            r += x;
            g += y;
            b += z;
            rr += x * x;
            rg += x * y;
            rb += x * z;
            gg += y * y;
            gb += y * z;
            bb += z * z;
        }
        return new double[] {plane, r, g, b, rr, rg, rb, gg, gb, bb};
    }

    /** Readable one-line summary for logs and reports. */
    @Override
    public String toString() {
        return String.format("ColourStats[mean=(%.2f, %.2f, %.2f), eigenvalues=(%.2f, %.2f, %.2f)]",
                mean[0], mean[1], mean[2], eigenvalues[0], eigenvalues[1], eigenvalues[2]);
    }
}
