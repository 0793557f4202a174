package dev.verydeep.runtime;

import dev.verydeep.onnx.TensorData;
import java.util.Arrays;
import java.util.Locale;

/**
 * One output compared with its expected value, element by element, with the rule of numpy's
 * {@code assert_allclose} (the one ONNX's backend tests use): an element passes when
 * {@code |got - expected| <= atol + rtol * |expected|}; NaN matches NaN and an infinity matches the same
 * infinity. The worst element is the one furthest beyond (or closest to) its tolerance.
 *
 * @param name          output name
 * @param expectedShape shape of the expected tensor
 * @param elements      number of elements compared
 * @param maxAbs        largest {@code |got - expected|}
 * @param maxRel        largest {@code |got - expected| / |expected|} over elements (infinite if an expected zero
 *                      was missed)
 * @param failures      number of elements outside the tolerance
 * @param worstIndex    multi-index of the worst element (empty when there are no elements)
 * @param worstExpected expected value there
 * @param worstGot      value produced there
 * @param problem       a mismatch that prevents element comparison (type, shape, missing output), else null
 */
public record Comparison(String name, long[] expectedShape, int elements, double maxAbs, double maxRel, int failures,
                         long[] worstIndex, double worstExpected, double worstGot, String problem) {

    /** Tolerance of a comparison: relative and absolute. */
    public record Tolerance(double rtol, double atol) {
        /** ONNX backend-test style default: rtol 1e-3, atol 1e-5. */
        public static final Tolerance DEFAULT = new Tolerance(1e-3, 1e-5);

        public Tolerance {
            if (!(rtol >= 0) || !(atol >= 0) || Double.isInfinite(rtol) || Double.isInfinite(atol)) {
                throw new dev.verydeep.core.UserException("tolerances must be finite and >= 0, got rtol " + rtol + ", atol " + atol);
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "rtol %s, atol %s", fmt(rtol), fmt(atol));
        }
    }

    public boolean passed() {
        return problem == null && failures == 0;
    }

    /** An output that could not be compared element-wise. */
    public static Comparison problem(String name, long[] expectedShape, String problem) {
        return new Comparison(name, expectedShape, 0, Double.NaN, Double.NaN, 0, new long[0], Double.NaN, Double.NaN, problem);
    }

    /** Compares {@code got} with {@code expected}. */
    public static Comparison of(String name, TensorData expected, TensorData got, Tolerance tol) {
        if (got == null) {
            return problem(name, expected.shape(), "the model produced no output '" + name + "'");
        }
        if (expected.type() != got.type()) {
            return problem(name, expected.shape(), "type " + TensorData.typeName(got.type()) + ", expected "
                    + TensorData.typeName(expected.type()));
        }
        if (!Arrays.equals(expected.shape(), got.shape())) {
            return problem(name, expected.shape(), "shape " + Arrays.toString(got.shape()) + ", expected " + Arrays.toString(expected.shape()));
        }
        int n = expected.size();
        double maxAbs = 0;
        double maxRel = 0;
        int failures = 0;
        int worst = -1;
        double worstScore = -1;
        for (int i = 0; i < n; i++) {
            double e = expected.getDouble(i);
            double g = got.getDouble(i);
            double score;
            double abs;
            if (Double.isNaN(e) || Double.isNaN(g) || Double.isInfinite(e) || Double.isInfinite(g)) {
                boolean same = (Double.isNaN(e) && Double.isNaN(g)) || e == g;
                abs = same ? 0 : Double.POSITIVE_INFINITY;
                score = same ? 0 : Double.POSITIVE_INFINITY;
            } else {
                abs = Math.abs(g - e);
                double allowed = tol.atol() + tol.rtol() * Math.abs(e);
                score = allowed > 0 ? abs / allowed : (abs == 0 ? 0 : Double.POSITIVE_INFINITY);
            }
            double rel = abs == 0 ? 0 : abs / Math.abs(e);
            maxAbs = Math.max(maxAbs, abs);
            maxRel = Math.max(maxRel, rel);
            if (score > 1) {
                failures++;
            }
            if (score > worstScore) {
                worstScore = score;
                worst = i;
            }
        }
        if (worst < 0) {
            return new Comparison(name, expected.shape(), 0, 0, 0, 0, new long[0], Double.NaN, Double.NaN, null);
        }
        return new Comparison(name, expected.shape(), n, maxAbs, maxRel, failures, expected.index(worst),
                expected.getDouble(worst), got.getDouble(worst), null);
    }

    /** One line: shape, max abs/rel error, failures and the worst element. */
    public String render() {
        String shape = Arrays.toString(expectedShape).replace(" ", "");
        if (problem != null) {
            return name + " " + shape + ": " + problem;
        }
        if (elements == 0) {
            return name + " " + shape + ": empty, nothing to compare";
        }
        return String.format(Locale.ROOT, "%s %s: max abs %s, max rel %s%s; worst at %s: expected %s, got %s",
                name, shape, err(maxAbs), err(maxRel),
                failures == 0 ? "" : String.format(Locale.ROOT, ", %d of %d elements out of tolerance", failures, elements),
                Arrays.toString(worstIndex).replace(" ", ""), fmt(worstExpected), fmt(worstGot));
    }

    /** An error: 3 significant digits. */
    static String err(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return fmt(v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** A value: up to 9 significant digits (float32 round-trips), trailing zeros dropped. */
    static String fmt(double v) {
        if (v == 0) {
            return "0";
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.9g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e").replaceAll("\\.$", "");
    }

    @Override
    public String toString() {
        return render();
    }
}
