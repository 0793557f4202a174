package dev.verydeep.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    @Test
    void knownTridiagonalMatrix() {
        // The 1-D Laplacian [[2,-1,0],[-1,2,-1],[0,-1,2]] has eigenvalues 2 + sqrt2, 2, 2 - sqrt2 with
        // eigenvectors (1, -sqrt2, 1)/2, (1, 0, -1)/sqrt2, (1, sqrt2, 1)/2.
        double s2 = Math.sqrt(2);
        SymmetricEigen.Result r = SymmetricEigen.decompose(new double[][] {{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}});
        assertArrayEquals(new double[] {2 + s2, 2, 2 - s2}, r.values(), 1e-12);
        assertColumn(r, 0, 0.5, -s2 / 2, 0.5); // largest-magnitude component (-sqrt2/2) made positive
        assertColumn(r, 1, 1 / s2, 0, -1 / s2);
        assertColumn(r, 2, 0.5, s2 / 2, 0.5);
    }

    private static void assertColumn(SymmetricEigen.Result r, int j, double... v) {
        double[] col = {r.vectors()[0][j], r.vectors()[1][j], r.vectors()[2][j]};
        double sign = Math.signum(col[0] * v[0] + col[1] * v[1] + col[2] * v[2]);
        for (int i = 0; i < 3; i++) {
            assertEquals(v[i] * sign, col[i], 1e-12);
        }
        // Sign convention: the largest-magnitude component is positive.
        int big = 0;
        for (int i = 1; i < 3; i++) {
            if (Math.abs(col[i]) > Math.abs(col[big]) + 1e-9) {
                big = i;
            }
        }
        assertEquals(1.0, Math.signum(col[big]));
    }

    @Test
    void rankOneGreyCovariance() {
        double v = 8100;
        SymmetricEigen.Result r = SymmetricEigen.decompose(new double[][] {{v, v, v}, {v, v, v}, {v, v, v}});
        assertArrayEquals(new double[] {3 * v, 0, 0}, r.values(), 1e-9);
        double c = 1 / Math.sqrt(3);
        assertColumn(r, 0, c, c, c);
        assertOrthonormal(r.vectors());
    }

    @Test
    void randomSymmetricMatricesAreDiagonalised() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(5);
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i][j] = a[j][i] = rnd.nextGaussian() * 100;
                }
            }
            SymmetricEigen.Result r = SymmetricEigen.decompose(a);
            assertOrthonormal(r.vectors());
            for (int j = 0; j < n; j++) {
                if (j > 0) {
                    assertEquals(true, r.values()[j - 1] >= r.values()[j]);
                }
                for (int i = 0; i < n; i++) {
                    double av = 0;
                    for (int k = 0; k < n; k++) {
                        av += a[i][k] * r.vectors()[k][j];
                    }
                    assertEquals(r.values()[j] * r.vectors()[i][j], av, 1e-9);
                }
            }
        }
    }

    private static void assertOrthonormal(double[][] v) {
        int n = v.length;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i][a] * v[i][b];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-12);
            }
        }
    }
}
