package dev.verydeep.runtime;

import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.LrnParams;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.util.List;

/**
 * A naive forward pass of a described net in double precision, written from the paper and nothing else
 * (no ONNX, no DJL): 3x3/1x1 convs with "same" zero padding, ReLU, LRN with the paper's (AlexNet's)
 * sum convention {@code b = a / (k + alpha * sum a^2)^beta}, 2x2/2 max-pool, and FC layers over the
 * C,H,W-flattened map. Maps are {@code [C][H][W]}, one image at a time.
 */
final class ReferenceNet {
    private final NetWeights weights;
    private final NetDescription net;

    ReferenceNet(NetWeights weights) {
        this.weights = weights;
        this.net = weights.net();
    }

    /** Activations of the conv part (after pool5) for one image {@code [3][H][W]}. */
    double[][][] features(double[][][] image) {
        double[][][] x = image;
        for (Layer l : net.layers()) {
            switch (l.kind()) {
                case CONV -> x = relu(conv(x, weights.get(NetWeights.weightName(l)).data(), weights.get(NetWeights.biasName(l)).data(),
                        l.outChannels(), l.kernel(), l.padding()));
                case LRN -> x = lrn(x, net.lrn());
                case MAXPOOL -> x = maxPool(x);
                case FC -> {
                    return x;
                }
            }
        }
        return x;
    }

    /** Class scores of one crop-sized image. */
    double[] scores(double[][][] image) {
        return head(features(image), 0, 0)[1];
    }

    /**
     * The FC head on the {@code k x k} window of a feature map at ({@code row}, {@code col}), k = crop/32:
     * returns {FC2 after ReLU (penultimate), FC3 (scores)}.
     */
    double[][] head(double[][][] f, int row, int col) {
        int k = net.fcKernel();
        int c = f.length;
        double[] flat = new double[c * k * k];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    flat[(ch * k + i) * k + j] = f[ch][row + i][col + j];
                }
            }
        }
        List<Layer> fcs = net.fcLayers();
        double[] h1 = relu(fc(flat, fcs.get(0)));
        double[] h2 = relu(fc(h1, fcs.get(1)));
        double[] s = fc(h2, fcs.get(2));
        return new double[][] {h2, s};
    }

    private double[] fc(double[] in, Layer l) {
        float[] w = weights.get(NetWeights.weightName(l)).data();
        float[] b = weights.get(NetWeights.biasName(l)).data();
        int out = l.outChannels();
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b[o];
            int base = o * in.length;
            for (int i = 0; i < in.length; i++) {
                s += w[base + i] * in[i];
            }
            y[o] = s;
        }
        return y;
    }

    static double[][][] conv(double[][][] x, float[] w, float[] b, int out, int k, int pad) {
        int c = x.length;
        int h = x[0].length;
        int wd = x[0][0].length;
        int oh = h + 2 * pad - k + 1;
        int ow = wd + 2 * pad - k + 1;
        double[][][] y = new double[out][oh][ow];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double s = b[o];
                    for (int ch = 0; ch < c; ch++) {
                        for (int di = 0; di < k; di++) {
                            int r = i + di - pad;
                            if (r < 0 || r >= h) {
                                continue;
                            }
                            for (int dj = 0; dj < k; dj++) {
                                int q = j + dj - pad;
                                if (q < 0 || q >= wd) {
                                    continue;
                                }
                                s += w[((o * c + ch) * k + di) * k + dj] * x[ch][r][q];
                            }
                        }
                    }
                    y[o][i][j] = s;
                }
            }
        }
        return y;
    }

    static double[][][] relu(double[][][] x) {
        for (double[][] a : x) {
            for (double[] row : a) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = Math.max(0, row[j]);
                }
            }
        }
        return x;
    }

    static double[] relu(double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(0, x[i]);
        }
        return x;
    }

    /** The paper's LRN: alpha multiplies the sum over the window of {@code size} channels centred on c. */
    static double[][][] lrn(double[][][] x, LrnParams p) {
        int c = x.length;
        int half = p.size() / 2;
        double[][][] y = new double[c][x[0].length][x[0][0].length];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < x[0].length; i++) {
                for (int j = 0; j < x[0][0].length; j++) {
                    double sum = 0;
                    for (int n = Math.max(0, ch - half); n <= Math.min(c - 1, ch + half); n++) {
                        sum += x[n][i][j] * x[n][i][j];
                    }
                    y[ch][i][j] = x[ch][i][j] / Math.pow(p.k() + p.alpha() * sum, p.beta());
                }
            }
        }
        return y;
    }

    static double[][][] maxPool(double[][][] x) {
        int c = x.length;
        int oh = x[0].length / 2;
        int ow = x[0][0].length / 2;
        double[][][] y = new double[c][oh][ow];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    y[ch][i][j] = Math.max(Math.max(x[ch][2 * i][2 * j], x[ch][2 * i][2 * j + 1]),
                            Math.max(x[ch][2 * i + 1][2 * j], x[ch][2 * i + 1][2 * j + 1]));
                }
            }
        }
        return y;
    }
}
