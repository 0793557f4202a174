package dev.verydeep.transfer.protocol;

import dev.verydeep.core.UserException;
import dev.verydeep.transfer.metrics.ClassRecall;
import dev.verydeep.transfer.svm.DenseMatrix;
import dev.verydeep.transfer.svm.SvmSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The Caltech-101/256 protocol: {@code splits} random splits (split s drawn with {@code new Random(seed + s)}),
 * each with {@code trainPerClass} training images per class and up to {@code testPerClass} test images from
 * the rest ({@code <= 0}: all the rest). One-vs-rest linear SVMs, prediction = argmax of the decision values
 * (ties to the lower class index). One C for all classes, chosen by mean class recall on a validation split
 * holding out {@code validationFraction} of each class's training images, then retrained on all of them.
 * Reports mean class recall per split, and its mean and sample standard deviation over splits.
 */
public final class CaltechProtocol {
    private CaltechProtocol() {
    }

    /** One split's outcome. */
    public record SplitResult(long seed, double meanClassRecall, double[] classRecall, CSelection c, int trainImages, int testImages) {
    }

    /** All splits, with the mean and standard deviation of mean class recall. */
    public record Result(List<String> classes, int trainPerClass, int testPerClass, List<SplitResult> splits, double mean, double std) {
    }

    public static Result run(DenseMatrix x, int[] labels, List<String> classes, int splits, int trainPerClass, int testPerClass,
            SvmSettings settings, long seed) {
        return work(x, labels, classes, splits, trainPerClass, testPerClass, settings, seed).run(OneVsRest.Runner.LOCAL);
    }

    /** The protocol's SVMs as rounds of units ({@link OneVsRest}), to be run by any runner. */
    public static OneVsRest<Result> work(DenseMatrix x, int[] labels, List<String> classes, int splits, int trainPerClass, int testPerClass,
            SvmSettings settings, long seed) {
        if (splits < 1) {
            throw new UserException("--splits must be at least 1, got " + splits);
        }
        if (trainPerClass < 2) {
            throw new UserException("--train-per-class must be at least 2 (one to validate C), got " + trainPerClass);
        }
        int k = classes.size();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        for (int c = 0; c < k; c++) {
            if (byClass.get(c).size() < trainPerClass + 1) {
                throw new UserException("class '" + classes.get(c) + "' has " + byClass.get(c).size() + " images, fewer than "
                        + trainPerClass + " for training plus one for testing (--train-per-class " + trainPerClass + ")");
            }
        }
        List<Split> drawn = new ArrayList<>();
        for (int s = 0; s < splits; s++) {
            drawn.add(Split.draw(byClass, seed + s, trainPerClass, testPerClass, settings.validationFraction()));
        }
        return new Work(x, labels.clone(), List.copyOf(classes), trainPerClass, testPerClass, settings, drawn);
    }

    /** One random split: training rows (fitting + validation) and test rows, each sorted. */
    private record Split(long seed, int[] train, int[] fit, int[] val, int[] test) implements java.io.Serializable {
        static Split draw(List<List<Integer>> byClass, long seed, int trainPerClass, int testPerClass, double validationFraction) {
            Random rnd = new Random(seed);
            List<Integer> train = new ArrayList<>();
            List<Integer> val = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (List<Integer> cls : byClass) {
                List<Integer> members = new ArrayList<>(cls);
                java.util.Collections.shuffle(members, rnd);
                List<Integer> tr = members.subList(0, trainPerClass);
                int nTest = testPerClass <= 0 ? members.size() - trainPerClass : Math.min(testPerClass, members.size() - trainPerClass);
                test.addAll(members.subList(trainPerClass, trainPerClass + nTest));
                int v = VocProtocol.holdOut(tr.size(), validationFraction);
                val.addAll(tr.subList(0, v));
                train.addAll(tr);
            }
            int[] trainRows = train.stream().mapToInt(Integer::intValue).sorted().toArray();
            java.util.Set<Integer> valSet = new java.util.HashSet<>(val);
            return new Split(seed, trainRows, Arrays.stream(trainRows).filter(r -> !valSet.contains(r)).toArray(),
                    val.stream().mapToInt(Integer::intValue).sorted().toArray(), test.stream().mapToInt(Integer::intValue).sorted().toArray());
        }
    }

    /**
     * Per split: one C for all classes, chosen by the validation rows' mean class recall (prediction = argmax of the
     * classes' decision values), then every class retrained on all training rows; units are (split, class, C).
     */
    private static final class Work extends OneVsRest<Result> {
        private static final long serialVersionUID = 1L;
        private final int[] labels;
        private final List<String> classes;
        private final int trainPerClass;
        private final int testPerClass;
        private final List<Split> splits;

        Work(DenseMatrix x, int[] labels, List<String> classes, int trainPerClass, int testPerClass, SvmSettings settings, List<Split> splits) {
            super(x, settings);
            this.labels = labels;
            this.classes = classes;
            this.trainPerClass = trainPerClass;
            this.testPerClass = testPerClass;
            this.splits = List.copyOf(splits);
        }

        @Override
        public List<SvmUnit> validationUnits() {
            List<SvmUnit> units = new ArrayList<>();
            for (int s = 0; s < splits.size(); s++) {
                for (int g = 0; g < settings.cGrid().size(); g++) {
                    for (int c = 0; c < classes.size(); c++) {
                        units.add(new SvmUnit(s, c, g, settings.cGrid().get(g)));
                    }
                }
            }
            return units;
        }

        @Override
        List<CSelection> choose(Decisions validation) {
            List<CSelection> chosen = new ArrayList<>();
            for (int s = 0; s < splits.size(); s++) {
                double[] scores = new double[settings.cGrid().size()];
                int[] val = splits.get(s).val();
                for (int g = 0; g < scores.length; g++) {
                    scores[g] = ClassRecall.mean(pick(labels, val), predict(validation, s, g), classes.size());
                }
                chosen.add(CSelection.best(settings.cGrid(), scores));
            }
            return chosen;
        }

        @Override
        List<SvmUnit> finalUnits(List<CSelection> chosen) {
            List<SvmUnit> units = new ArrayList<>();
            for (int s = 0; s < splits.size(); s++) {
                for (int c = 0; c < classes.size(); c++) {
                    units.add(new SvmUnit(s, c, SvmUnit.FINAL, chosen.get(s).chosen()));
                }
            }
            return units;
        }

        @Override
        Result result(List<CSelection> chosen, Decisions last) {
            int k = classes.size();
            List<SplitResult> results = new ArrayList<>();
            for (int s = 0; s < splits.size(); s++) {
                Split sp = splits.get(s);
                int[] pred = predict(last, s, SvmUnit.FINAL);
                int[] truth = pick(labels, sp.test());
                results.add(new SplitResult(sp.seed(), ClassRecall.mean(truth, pred, k), ClassRecall.perClass(truth, pred, k), chosen.get(s),
                        sp.train().length, sp.test().length));
            }
            double[] ms = ClassRecall.meanStd(results.stream().mapToDouble(SplitResult::meanClassRecall).toArray());
            return new Result(classes, trainPerClass, testPerClass, results, ms[0], ms[1]);
        }

        /** Per evaluation row of split {@code s}, the class with the highest decision value at C index {@code g} (ties: the lower class). */
        private int[] predict(Decisions d, int s, int g) {
            double[][] byClass = new double[classes.size()][];
            for (int c = 0; c < byClass.length; c++) {
                byClass[c] = d.get(s, c, g);
            }
            int[] out = new int[byClass[0].length];
            for (int i = 0; i < out.length; i++) {
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < byClass.length; c++) {
                    if (byClass[c][i] > bestScore) {
                        bestScore = byClass[c][i];
                        best = c;
                    }
                }
                out[i] = best;
            }
            return out;
        }

        @Override
        int[] trainRows(SvmUnit u) {
            return u.isFinal() ? splits.get(u.group()).train() : splits.get(u.group()).fit();
        }

        @Override
        boolean positive(SvmUnit u, int row) {
            return labels[row] == u.cls();
        }

        @Override
        int[] evalRows(SvmUnit u) {
            return u.isFinal() ? splits.get(u.group()).test() : splits.get(u.group()).val();
        }
    }

    private static int[] pick(int[] labels, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]];
        }
        return out;
    }
}
