package dev.verydeep.transfer.bench;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import dev.verydeep.transfer.svm.DenseMatrix;
import dev.verydeep.transfer.svm.DenseProblems;
import dev.verydeep.transfer.svm.Feed;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Not a unit test: measures heap and training time of one binary LIBLINEAR SVM on n x d dense descriptors,
 * fed as FeatureNodes or with the shared cursor, and writes the same features as a LIBLINEAR text file for
 * {@code liblinear-train}. Run one mode per JVM:
 * {@code java -cp ... SvmMemoryHarness MODE n d [file]} with MODE feature-nodes, shared-cursor or write.
 */
public final class SvmMemoryHarness {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        int d = Integer.parseInt(args[2]);
        SplittableRandom r = new SplittableRandom(42);
        float[] x = new float[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            boolean pos = r.nextInt(10) == 0;
            y[i] = pos ? 1 : -1;
            double norm = 0;
            for (int j = 0; j < d; j++) {
                // Pooled ReLU activations are non-negative and rarely exactly zero.
                double v = Math.abs(r.nextGaussian()) + (pos && j < 64 ? 0.5 : 0) + 1e-3;
                x[i * d + j] = (float) v;
                norm += v * v;
            }
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (x[i * d + j] / Math.sqrt(norm));
            }
        }
        DenseMatrix m = new DenseMatrix(n, d, x);
        if (mode.equals("write")) {
            try (BufferedWriter w = Files.newBufferedWriter(Path.of(args[3]))) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    sb.setLength(0);
                    sb.append(y[i] > 0 ? "+1" : "-1");
                    for (int j = 0; j < d; j++) {
                        // Float.toString is the shortest text that reads back to the same float.
                        sb.append(' ').append(j + 1).append(':').append(Float.toString(x[i * d + j]));
                    }
                    w.write(sb.append('\n').toString());
                }
            }
            return;
        }
        Feed feed = Feed.parse(mode);
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        Feature[][] rows = DenseProblems.rows(m, java.util.stream.IntStream.range(0, n).toArray(), 1, feed);
        long t1 = System.nanoTime();
        long after = usedAfterGc();
        Problem p = new Problem();
        p.l = n;
        p.n = d + 1;
        p.x = rows;
        p.y = y;
        p.bias = 1;
        Linear.disableDebugOutput();
        Linear.resetRandom();
        long t2 = System.nanoTime();
        Model model = Linear.train(p, new Parameter(SolverType.L2R_L2LOSS_SVC_DUAL, 1, 0.1));
        long t3 = System.nanoTime();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            correct += Linear.predict(model, rows[i]) == y[i] ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "%s n=%d d=%d: descriptors %.0f MB (float32), problem rows +%.0f MB heap, build %.2f s, train %.2f s, "
                + "train accuracy %.4f, w[0]=%.17g%n", mode, n, d, 4.0 * n * d / 1e6, (after - before) / 1e6, (t1 - t0) / 1e9,
                (t3 - t2) / 1e9, (double) correct / n, model.getFeatureWeights()[0]);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return mem.getUsed();
    }
}
