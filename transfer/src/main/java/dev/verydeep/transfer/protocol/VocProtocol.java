package dev.verydeep.transfer.protocol;

import dev.verydeep.core.UserException;
import dev.verydeep.transfer.metrics.AveragePrecision;
import dev.verydeep.transfer.svm.DenseMatrix;
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
        return work(x, truth, classes, trainRows, testRows, method, settings, seed).run(OneVsRest.Runner.LOCAL);
    }

    /** The protocol's SVMs as rounds of units ({@link OneVsRest}), to be run by any runner. */
    public static OneVsRest<Result> work(DenseMatrix x, int[][] truth, List<String> classes, int[] trainRows, int[] testRows,
            AveragePrecision.Method method, SvmSettings settings, long seed) {
        if (trainRows.length == 0 || testRows.length == 0) {
            throw new UserException("VOC protocol needs training and test images (got " + trainRows.length + " and " + testRows.length + ")");
        }
        return new Work(x, truth, List.copyOf(classes), trainRows.clone(), testRows.clone(), method, settings, seed);
    }

    /** One class's training rows (difficult left out) and their validation split, stratified on the class's binary label. */
    private record ClassRows(int[] rows, int[] fit, int[] val) implements java.io.Serializable {
        static ClassRows of(int[][] truth, int[] trainRows, int c, double fraction, long seed) {
            int[] rows = java.util.Arrays.stream(trainRows).filter(r -> truth[r][c] != 0).toArray();
            List<Integer> pos = new ArrayList<>();
            List<Integer> neg = new ArrayList<>();
            for (int r : rows) {
                (truth[r][c] == 1 ? pos : neg).add(r);
            }
            Random rnd = new Random(seed + c);
            java.util.Collections.shuffle(pos, rnd);
            java.util.Collections.shuffle(neg, rnd);
            int vp = holdOut(pos.size(), fraction);
            int vn = holdOut(neg.size(), fraction);
            List<Integer> val = new ArrayList<>(pos.subList(0, vp));
            val.addAll(neg.subList(0, vn));
            List<Integer> fit = new ArrayList<>(pos.subList(vp, pos.size()));
            fit.addAll(neg.subList(vn, neg.size()));
            return new ClassRows(rows, fit.stream().mapToInt(Integer::intValue).sorted().toArray(),
                    val.stream().mapToInt(Integer::intValue).sorted().toArray());
        }
    }

    /**
     * Per class: C chosen by validation AP (NaN for every C when the class has no fitting or no validation row), then
     * the SVM retrained on all the class's training rows; units are (0, class, C).
     */
    private static final class Work extends OneVsRest<Result> {
        private static final long serialVersionUID = 1L;
        private final int[][] truth;
        private final List<String> classes;
        private final int[] trainRows;
        private final int[] testRows;
        private final AveragePrecision.Method method;
        private final List<ClassRows> perClass = new ArrayList<>();

        Work(DenseMatrix x, int[][] truth, List<String> classes, int[] trainRows, int[] testRows, AveragePrecision.Method method,
                SvmSettings settings, long seed) {
            super(x, settings);
            this.truth = truth;
            this.classes = classes;
            this.trainRows = trainRows;
            this.testRows = testRows;
            this.method = method;
            for (int c = 0; c < classes.size(); c++) {
                perClass.add(ClassRows.of(truth, trainRows, c, settings.validationFraction(), seed));
            }
        }

        @Override
        public List<SvmUnit> validationUnits() {
            List<SvmUnit> units = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                if (perClass.get(c).fit().length > 0 && perClass.get(c).val().length > 0) {
                    for (int g = 0; g < settings.cGrid().size(); g++) {
                        units.add(new SvmUnit(0, c, g, settings.cGrid().get(g)));
                    }
                }
            }
            return units;
        }

        @Override
        List<CSelection> choose(Decisions validation) {
            List<CSelection> chosen = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                double[] scores = new double[settings.cGrid().size()];
                for (int g = 0; g < scores.length; g++) {
                    double[] d = validation.get(0, c, g);
                    scores[g] = d == null ? Double.NaN : AveragePrecision.of(d, truths(truth, perClass.get(c).val(), c), method);
                }
                chosen.add(CSelection.best(settings.cGrid(), scores));
            }
            return chosen;
        }

        @Override
        List<SvmUnit> finalUnits(List<CSelection> chosen) {
            List<SvmUnit> units = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                units.add(new SvmUnit(0, c, SvmUnit.FINAL, chosen.get(c).chosen()));
            }
            return units;
        }

        @Override
        Result result(List<CSelection> chosen, Decisions last) {
            int k = classes.size();
            double[] ap = new double[k];
            double[][] testScores = new double[k][];
            for (int c = 0; c < k; c++) {
                testScores[c] = last.get(0, c, SvmUnit.FINAL);
                ap[c] = AveragePrecision.of(testScores[c], truths(truth, testRows, c), method);
            }
            int undefined = (int) java.util.Arrays.stream(ap).filter(Double::isNaN).count();
            return new Result(method.text(), classes, ap, AveragePrecision.meanDefined(ap), undefined, List.copyOf(chosen),
                    trainRows.length, testRows.length, testScores);
        }

        @Override
        int[] trainRows(SvmUnit u) {
            return u.isFinal() ? perClass.get(u.cls()).rows() : perClass.get(u.cls()).fit();
        }

        @Override
        boolean positive(SvmUnit u, int row) {
            return truth[row][u.cls()] == 1;
        }

        @Override
        int[] evalRows(SvmUnit u) {
            return u.isFinal() ? testRows : perClass.get(u.cls()).val();
        }
    }

    static int holdOut(int n, double fraction) {
        int v = (int) Math.round(n * fraction);
        return n >= 2 ? Math.min(Math.max(v, 1), n - 1) : 0;
    }

    private static int[] truths(int[][] truth, int[] rows, int c) {
        int[] t = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            t[i] = truth[rows[i]][c];
        }
        return t;
    }
}
