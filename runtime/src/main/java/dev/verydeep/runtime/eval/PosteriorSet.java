package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Per-image class posteriors of an evaluation, kept apart per net, part (dense, multi-crop) and test scale so
 * that every combination of section 3.2 and section 4 (single/multi-scale, dense/multi-crop/both, fusion) is
 * formed from them without rerunning a net. Only evaluated images are held (skipped ones are not).
 *
 * <p>Combining: {@link #model} averages one net's parts and scales (equal weights); fusion ({@link #fuse})
 * averages the per-net results. Always in this order and in double precision, rounded to float at each of the
 * two levels, so fusing saved posteriors ({@code verydeep fuse}) gives exactly what a live run gives.
 *
 * <p>File format ({@value #FILE}, big-endian, as Java's {@code DataOutputStream} writes it; strings are
 * {@code int32 length + UTF-8 bytes}): magic {@code "VDPOSTR1"}; int32 M (nets), P (parts), S (scales),
 * N (images), K (classes), flags (bit 0: dense with flip); S x int32 scales; P x int32 part code (0 dense, 1 multi-crop); M x (label, train
 * scale, path, sha256) strings; K class-name strings; N x (int32 label, string id); M x P x S float64 seconds;
 * M x P x S x N x K float32 posteriors (image-major within a block); int64 CRC-32 of all preceding bytes.
 * In numpy: {@code dtype '>f4'}.
 */
public final class PosteriorSet {
    public static final String FILE = "posteriors.bin";
    private static final byte[] MAGIC = "VDPOSTR1".getBytes(StandardCharsets.US_ASCII);
    /** Sanity bounds when reading, so a corrupt header cannot allocate absurd arrays. */
    private static final int MAX_DIM = 1 << 28;

    private final List<ModelInfo> models;
    private final List<Part> parts;
    private final List<Integer> scales;
    private final List<String> classNames;
    private final String[] ids;
    private final int[] labels;
    /** [model][part][scale][image * K + class]. */
    private final float[][][][] data;
    /** Seconds of inference (fill, run, soft-max) per [model][part][scale]. */
    private final double[][][] seconds;
    private final boolean flip;

    /** {@code flip}: whether the dense parts include the mirrored image (for labels in reports). */
    public PosteriorSet(List<ModelInfo> models, List<Part> parts, List<Integer> scales, boolean flip, List<String> classNames, String[] ids,
                        int[] labels, float[][][][] data, double[][][] seconds) {
        this.flip = flip;
        this.models = List.copyOf(models);
        this.parts = List.copyOf(parts);
        this.scales = List.copyOf(scales);
        this.classNames = List.copyOf(classNames);
        this.ids = ids.clone();
        this.labels = labels.clone();
        this.data = data;
        this.seconds = seconds;
        int n = ids.length;
        int k = classNames.size();
        if (labels.length != n || data.length != models.size()) {
            throw new IllegalArgumentException("inconsistent posterior set");
        }
        for (float[][][] m : data) {
            if (m.length != parts.size()) {
                throw new IllegalArgumentException("inconsistent posterior set: parts");
            }
            for (float[][] p : m) {
                if (p.length != scales.size()) {
                    throw new IllegalArgumentException("inconsistent posterior set: scales");
                }
                for (float[] s : p) {
                    if (s.length != n * k) {
                        throw new IllegalArgumentException("inconsistent posterior set: " + s.length + " values for " + n + " x " + k);
                    }
                }
            }
        }
    }

    public List<ModelInfo> models() {
        return models;
    }

    public List<Part> parts() {
        return parts;
    }

    public List<Integer> scales() {
        return scales;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** Whether the dense parts averaged the mirrored image's posterior in. */
    public boolean flip() {
        return flip;
    }

    public int classes() {
        return classNames.size();
    }

    public int images() {
        return ids.length;
    }

    public String id(int i) {
        return ids[i];
    }

    public int[] labels() {
        return labels.clone();
    }

    /** The stored posteriors of one net, part and scale ({@code N x K}, not copied: do not modify). */
    public float[] raw(int model, Part part, int scale) {
        return data[model][partIndex(part)][scaleIndex(scale)];
    }

    /** Inference seconds spent on the given nets, parts and scales. */
    public double seconds(Collection<Integer> modelIdx, Collection<Part> ps, Collection<Integer> qs) {
        double s = 0;
        for (int m : modelIdx) {
            for (Part p : ps) {
                for (int q : qs) {
                    s += seconds[m][partIndex(p)][scaleIndex(q)];
                }
            }
        }
        return s;
    }

    private int partIndex(Part p) {
        int i = parts.indexOf(p);
        if (i < 0) {
            throw new IllegalArgumentException("no " + p + " posteriors in this set (has " + parts + ")");
        }
        return i;
    }

    private int scaleIndex(int q) {
        int i = scales.indexOf(q);
        if (i < 0) {
            throw new IllegalArgumentException("no posteriors at Q=" + q + " in this set (has " + scales + ")");
        }
        return i;
    }

    /** One net's posterior averaged over the given parts and scales (equal weights). */
    public float[] model(int m, Collection<Part> ps, Collection<Integer> qs) {
        List<float[]> blocks = new ArrayList<>();
        for (Part p : ps) {
            for (int q : qs) {
                blocks.add(raw(m, p, q));
            }
        }
        return mean(blocks);
    }

    /** One net's posterior over all its parts and scales. */
    public float[] model(int m) {
        return model(m, parts, scales);
    }

    /** Fusion: the mean of the given nets' {@link #model} posteriors. */
    public float[] fused(Collection<Integer> modelIdx, Collection<Part> ps, Collection<Integer> qs) {
        List<float[]> per = new ArrayList<>();
        for (int m : modelIdx) {
            per.add(model(m, ps, qs));
        }
        return fuse(per);
    }

    /** Fusion of per-net posteriors: their element-wise mean. */
    public static float[] fuse(List<float[]> perNet) {
        return mean(perNet);
    }

    /** Element-wise mean in double precision, rounded to float. */
    static float[] mean(List<float[]> blocks) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("nothing to average");
        }
        int len = blocks.get(0).length;
        float[] out = new float[len];
        int b = blocks.size();
        for (int i = 0; i < len; i++) {
            double s = 0;
            for (float[] f : blocks) {
                s += f[i];
            }
            out[i] = (float) (s / b);
        }
        return out;
    }

    /** The images at {@code rows} (in that order), e.g. those common to several runs. */
    public PosteriorSet select(int[] rows) {
        int k = classes();
        String[] id = new String[rows.length];
        int[] lab = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            id[r] = ids[rows[r]];
            lab[r] = labels[rows[r]];
        }
        float[][][][] d = new float[models.size()][parts.size()][scales.size()][];
        for (int m = 0; m < d.length; m++) {
            for (int p = 0; p < d[m].length; p++) {
                for (int s = 0; s < d[m][p].length; s++) {
                    float[] src = data[m][p][s];
                    float[] dst = new float[rows.length * k];
                    for (int r = 0; r < rows.length; r++) {
                        System.arraycopy(src, rows[r] * k, dst, r * k, k);
                    }
                    d[m][p][s] = dst;
                }
            }
        }
        return new PosteriorSet(models, parts, scales, flip, classNames, id, lab, d, seconds);
    }

    /** Writes {@value #FILE}-format bytes atomically to {@code file}. */
    public void write(Path file) {
        AtomicFiles.write(file, raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(checked, 1 << 16));
            out.write(MAGIC);
            out.writeInt(models.size());
            out.writeInt(parts.size());
            out.writeInt(scales.size());
            out.writeInt(ids.length);
            out.writeInt(classes());
            out.writeInt(flip ? 1 : 0);
            for (int q : scales) {
                out.writeInt(q);
            }
            for (Part p : parts) {
                out.writeInt(p.code());
            }
            for (ModelInfo m : models) {
                str(out, m.label());
                str(out, m.trainScale());
                str(out, m.path());
                str(out, m.sha256());
            }
            for (String c : classNames) {
                str(out, c);
            }
            for (int i = 0; i < ids.length; i++) {
                out.writeInt(labels[i]);
                str(out, ids[i]);
            }
            for (double[][] m : seconds) {
                for (double[] p : m) {
                    for (double s : p) {
                        out.writeDouble(s);
                    }
                }
            }
            for (float[][][] m : data) {
                for (float[][] p : m) {
                    for (float[] s : p) {
                        for (float v : s) {
                            out.writeFloat(v);
                        }
                    }
                }
            }
            out.flush();
            long crc = checked.getChecksum().getValue();
            out.writeLong(crc);
            out.flush();
        });
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** Reads a {@value #FILE}; a missing, truncated or corrupt file is a {@link UserException} naming it. */
    public static PosteriorSet read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
            DataInputStream in = new DataInputStream(checked);
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new UserException(file + ": not a verydeep posterior file (bad magic)");
            }
            int mN = dim(file, in.readInt(), "nets");
            int pN = dim(file, in.readInt(), "parts");
            int sN = dim(file, in.readInt(), "scales");
            int n = dim(file, in.readInt(), "images");
            int k = dim(file, in.readInt(), "classes");
            int flags = in.readInt();
            long values = (long) mN * pN * sN * n * k;
            long size = Files.size(file);
            if (values * 4 > size) {
                throw new UserException(file + ": truncated (header promises " + values + " posteriors, file has " + size + " bytes)");
            }
            List<Integer> scales = new ArrayList<>();
            for (int s = 0; s < sN; s++) {
                scales.add(in.readInt());
            }
            List<Part> parts = new ArrayList<>();
            for (int p = 0; p < pN; p++) {
                int code = in.readInt();
                try {
                    parts.add(Part.ofCode(code));
                } catch (IllegalArgumentException e) {
                    throw new UserException(file + ": unknown part code " + code);
                }
            }
            List<ModelInfo> models = new ArrayList<>();
            for (int m = 0; m < mN; m++) {
                models.add(new ModelInfo(str(file, in), str(file, in), str(file, in), str(file, in)));
            }
            List<String> classNames = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                classNames.add(str(file, in));
            }
            String[] ids = new String[n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readInt();
                if (labels[i] < 0 || labels[i] >= k) {
                    throw new UserException(file + ": label " + labels[i] + " of image " + i + " outside 0.." + (k - 1));
                }
                ids[i] = str(file, in);
            }
            double[][][] seconds = new double[mN][pN][sN];
            for (double[][] m : seconds) {
                for (double[] p : m) {
                    for (int s = 0; s < sN; s++) {
                        p[s] = in.readDouble();
                    }
                }
            }
            float[][][][] data = new float[mN][pN][sN][];
            for (float[][][] m : data) {
                for (float[][] p : m) {
                    for (int s = 0; s < sN; s++) {
                        float[] v = new float[n * k];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = in.readFloat();
                        }
                        p[s] = v;
                    }
                }
            }
            long expected = checked.getChecksum().getValue();
            long stored = in.readLong();
            if (stored != expected) {
                throw new UserException(file + ": checksum mismatch (file corrupt)");
            }
            if (in.read() != -1) {
                throw new UserException(file + ": unexpected bytes after the checksum");
            }
            return new PosteriorSet(models, parts, scales, (flags & 1) != 0, classNames, ids, labels, data, seconds);
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": file not found");
        } catch (EOFException e) {
            throw new UserException(file + ": truncated");
        } catch (IOException e) {
            throw new UserException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static int dim(Path file, int v, String what) {
        if (v < 0 || v > MAX_DIM) {
            throw new UserException(file + ": corrupt header (" + what + " = " + v + ")");
        }
        return v;
    }

    private static String str(Path file, DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > 1 << 20) {
            throw new UserException(file + ": corrupt string length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
