package dev.verydeep.transfer.protocol;

import dev.verydeep.transfer.svm.DenseMatrix;
import dev.verydeep.transfer.svm.LinearSvm;
import dev.verydeep.transfer.svm.SvmSettings;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A protocol's SVMs as two rounds of independent units ({@link SvmUnit}, "train class k under setting s"): the
 * validation round (every class at every C of the grid on the fitting rows, decision values on the validation rows),
 * then, once C is chosen from those, the final round (every class at its chosen C on all training rows, decision values
 * on the test rows). A unit's decision values depend only on the descriptors, the labels and the unit (LIBLINEAR-java
 * 2.44 draws from a generator seeded afresh in every {@code Parameter}), so a {@link Runner} may compute the units of a
 * round in any order, on any thread or machine ({@code verydeep spark transfer}) and the result is the in-process one.
 * Serializable, descriptors included, so that a runner can ship it to workers once.
 */
public abstract class OneVsRest<R> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How the units of a round are computed. */
    @FunctionalInterface
    public interface Runner {
        /** Every unit's decision values ({@link OneVsRest#decisions}), in the order of {@code units}. */
        List<double[]> run(OneVsRest<?> work, List<SvmUnit> units);

        /** In this thread, one unit after the other. */
        Runner LOCAL = (work, units) -> work.decisions(units.iterator());
    }

    final DenseMatrix x;
    final SvmSettings settings;

    OneVsRest(DenseMatrix x, SvmSettings settings) {
        this.x = x;
        this.settings = settings;
    }

    /** The validation round: every class at every C of the grid (units sharing training rows are adjacent). */
    public abstract List<SvmUnit> validationUnits();

    /** The C chosen from the validation round's decision values: per class (VOC) or per group (Caltech's splits). */
    abstract List<CSelection> choose(Decisions validation);

    /** The final round: every class at its chosen C. */
    abstract List<SvmUnit> finalUnits(List<CSelection> chosen);

    abstract R result(List<CSelection> chosen, Decisions last);

    /** The rows unit {@code u} trains on. */
    abstract int[] trainRows(SvmUnit u);

    /** Whether training row {@code row} is a positive of unit {@code u}'s class. */
    abstract boolean positive(SvmUnit u, int row);

    /** The rows unit {@code u} gives decision values for. */
    abstract int[] evalRows(SvmUnit u);

    /** Both rounds, each computed by {@code runner}. */
    public final R run(Runner runner) {
        List<SvmUnit> validation = validationUnits();
        List<CSelection> chosen = choose(new Decisions(validation, runner.run(this, validation)));
        List<SvmUnit> last = finalUnits(chosen);
        return result(chosen, new Decisions(last, runner.run(this, last)));
    }

    /**
     * Each unit's binary SVM trained and its decision values on the unit's evaluation rows, in order. Consecutive units
     * with the same training rows share one {@link LinearSvm} (its LIBLINEAR problem is built once). One thread per call:
     * concurrent calls are independent.
     */
    public final List<double[]> decisions(Iterator<SvmUnit> units) {
        List<double[]> out = new ArrayList<>();
        int[] lastRows = null;
        LinearSvm svm = null;
        while (units.hasNext()) {
            SvmUnit u = units.next();
            int[] rows = trainRows(u);
            if (svm == null || !Arrays.equals(rows, lastRows)) {
                svm = new LinearSvm(x, rows, settings);
                lastRows = rows;
            }
            boolean[] y = new boolean[rows.length];
            for (int i = 0; i < rows.length; i++) {
                y[i] = positive(u, rows[i]);
            }
            LinearSvm.BinaryModel m = svm.train(y, u.c());
            int[] eval = evalRows(u);
            double[] d = new double[eval.length];
            for (int i = 0; i < eval.length; i++) {
                d[i] = m.decision(x, eval[i]);
            }
            out.add(d);
        }
        return out;
    }

    /** A round's decision values, by group, class and C index. */
    static final class Decisions {
        private final Map<SvmUnit, double[]> byUnit = new HashMap<>();

        Decisions(List<SvmUnit> units, List<double[]> values) {
            if (units.size() != values.size()) {
                throw new IllegalStateException(values.size() + " decision vectors for " + units.size() + " SVM units");
            }
            for (int i = 0; i < units.size(); i++) {
                byUnit.put(key(units.get(i).group(), units.get(i).cls(), units.get(i).g()), values.get(i));
            }
        }

        /** The unit's values, or null when the round had no such unit. */
        double[] get(int group, int cls, int g) {
            return byUnit.get(key(group, cls, g));
        }

        private static SvmUnit key(int group, int cls, int g) {
            return new SvmUnit(group, cls, g, 0);
        }
    }
}
