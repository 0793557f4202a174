package dev.verydeep.transfer.svm;

/**
 * Dense float32 rows (descriptors), row-major in one array: {@code rows x cols} values, row r at
 * {@code data[r * cols ..]}. Not copied: the SVM code only reads it.
 */
public record DenseMatrix(int rows, int cols, float[] data) implements java.io.Serializable {
    public DenseMatrix {
        if (rows < 0 || cols < 1 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " does not match " + data.length + " values");
        }
    }

    public float get(int r, int c) {
        return data[r * cols + c];
    }

    /** Dot product of row r with {@code w[0 .. cols)} in index order, plus {@code w[cols] * bias} when bias >= 0. */
    public double dot(int r, double[] w, double bias) {
        double s = 0;
        int base = r * cols;
        for (int j = 0; j < cols; j++) {
            s += w[j] * data[base + j];
        }
        if (bias >= 0) {
            s += w[cols] * bias;
        }
        return s;
    }
}
