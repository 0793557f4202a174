package dev.verydeep.transfer.svm;

import de.bwaldvogel.liblinear.SolverType;
import dev.verydeep.core.UserException;
import java.util.List;

/**
 * How the linear SVMs are trained: LIBLINEAR solver (default L2-regularised L2-loss dual, {@code -s 1}),
 * stopping tolerance, bias feature ({@code -B}; 1 by default: one-vs-rest problems are unbalanced), the grid
 * of C values searched on the validation split, and the way descriptors are fed to the library.
 */
public record SvmSettings(SolverType solver, double eps, double bias, List<Double> cGrid, double validationFraction, Feed feed)
        implements java.io.Serializable {
    /** The default C grid: 10^-2 .. 10^2. */
    public static final List<Double> DEFAULT_C_GRID = List.of(0.01, 0.1, 1.0, 10.0, 100.0);

    public SvmSettings {
        if (solver == null) {
            throw new UserException("an SVM solver is required");
        }
        if (!(eps > 0)) {
            throw new UserException("SVM tolerance must be positive, got " + eps);
        }
        if (cGrid == null || cGrid.isEmpty()) {
            throw new UserException("the C grid is empty");
        }
        for (double c : cGrid) {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new UserException("C must be a positive number, got " + c);
            }
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new UserException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        cGrid = List.copyOf(cGrid);
        DenseProblems.check(feed, solver);
    }

    /** L2R_L2LOSS_SVC_DUAL, eps 0.1 (LIBLINEAR's default for it), bias 1, the default grid, 20% validation, shared cursor. */
    public static SvmSettings defaults() {
        return new SvmSettings(SolverType.L2R_L2LOSS_SVC_DUAL, 0.1, 1, DEFAULT_C_GRID, 0.2, Feed.SHARED_CURSOR);
    }

    public SvmSettings withSolver(SolverType s) {
        return new SvmSettings(s, eps, bias, cGrid, validationFraction, feed);
    }

    public SvmSettings withEps(double e) {
        return new SvmSettings(solver, e, bias, cGrid, validationFraction, feed);
    }

    public SvmSettings withCGrid(List<Double> g) {
        return new SvmSettings(solver, eps, bias, g, validationFraction, feed);
    }

    public SvmSettings withFeed(Feed f) {
        return new SvmSettings(solver, eps, bias, cGrid, validationFraction, f);
    }

    /** A solver by LIBLINEAR's name (e.g. L2R_L2LOSS_SVC_DUAL) or its {@code -s} number. */
    public static SolverType solver(String s) {
        for (SolverType t : SolverType.values()) {
            if (t.name().equalsIgnoreCase(s) || Integer.toString(t.getId()).equals(s)) {
                return t;
            }
        }
        throw new UserException("unknown LIBLINEAR solver '" + s + "' (e.g. L2R_L2LOSS_SVC_DUAL or 1)");
    }
}
