package dev.verydeep.transfer.protocol;

import dev.verydeep.core.UserException;
import dev.verydeep.transfer.metrics.AveragePrecision;
import dev.verydeep.transfer.svm.DenseMatrix;
import dev.verydeep.transfer.svm.LinearSvm;
import dev.verydeep.transfer.svm.SvmSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * PASCAL VOC classification: one binary SVM per class on the training images, AP on the test images from
 * the SVM decision values, mAP over classes. Per class: images whose label is 0 (difficult only) are left out
 * of training and ignored in AP; C is chosen by validation AP on a split holding out
 * {@code validationFraction} of the class's positives and of its negatives (seed {@code seed + class}), then
 * the SVM is retrained on all training images of the class.
 */
public final class VocProtocol {
    private VocProtocol() {
    }

    /**
     * Per-class and mean AP, with the C chosen per class; {@code testScores[class][i]} is the SVM decision value of test
     * image {@code testRows[i]} (from which precision-recall curves are drawn).
     */
    public record Result(String method, List<String> classes, double[] ap, double map, int classesWithoutPositives,
            List<CSelection> c, int trainImages, int testImages, double[][] testScores) {
    }

    /**
     * @param truth {@code truth[image][class]} in {1, -1, 0} for every row of {@code x}
     */
    public static Result run(DenseMatrix x, int[][] truth, List<String> classes, int[] trainRows, int[] testRows,
            AveragePrecision.Method method, SvmSettings settings, long seed) {
        if (trainRows.length == 0 || testRows.length == 0) {
            throw new UserException("VOC protocol needs training and test images (got " + trainRows.length + " and " + testRows.length + ")");
        }
        int k = classes.size();
        double[] ap = new double[k];
        double[][] testScores = new double[k][];
        List<CSelection> chosen = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            int cls = c;
            int[] rows = java.util.Arrays.stream(trainRows).filter(r -> truth[r][cls] != 0).toArray();
            // Validation split, stratified on this class's binary label.
            List<Integer> pos = new ArrayList<>();
            List<Integer> neg = new ArrayList<>();
            for (int r : rows) {
                (truth[r][c] == 1 ? pos : neg).add(r);
            }
            Random rnd = new Random(seed + c);
            java.util.Collections.shuffle(pos, rnd);
            java.util.Collections.shuffle(neg, rnd);
            int vp = holdOut(pos.size(), settings.validationFraction());
            int vn = holdOut(neg.size(), settings.validationFraction());
            List<Integer> val = new ArrayList<>(pos.subList(0, vp));
            val.addAll(neg.subList(0, vn));
            List<Integer> fit = new ArrayList<>(pos.subList(vp, pos.size()));
            fit.addAll(neg.subList(vn, neg.size()));
            int[] fitRows = fit.stream().mapToInt(Integer::intValue).sorted().toArray();
            int[] valRows = val.stream().mapToInt(Integer::intValue).sorted().toArray();
            double[] scores = new double[settings.cGrid().size()];
            if (fitRows.length > 0 && valRows.length > 0) {
                LinearSvm svm = new LinearSvm(x, fitRows, settings);
                boolean[] y = labels(truth, fitRows, c);
                for (int g = 0; g < scores.length; g++) {
                    LinearSvm.BinaryModel m = svm.train(y, settings.cGrid().get(g));
                    scores[g] = AveragePrecision.of(decisions(m, x, valRows), truths(truth, valRows, c), method);
                }
            } else {
                java.util.Arrays.fill(scores, Double.NaN);
            }
            CSelection sel = CSelection.best(settings.cGrid(), scores);
            chosen.add(sel);
            LinearSvm all = new LinearSvm(x, rows, settings);
            LinearSvm.BinaryModel m = all.train(labels(truth, rows, c), sel.chosen());
            testScores[c] = decisions(m, x, testRows);
            ap[c] = AveragePrecision.of(testScores[c], truths(truth, testRows, c), method);
        }
        int undefined = (int) java.util.Arrays.stream(ap).filter(Double::isNaN).count();
        return new Result(method.text(), List.copyOf(classes), ap, AveragePrecision.meanDefined(ap), undefined, chosen,
                trainRows.length, testRows.length, testScores);
    }

    static int holdOut(int n, double fraction) {
        int v = (int) Math.round(n * fraction);
        return n >= 2 ? Math.min(Math.max(v, 1), n - 1) : 0;
    }

    private static boolean[] labels(int[][] truth, int[] rows, int c) {
        boolean[] y = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = truth[rows[i]][c] == 1;
        }
        return y;
    }

    private static int[] truths(int[][] truth, int[] rows, int c) {
        int[] t = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            t[i] = truth[rows[i]][c];
        }
        return t;
    }

    static double[] decisions(LinearSvm.BinaryModel m, DenseMatrix x, int[] rows) {
        double[] s = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            s[i] = m.decision(x, rows[i]);
        }
        return s;
    }
}
