package dev.verydeep.core.image;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: for the 3x3 colour covariance
 * behind AlexNet's PCA lighting. Jacobi is a dozen lines, needs no library and is accurate for tiny matrices
 * (every rotation is orthogonal, so the eigenvectors come out orthonormal even for repeated eigenvalues, such
 * as the rank-1 covariance of grey images).
 */
public final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    private SymmetricEigen() {
    }

    /**
     * Eigenvalues in descending order, and eigenvectors as the columns of {@code vectors}
     * ({@code vectors[i][j]} = component i of eigenvector j), each with its largest-magnitude component
     * positive so the result does not depend on rounding.
     */
    public record Result(double[] values, double[][] vectors) {
    }

    /** Decomposes the symmetric matrix {@code m} (only checked for being square and symmetric to 1e-9 relative). */
    public static Result decompose(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            if (m[i].length != n) {
                throw new IllegalArgumentException("matrix is not square");
            }
            a[i] = m[i].clone();
            for (double x : a[i]) {
                scale = Math.max(scale, Math.abs(x));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * Math.max(scale, Double.MIN_NORMAL)) {
                    throw new IllegalArgumentException("matrix is not symmetric at (" + i + "," + j + ")");
                }
            }
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off == 0 || Math.sqrt(off) <= 1e-15 * scale) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] != 0) {
                        rotate(a, v, p, q);
                    }
                }
            }
        }
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = a[i][i];
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -diag[i]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int j = 0; j < n; j++) {
            int col = order[j];
            values[j] = diag[col];
            int big = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(v[i][col]) > Math.abs(v[big][col]) + 1e-12) {
                    big = i;
                }
            }
            double sign = v[big][col] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) {
                vectors[i][j] = sign * v[i][col] + 0.0;
            }
        }
        return new Result(values, vectors);
    }

    /** One rotation in the (p, q) plane that zeroes a[p][q]: A = J^T A J, V = V J. */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        int n = a.length;
        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        } else if (Double.isInfinite(theta * theta)) {
            t = 1 / (2 * theta);
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
        a[p][q] = 0;
        a[q][p] = 0;
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }
}
