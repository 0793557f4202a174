package dev.verydeep.transfer.protocol;

import dev.verydeep.core.UserException;
import dev.verydeep.transfer.metrics.ClassRecall;
import dev.verydeep.transfer.svm.DenseMatrix;
import dev.verydeep.transfer.svm.LinearSvm;
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
        List<SplitResult> results = new ArrayList<>();
        for (int s = 0; s < splits; s++) {
            Random rnd = new Random(seed + s);
            List<Integer> train = new ArrayList<>();
            List<Integer> val = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                List<Integer> members = new ArrayList<>(byClass.get(c));
                java.util.Collections.shuffle(members, rnd);
                List<Integer> tr = members.subList(0, trainPerClass);
                int nTest = testPerClass <= 0 ? members.size() - trainPerClass : Math.min(testPerClass, members.size() - trainPerClass);
                test.addAll(members.subList(trainPerClass, trainPerClass + nTest));
                int v = VocProtocol.holdOut(tr.size(), settings.validationFraction());
                val.addAll(tr.subList(0, v));
                train.addAll(tr);
            }
            int[] trainRows = train.stream().mapToInt(Integer::intValue).sorted().toArray();
            int[] valRows = val.stream().mapToInt(Integer::intValue).sorted().toArray();
            java.util.Set<Integer> valSet = new java.util.HashSet<>(val);
            int[] fitRows = Arrays.stream(trainRows).filter(r -> !valSet.contains(r)).toArray();
            int[] testRows = test.stream().mapToInt(Integer::intValue).sorted().toArray();
            double[] scores = new double[settings.cGrid().size()];
            LinearSvm fit = new LinearSvm(x, fitRows, settings);
            for (int g = 0; g < scores.length; g++) {
                int[] pred = predict(oneVsRest(fit, fitRows, labels, k, settings.cGrid().get(g)), x, valRows);
                scores[g] = ClassRecall.mean(pick(labels, valRows), pred, k);
            }
            CSelection sel = CSelection.best(settings.cGrid(), scores);
            LinearSvm all = new LinearSvm(x, trainRows, settings);
            int[] pred = predict(oneVsRest(all, trainRows, labels, k, sel.chosen()), x, testRows);
            double[] recall = ClassRecall.perClass(pick(labels, testRows), pred, k);
            results.add(new SplitResult(seed + s, ClassRecall.mean(pick(labels, testRows), pred, k), recall, sel,
                    trainRows.length, testRows.length));
        }
        double[] ms = ClassRecall.meanStd(results.stream().mapToDouble(SplitResult::meanClassRecall).toArray());
        return new Result(List.copyOf(classes), trainPerClass, testPerClass, results, ms[0], ms[1]);
    }

    static LinearSvm.BinaryModel[] oneVsRest(LinearSvm svm, int[] rows, int[] labels, int k, double c) {
        LinearSvm.BinaryModel[] models = new LinearSvm.BinaryModel[k];
        for (int cls = 0; cls < k; cls++) {
            boolean[] y = new boolean[rows.length];
            for (int i = 0; i < rows.length; i++) {
                y[i] = labels[rows[i]] == cls;
            }
            models[cls] = svm.train(y, c);
        }
        return models;
    }

    static int[] predict(LinearSvm.BinaryModel[] models, DenseMatrix x, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < models.length; c++) {
                double s = models[c].decision(x, rows[i]);
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static int[] pick(int[] labels, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]];
        }
        return out;
    }
}
