package dev.verydeep.transfer.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.transfer.metrics.AveragePrecision;
import dev.verydeep.transfer.svm.DenseMatrix;
import dev.verydeep.transfer.svm.SvmSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The protocols' SVM units give the same decision values whatever thread computes them and in whatever order (what
 * lets Spark tasks reproduce the in-process transfer), and a runner that reorders units gives the same result.
 */
class OneVsRestTest {
    static final int K = 4;

    /** Rows of class-dependent ReLU-like features, L2-normalised; row i has label i % K. */
    static DenseMatrix data(int n, int d) {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double v = Math.max(0, r.nextGaussian() + (j % K == i % K ? 0.7 : 0) + 0.3);
                x[i * d + j] = (float) v;
                norm += v * v;
            }
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (x[i * d + j] / Math.sqrt(norm));
            }
        }
        return new DenseMatrix(n, d, x);
    }

    static List<String> classes() {
        return IntStream.range(0, K).mapToObj(c -> "c" + c).toList();
    }

    @Test
    void unitsOnManyThreadsInAnyOrderEqualOneThread() throws Exception {
        DenseMatrix x = data(160, 24);
        int[] labels = IntStream.range(0, 160).map(i -> i % K).toArray();
        OneVsRest<CaltechProtocol.Result> work = CaltechProtocol.work(x, labels, classes(), 2, 12, 10, SvmSettings.defaults(), 1);
        List<SvmUnit> units = work.validationUnits();
        assertEquals(2 * 5 * K, units.size());
        List<double[]> alone = work.decisions(units.iterator());
        List<Integer> order = new ArrayList<>(IntStream.range(0, units.size()).boxed().toList());
        Collections.shuffle(order, new Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> f = new ArrayList<>(Collections.nCopies(units.size(), null));
            for (int i : order) {
                f.set(i, pool.submit(() -> work.decisions(List.of(units.get(i)).iterator()).get(0)));
            }
            for (int i = 0; i < units.size(); i++) {
                assertArrayEquals(alone.get(i), f.get(i).get(), "unit " + units.get(i)); // exact doubles
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRunnerThatReversesTheUnitsGivesTheSameResult() {
        DenseMatrix x = data(120, 16);
        int[][] truth = new int[120][K];
        for (int i = 0; i < 120; i++) {
            for (int c = 0; c < K; c++) {
                truth[i][c] = i % K == c ? 1 : (i % 7 == 0 ? 0 : -1);
            }
        }
        int[] train = IntStream.range(0, 80).toArray();
        int[] test = IntStream.range(80, 120).toArray();
        OneVsRest.Runner reversed = (work, units) -> {
            List<SvmUnit> back = new ArrayList<>(units);
            Collections.reverse(back);
            List<double[]> d = new ArrayList<>(work.decisions(back.iterator()));
            Collections.reverse(d);
            return d;
        };
        VocProtocol.Result a = VocProtocol.run(x, truth, classes(), train, test, AveragePrecision.Method.VOC2010_AREA, SvmSettings.defaults(), 1);
        VocProtocol.Result b = VocProtocol.work(x, truth, classes(), train, test, AveragePrecision.Method.VOC2010_AREA, SvmSettings.defaults(), 1)
                .run(reversed);
        assertArrayEquals(a.ap(), b.ap());
        assertEquals(a.c(), b.c());
        for (int c = 0; c < K; c++) {
            assertArrayEquals(a.testScores()[c], b.testScores()[c]);
        }
        assertTrue(a.map() > 0.5, "the planted classes are learnt: mAP " + a.map());
    }
}
