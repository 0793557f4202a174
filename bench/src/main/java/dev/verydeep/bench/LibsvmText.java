package dev.verydeep.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The LIBSVM text format for the LIBLINEAR C tool ({@code label 1:v1 2:v2 ...}), and the weights of a model
 * file it writes. Each float is written as its exact double widening ({@link Double#toString}: the shortest
 * decimal that strtod parses back to that double), so the C tool sees the very values LIBLINEAR-java sees.
 * Zeros are written too: both sides then hold the same number of features per row.
 */
public final class LibsvmText {
    private LibsvmText() {
    }

    /** One row: {@code label}, then 1-based index:value for every value of {@code x[from .. from + d)}. */
    public static void writeRow(Writer out, int label, float[] x, int from, int d) throws IOException {
        StringBuilder s = new StringBuilder(d * 24);
        s.append(label);
        for (int j = 0; j < d; j++) {
            s.append(' ').append(j + 1).append(':').append((double) x[from + j]);
        }
        out.write(s.append('\n').toString());
    }

    /** The values of one written row, dense, as doubles; {@code d} features expected. */
    public static double[] parseRow(String line, int d) {
        String[] parts = line.trim().split(" ");
        double[] v = new double[d];
        for (int k = 1; k < parts.length; k++) {
            int colon = parts[k].indexOf(':');
            v[Integer.parseInt(parts[k].substring(0, colon)) - 1] = Double.parseDouble(parts[k].substring(colon + 1));
        }
        return v;
    }

    /**
     * The weight vectors of a LIBLINEAR C model file, one per label in {@code labels} order, each of
     * nr_feature values plus the bias weight (when the model has one), signed so that positive decisions mean
     * that label (a two-class model stores one vector, for its first label).
     */
    public static double[][] modelWeights(Path model, int[] labels) throws IOException {
        List<String> lines = Files.readAllLines(model, StandardCharsets.US_ASCII);
        int[] modelLabels = null;
        int features = -1;
        double bias = -1;
        int w = 0;
        while (!lines.get(w).equals("w")) {
            String[] kv = lines.get(w).split(" ");
            switch (kv[0]) {
                case "label" -> modelLabels = Arrays.stream(kv).skip(1).mapToInt(Integer::parseInt).toArray();
                case "nr_feature" -> features = Integer.parseInt(kv[1]);
                case "bias" -> bias = Double.parseDouble(kv[1]);
                default -> { }
            }
            w++;
        }
        int width = features + (bias >= 0 ? 1 : 0);
        int columns = modelLabels.length == 2 ? 1 : modelLabels.length;
        double[][] byColumn = new double[columns][width];
        for (int j = 0; j < width; j++) {
            String[] v = lines.get(w + 1 + j).trim().split(" ");
            for (int c = 0; c < columns; c++) {
                byColumn[c][j] = Double.parseDouble(v[c]);
            }
        }
        double[][] out = new double[labels.length][];
        for (int k = 0; k < labels.length; k++) {
            int at = indexOf(modelLabels, labels[k]);
            if (columns == 1) {
                double sign = at == 0 ? 1 : -1;
                out[k] = Arrays.stream(byColumn[0]).map(x -> sign * x).toArray();
            } else {
                out[k] = byColumn[at];
            }
        }
        return out;
    }

    /** The number of labels of a LIBLINEAR C model file. */
    public static int modelClasses(Path model) throws IOException {
        for (String line : Files.readAllLines(model, StandardCharsets.US_ASCII)) {
            if (line.startsWith("nr_class ")) {
                return Integer.parseInt(line.substring(9).trim());
            }
        }
        throw new IOException(model + " has no nr_class line");
    }

    /** Weight vectors written one per line (our format: {@link #writeWeights}). */
    public static double[][] readWeights(Path file) throws IOException {
        List<double[]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.add(Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray());
            }
        }
        return out.toArray(double[][]::new);
    }

    public static void writeWeights(Writer out, double[][] weights) throws IOException {
        for (double[] w : weights) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < w.length; j++) {
                s.append(j == 0 ? "" : " ").append(w[j]);
            }
            out.write(s.append('\n').toString());
        }
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new IllegalArgumentException("label " + v + " not in the model's labels " + Arrays.toString(a));
    }
}
