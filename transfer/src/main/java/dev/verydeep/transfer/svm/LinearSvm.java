package dev.verydeep.transfer.svm;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;

/**
 * Binary linear SVMs on a fixed set of training rows: the {@code Feature[][]} is built once and shared by
 * every class and every C (only the labels change). The same call gives the same model: LIBLINEAR-java 2.44 draws
 * from a generator seeded afresh in every {@code Parameter} ({@code Linear.resetRandom()}, called before every
 * training, is a no-op there, kept for older versions), so trainings on other threads do not disturb it. One
 * instance is not thread-safe (see {@link DenseProblems}); separate instances train concurrently.
 */
public final class LinearSvm {
    static {
        Linear.disableDebugOutput();
    }

    private final DenseMatrix x;
    private final int[] rows;
    private final Feature[][] features;
    private final SvmSettings settings;

    public LinearSvm(DenseMatrix x, int[] rows, SvmSettings settings) {
        this.x = x;
        this.rows = rows.clone();
        this.settings = settings;
        this.features = DenseProblems.rows(x, this.rows, settings.bias(), settings.feed());
    }

    public int[] rows() {
        return rows.clone();
    }

    /** A weight vector: {@code w[0 .. d)} and, with a bias, {@code w[d]}; decision = w . x (+ w[d] * bias). */
    public record BinaryModel(double[] w, double bias, double offset) {
        public double decision(DenseMatrix m, int row) {
            return m.dot(row, w, bias) + offset;
        }
    }

    /**
     * Trains one binary SVM with {@code positive[k]} the label of training row k, at cost {@code c}. When all
     * rows have the same label, the model is the constant decision -1 or +1 (LIBLINEAR would learn nothing).
     */
    public BinaryModel train(boolean[] positive, double c) {
        if (positive.length != rows.length) {
            throw new IllegalArgumentException(positive.length + " labels for " + rows.length + " rows");
        }
        int d = x.cols();
        int width = d + (settings.bias() >= 0 ? 1 : 0);
        int pos = 0;
        double[] y = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            y[k] = positive[k] ? 1 : -1;
            pos += positive[k] ? 1 : 0;
        }
        if (pos == 0 || pos == rows.length) {
            return new BinaryModel(new double[width], settings.bias(), pos == 0 ? -1 : 1);
        }
        Problem p = new Problem();
        p.l = rows.length;
        p.n = width;
        p.x = features;
        p.y = y;
        p.bias = settings.bias();
        Parameter param = new Parameter(settings.solver(), c, settings.eps());
        Linear.resetRandom();
        Model m = Linear.train(p, param);
        double[] w = m.getFeatureWeights();
        // Decision values are positive for the model's first label; ours must be positive for +1.
        if (m.getLabels()[0] != 1) {
            for (int j = 0; j < w.length; j++) {
                w[j] = -w[j];
            }
        }
        return new BinaryModel(w.length == width ? w : java.util.Arrays.copyOf(w, width), settings.bias(), 0);
    }

    /** The LIBLINEAR model itself for the same problem (tests compare it with {@link #train}). */
    public Model trainModel(boolean[] positive, double c) {
        double[] y = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            y[k] = positive[k] ? 1 : -1;
        }
        Problem p = new Problem();
        p.l = rows.length;
        p.n = x.cols() + (settings.bias() >= 0 ? 1 : 0);
        p.x = features;
        p.y = y;
        p.bias = settings.bias();
        Linear.resetRandom();
        return Linear.train(p, new Parameter(settings.solver(), c, settings.eps()));
    }

    /** LIBLINEAR's own decision value for row {@code r} of the matrix (for tests against {@link BinaryModel#decision}). */
    public static double predictValue(Model model, DenseMatrix m, int r, double bias, Feed feed) {
        Feature[] row = DenseProblems.rows(m, new int[] {r}, bias, feed)[0];
        double[] dec = new double[Math.max(1, model.getNrClass())];
        Linear.predictValues(model, row, dec);
        return dec[0];
    }
}
