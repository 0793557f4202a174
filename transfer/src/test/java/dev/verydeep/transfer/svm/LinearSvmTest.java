package dev.verydeep.transfer.svm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.SolverType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearSvmTest {
    /** Rows of ReLU-like features (a third zeros) with a planted linear rule, L2-normalised. */
    static DenseMatrix data(int n, int d, long seed, boolean[] labels) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double v = Math.max(0, r.nextGaussian() + (labels[i] && j < 3 ? 0.8 : 0) + 0.4);
                x[i * d + j] = (float) v;
                norm += v * v;
            }
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (x[i * d + j] / Math.sqrt(norm));
            }
        }
        return new DenseMatrix(n, d, x);
    }

    static boolean[] labels(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3) == 0;
        }
        return y;
    }

    static int[] range(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    @Test
    void sharedCursorGivesBitIdenticalModelsAndPredictions() {
        int n = 120;
        int d = 24;
        boolean[] y = labels(n, 5);
        DenseMatrix x = data(n, d, 6, y);
        int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> i % 5 != 0).toArray();
        boolean[] yRows = new boolean[rows.length];
        for (int k = 0; k < rows.length; k++) {
            yRows[k] = y[rows[k]];
        }
        for (SolverType s : new SolverType[] {SolverType.L2R_L2LOSS_SVC_DUAL, SolverType.L2R_L1LOSS_SVC_DUAL, SolverType.L2R_L2LOSS_SVC,
                SolverType.L2R_LR, SolverType.L2R_LR_DUAL, SolverType.L1R_L2LOSS_SVC, SolverType.L1R_LR, SolverType.MCSVM_CS}) {
            SvmSettings nodes = SvmSettings.defaults().withSolver(s).withFeed(Feed.FEATURE_NODES);
            SvmSettings cursor = SvmSettings.defaults().withSolver(s).withFeed(Feed.SHARED_CURSOR);
            Model a = new LinearSvm(x, rows, nodes).trainModel(yRows, 0.7);
            Model b = new LinearSvm(x, rows, cursor).trainModel(yRows, 0.7);
            assertArrayEquals(a.getFeatureWeights(), b.getFeatureWeights(), 0.0, s.name());
            assertTrue(java.util.Arrays.stream(a.getFeatureWeights()).anyMatch(v -> v != 0), s + " learned nothing");
            for (int r = 0; r < n; r += 7) {
                double pa = LinearSvm.predictValue(a, x, r, 1, Feed.FEATURE_NODES);
                double pb = LinearSvm.predictValue(b, x, r, 1, Feed.SHARED_CURSOR);
                assertEquals(pa, pb, 0.0, s + " row " + r);
            }
            // Our dense decision equals LIBLINEAR's up to the sign convention.
            LinearSvm.BinaryModel m = new LinearSvm(x, rows, cursor).train(yRows, 0.7);
            double sign = a.getLabels()[0] == 1 ? 1 : -1;
            if (s != SolverType.MCSVM_CS) {
                assertEquals(sign * LinearSvm.predictValue(a, x, 3, 1, Feed.FEATURE_NODES), m.decision(x, 3), 1e-12, s.name());
            }
        }
    }

    @Test
    void sameResultTwiceAfterReset() {
        int n = 80;
        boolean[] y = labels(n, 9);
        DenseMatrix x = data(n, 16, 10, y);
        LinearSvm svm = new LinearSvm(x, range(n), SvmSettings.defaults());
        LinearSvm.BinaryModel a = svm.train(y, 1);
        // Disturb the global RNG in between: the reset must make it irrelevant.
        new LinearSvm(x, range(n), SvmSettings.defaults()).train(labels(n, 11), 3);
        LinearSvm.BinaryModel b = svm.train(y, 1);
        assertArrayEquals(a.w(), b.w(), 0.0);
        LinearSvm.BinaryModel c = svm.train(y, 100);
        assertNotEquals(a.w()[0], c.w()[0], "C must matter");
        // Training accuracy well above chance on the planted rule.
        int correct = 0;
        for (int i = 0; i < n; i++) {
            correct += (a.decision(x, i) > 0) == y[i] ? 1 : 0;
        }
        assertTrue(correct > 0.8 * n, correct + "/" + n);
    }

    @Test
    void oneClassOnlyGivesAConstantModel() {
        DenseMatrix x = data(10, 4, 1, new boolean[10]);
        LinearSvm.BinaryModel m = new LinearSvm(x, range(10), SvmSettings.defaults()).train(new boolean[10], 1);
        assertEquals(-1, m.decision(x, 3), 0);
    }
}
