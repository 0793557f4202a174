package dev.verydeep.bench;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.transfer.svm.DenseMatrix;
import dev.verydeep.transfer.svm.Feed;
import dev.verydeep.transfer.svm.LinearSvm;
import dev.verydeep.transfer.svm.SvmSettings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * SVM training on the same dense descriptors by LIBLINEAR-java (FeatureNode feed or our shared cursor) and by
 * the LIBLINEAR C tool; {@code bench/scripts/svm-vs-c-tool.sh} runs each in its own process under
 * {@code /usr/bin/time -v} and compares. Subcommands:
 * <pre>
 *   make DIR [n d classes seed]      x.f32 (n, d, labels, floats) and the same values as binary.libsvm, ovr.libsvm
 *   train DIR binary|ovr FEED OUT [eps]  trains as the transfer module does (C = 1, its defaults); prints train_ms
 *   compare binary|ovr A B           max |wA - wB| over all weights; A, B: OUT files or C *.model files
 * </pre>
 * Binary: class 0 (+1) against the rest (-1). One-vs-rest: one binary SVM per class, as LIBLINEAR does.
 * The descriptors: seeded Gaussian clusters around a centre per class, ReLU-clipped and L2-normalised like
 * pooled penultimate activations.
 */
public final class SvmVsCTool {
    private static final double C = 1.0;

    private SvmVsCTool() {
    }

    public static void main(String[] args) throws IOException {
        try {
            switch (args.length == 0 ? "" : args[0]) {
                case "make" -> make(Path.of(args[1]), arg(args, 2, 5000), arg(args, 3, 4096), arg(args, 4, 5), arg(args, 5, 42));
                case "train" -> train(Path.of(args[1]), args[2], Feed.parse(args[3]), Path.of(args[4]),
                        args.length > 5 ? Double.parseDouble(args[5]) : SvmSettings.defaults().eps());
                case "compare" -> compare(args[1], Path.of(args[2]), Path.of(args[3]));
                default -> throw new UserException("usage: SvmVsCTool make DIR [n d classes seed] | train DIR binary|ovr FEED OUT [eps] | compare binary|ovr A B");
            }
        } catch (UserException e) {
            System.err.println("SvmVsCTool: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Descriptors and labels (class of row i: i mod classes). */
    public record Data(DenseMatrix x, int[] classes) {
    }

    public static Data generate(int n, int d, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] centres = new float[classes][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        float[] v = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            double norm = 0;
            for (int j = 0; j < d; j++) {
                float e = (float) Math.max(0, 0.5 * centres[y[i]][j] + r.nextGaussian());
                v[i * d + j] = e;
                norm += (double) e * e;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < d; j++) {
                v[i * d + j] *= inv;
            }
        }
        return new Data(new DenseMatrix(n, d, v), y);
    }

    static void make(Path dir, int n, int d, int classes, int seed) throws IOException {
        Data data = generate(n, d, classes, seed);
        float[] v = data.x().data();
        AtomicFiles.write(dir.resolve("x.f32"), out -> {
            DataOutputStream s = new DataOutputStream(out);
            s.writeInt(n);
            s.writeInt(d);
            for (int c : data.classes()) {
                s.writeInt(c);
            }
            for (float f : v) {
                s.writeFloat(f);
            }
            s.flush();
        });
        for (String problem : List.of("binary", "ovr")) {
            AtomicFiles.write(dir.resolve(problem + ".libsvm"), out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
                for (int i = 0; i < n; i++) {
                    int c = data.classes()[i];
                    LibsvmText.writeRow(w, problem.equals("binary") ? (c == 0 ? 1 : -1) : c, v, i * d, d);
                }
                w.flush();
            });
        }
        System.out.println("wrote " + n + " x " + d + " descriptors, " + classes + " classes, seed " + seed + " to " + dir);
    }

    static Data read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            int n = in.readInt();
            int d = in.readInt();
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = in.readInt();
            }
            float[] v = new float[n * d];
            for (int k = 0; k < v.length; k++) {
                v[k] = in.readFloat();
            }
            return new Data(new DenseMatrix(n, d, v), y);
        }
    }

    /** Weights of the binary SVM (one vector) or of each one-vs-rest SVM, trained as the transfer module does. */
    public static double[][] train(Data data, String problem, Feed feed, double eps) {
        int[] rows = IntStream.range(0, data.x().rows()).toArray();
        LinearSvm svm = new LinearSvm(data.x(), rows, SvmSettings.defaults().withFeed(feed).withEps(eps));
        int models = problem.equals("binary") ? 1 : IntStream.of(data.classes()).max().orElse(0) + 1;
        double[][] w = new double[models][];
        for (int k = 0; k < models; k++) {
            boolean[] positive = new boolean[rows.length];
            for (int i = 0; i < rows.length; i++) {
                positive[i] = data.classes()[i] == k;
            }
            w[k] = svm.train(positive, C).w();
        }
        return w;
    }

    static void train(Path dir, String problem, Feed feed, Path out, double eps) throws IOException {
        checkProblem(problem);
        Data data = read(dir.resolve("x.f32"));
        long t0 = System.nanoTime();
        double[][] w = train(data, problem, feed, eps);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        AtomicFiles.write(out, o -> {
            Writer writer = new OutputStreamWriter(o, StandardCharsets.US_ASCII);
            LibsvmText.writeWeights(writer, w);
            writer.flush();
        });
        System.out.println("problem=" + problem + " feed=" + feed.text() + " train_ms=" + ms);
    }

    static void compare(String problem, Path a, Path b) throws IOException {
        checkProblem(problem);
        double[][] wa = weights(problem, a);
        double[][] wb = weights(problem, b);
        System.out.printf("max_abs_diff=%.3g max_abs_w=%.3g%n", maxAbsDiff(wa, wb), maxAbs(wa));
    }

    private static double[][] weights(String problem, Path file) throws IOException {
        if (!file.toString().endsWith(".model")) {
            return LibsvmText.readWeights(file);
        }
        int[] labels = problem.equals("binary") ? new int[] {1} : IntStream.range(0, LibsvmText.modelClasses(file)).toArray();
        return LibsvmText.modelWeights(file, labels);
    }

    public static double maxAbsDiff(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new UserException(a.length + " weight vectors against " + b.length);
        }
        double m = 0;
        for (int k = 0; k < a.length; k++) {
            if (a[k].length != b[k].length) {
                throw new UserException("weight vector " + k + ": " + a[k].length + " values against " + b[k].length);
            }
            for (int j = 0; j < a[k].length; j++) {
                m = Math.max(m, Math.abs(a[k][j] - b[k][j]));
            }
        }
        return m;
    }

    private static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] w : a) {
            for (double x : w) {
                m = Math.max(m, Math.abs(x));
            }
        }
        return m;
    }

    private static void checkProblem(String problem) {
        if (!problem.equals("binary") && !problem.equals("ovr")) {
            throw new UserException("problem must be binary or ovr, got '" + problem + "'");
        }
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
