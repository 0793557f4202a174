package dev.verydeep.transfer.svm;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.SolverType;

/**
 * Builds LIBLINEAR-java's {@code Feature[][]} for some rows of a {@link DenseMatrix}, either as
 * {@code FeatureNode}s or with the memory-light shared cursor ({@link Feed}).
 *
 * <p><b>Why the shared cursor is correct.</b> A value's {@code Feature} object cannot be shared between rows
 * unless it knows which row is being read. In LIBLINEAR-java 2.44 every read of a training or test row walks
 * that row's array from its first element ({@code SparseOperator.dot/axpy/nrm2_sq}, the solvers' own loops,
 * {@code transpose}, {@code predictValues}); and rows are read one at a time, except in
 * {@code SparseOperator.sparse_dot}, which only the one-class SVM uses. So the first element of each row is a
 * row-specific head whose {@code getIndex()} or {@code getValue()} sets a cursor to the row, and the other
 * elements, shared per column, read the value under the cursor. The one-class solver is refused, the library
 * version is checked ({@link Linear#getVersion()} = 244), and the bit-identity with {@code FeatureNode}s is a
 * test over several solvers. A problem built this way must be trained or predicted by one thread at a time
 * (the cursor is shared state); the library never writes to training rows ({@code setValue} is only called on
 * the transposed copy that the L1 solvers make).
 *
 * <p>Values are the floats widened to double, with zeros kept (a dense row), in both forms.
 */
public final class DenseProblems {
    /** The LIBLINEAR-java version whose access pattern {@link Feed#SHARED_CURSOR} relies on. */
    public static final int VERIFIED_VERSION = 244;

    private DenseProblems() {
    }

    /** Rows {@code rows} of {@code m}, each with a bias feature {@code bias} at index cols + 1 when bias >= 0. */
    public static Feature[][] rows(DenseMatrix m, int[] rows, double bias, Feed feed) {
        return feed == Feed.FEATURE_NODES ? featureNodes(m, rows, bias) : sharedCursor(m, rows, bias);
    }

    /** Refuses what the shared cursor does not support. */
    public static void check(Feed feed, SolverType solver) {
        if (feed != Feed.SHARED_CURSOR) {
            return;
        }
        if (Linear.getVersion() != VERIFIED_VERSION) {
            throw new IllegalStateException("the shared-cursor feed was verified with LIBLINEAR-java " + VERIFIED_VERSION
                    + ", found " + Linear.getVersion() + "; use --svm-feed feature-nodes or re-verify");
        }
        if (solver == SolverType.ONECLASS_SVM) {
            throw new dev.verydeep.core.UserException("the one-class SVM reads two rows at once; use --svm-feed feature-nodes");
        }
    }

    static Feature[][] featureNodes(DenseMatrix m, int[] rows, double bias) {
        int d = m.cols();
        int width = d + (bias >= 0 ? 1 : 0);
        float[] data = m.data();
        Feature[][] x = new Feature[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            Feature[] row = new Feature[width];
            int base = rows[r] * d;
            for (int j = 0; j < d; j++) {
                row[j] = new FeatureNode(j + 1, data[base + j]);
            }
            if (bias >= 0) {
                row[d] = new FeatureNode(d + 1, bias);
            }
            x[r] = row;
        }
        return x;
    }

    static Feature[][] sharedCursor(DenseMatrix m, int[] rows, double bias) {
        int d = m.cols();
        int width = d + (bias >= 0 ? 1 : 0);
        Cursor cursor = new Cursor(m.data(), bias);
        Feature[] shared = new Feature[width];
        for (int j = 1; j < d; j++) {
            shared[j] = new CursorFeature(cursor, j + 1, CursorFeature.COLUMN);
        }
        if (bias >= 0) {
            shared[d] = new CursorFeature(cursor, d + 1, CursorFeature.BIAS);
        }
        Feature[][] x = new Feature[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            Feature[] row = shared.clone();
            row[0] = new CursorFeature(cursor, 1, rows[r] * d);
            x[r] = row;
        }
        return x;
    }

    /** The row being read: the offset of its first value. */
    static final class Cursor {
        final float[] data;
        final double bias;
        int base;

        Cursor(float[] data, double bias) {
            this.data = data;
            this.bias = bias;
        }
    }

    /**
     * One class for heads, columns and the bias, so that the library's calls through {@link Feature} stay
     * cheap to dispatch. {@code rowBase >= 0}: the head of the row starting at {@code data[rowBase]}.
     */
    static final class CursorFeature implements Feature {
        static final int COLUMN = -1;
        static final int BIAS = -2;
        private final Cursor cursor;
        private final int index;
        private final int rowBase;

        CursorFeature(Cursor cursor, int index, int rowBase) {
            this.cursor = cursor;
            this.index = index;
            this.rowBase = rowBase;
        }

        @Override
        public int getIndex() {
            if (rowBase >= 0) {
                cursor.base = rowBase;
            }
            return index;
        }

        @Override
        public double getValue() {
            int b = rowBase;
            if (b >= 0) {
                cursor.base = b;
                return cursor.data[b];
            }
            if (b == COLUMN) {
                return cursor.data[cursor.base + index - 1];
            }
            return cursor.bias;
        }

        @Override
        public void setValue(double value) {
            throw new UnsupportedOperationException("shared-cursor features are read-only");
        }
    }
}
