package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

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
 * In numpy: {@code dtype '>f4'}. Written and read by {@link PosteriorCodec}, as the chunks of {@link PartialResults} are.
 */
public final class PosteriorSet {
    public static final String FILE = "posteriors.bin";
    private static final String MAGIC = "VDPOSTR1";

    private final List<ModelInfo> models;
    private final List<Part> parts;
    private final List<Integer> scales;
    private final List<String> classNames;
    private final String[] ids;
    private final int[] labels;
    private final PosteriorBlocks blocks;
    private final boolean flip;

    /** {@code flip}: whether the dense parts include the mirrored image (for labels in reports). */
    public PosteriorSet(List<ModelInfo> models, List<Part> parts, List<Integer> scales, boolean flip, List<String> classNames, String[] ids,
                        int[] labels, PosteriorBlocks blocks) {
        this.flip = flip;
        this.models = List.copyOf(models);
        this.parts = List.copyOf(parts);
        this.scales = List.copyOf(scales);
        this.classNames = List.copyOf(classNames);
        this.ids = ids.clone();
        this.labels = labels.clone();
        this.blocks = blocks;
        PosteriorBlocks.Shape want = new PosteriorBlocks.Shape(models.size(), parts.size(), scales.size(), ids.length, classNames.size());
        if (labels.length != ids.length || !blocks.shape().equals(want)) {
            throw new IllegalArgumentException("inconsistent posterior set: " + blocks.shape() + " for " + want + " and " + labels.length + " labels");
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

    /** The posteriors and seconds, unnamed (not copied: do not modify). */
    public PosteriorBlocks blocks() {
        return blocks;
    }

    /** The stored posteriors of one net, part and scale ({@code N x K}, not copied: do not modify). */
    public float[] raw(int model, Part part, int scale) {
        return blocks.block(model, partIndex(part), scaleIndex(scale));
    }

    /** Inference seconds spent on the given nets, parts and scales. */
    public double seconds(Collection<Integer> modelIdx, Collection<Part> ps, Collection<Integer> qs) {
        double s = 0;
        for (int m : modelIdx) {
            for (Part p : ps) {
                for (int q : qs) {
                    s += blocks.seconds(m, partIndex(p), scaleIndex(q));
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
        String[] id = new String[rows.length];
        int[] lab = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            id[r] = ids[rows[r]];
            lab[r] = labels[rows[r]];
        }
        return new PosteriorSet(models, parts, scales, flip, classNames, id, lab, blocks.select(rows));
    }

    /**
     * The images of several sets one after the other, e.g. partitions of a data set evaluated apart (with
     * {@link PartitionEvaluator}) in partition order; seconds are summed. The sets must agree on nets, parts,
     * scales, flip and classes.
     */
    public static PosteriorSet concat(List<PosteriorSet> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        PosteriorSet first = sets.get(0);
        List<String> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (PosteriorSet s : sets) {
            if (!s.models.equals(first.models) || !s.parts.equals(first.parts) || !s.scales.equals(first.scales) || s.flip != first.flip
                    || !s.classNames.equals(first.classNames)) {
                throw new IllegalArgumentException("cannot concatenate posteriors made differently (nets, parts, scales, flip or classes differ)");
            }
            ids.addAll(Arrays.asList(s.ids));
            for (int l : s.labels) {
                labels.add(l);
            }
        }
        return new PosteriorSet(first.models, first.parts, first.scales, first.flip, first.classNames, ids.toArray(String[]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), PosteriorBlocks.concat(sets.stream().map(s -> s.blocks).toList()));
    }

    /** Writes {@value #FILE}-format bytes atomically to {@code file}. */
    public void write(Path file) {
        PosteriorCodec.write(file, MAGIC, out -> {
            PosteriorCodec.writeInts(out, models.size(), parts.size(), scales.size(), ids.length, classes(), flip ? 1 : 0);
            for (int q : scales) {
                out.writeInt(q);
            }
            for (Part p : parts) {
                out.writeInt(p.code());
            }
            for (ModelInfo m : models) {
                for (String f : new String[] {m.label(), m.trainScale(), m.path(), m.sha256()}) {
                    PosteriorCodec.writeString(out, f);
                }
            }
            for (String c : classNames) {
                PosteriorCodec.writeString(out, c);
            }
            for (int i = 0; i < ids.length; i++) {
                out.writeInt(labels[i]);
                PosteriorCodec.writeString(out, ids[i]);
            }
        }, blocks);
    }

    /** The header of a {@value #FILE}: everything but the blocks. */
    private record Header(PosteriorBlocks.Shape shape, boolean flip, List<Integer> scales, List<Part> parts, List<ModelInfo> models,
                          List<String> classNames, String[] ids, int[] labels) implements PosteriorCodec.Header {
    }

    /** Reads a {@value #FILE}; a missing, truncated or corrupt file is a {@link UserException} naming it. */
    public static PosteriorSet read(Path file) {
        PosteriorCodec.Decoded<Header> d = PosteriorCodec.read(file, MAGIC, "verydeep posterior file", PosteriorSet::header);
        Header h = d.header();
        return new PosteriorSet(h.models(), h.parts(), h.scales(), h.flip(), h.classNames(), h.ids(), h.labels(), d.blocks());
    }

    private static Header header(PosteriorCodec.Reader in) throws IOException {
        Path file = in.file();
        PosteriorBlocks.Shape shape = new PosteriorBlocks.Shape(in.dim("nets"), in.dim("parts"), in.dim("scales"), in.dim("images"),
                in.dim("classes"));
        int flags = in.readInt();
        List<Integer> scales = new ArrayList<>();
        for (int s = 0; s < shape.scales(); s++) {
            scales.add(in.readInt());
        }
        List<Part> parts = new ArrayList<>();
        for (int p = 0; p < shape.parts(); p++) {
            int code = in.readInt();
            try {
                parts.add(Part.ofCode(code));
            } catch (IllegalArgumentException e) {
                throw new UserException(file + ": unknown part code " + code);
            }
        }
        List<ModelInfo> models = new ArrayList<>();
        for (int m = 0; m < shape.nets(); m++) {
            models.add(new ModelInfo(in.string(), in.string(), in.string(), in.string()));
        }
        List<String> classNames = new ArrayList<>();
        for (int c = 0; c < shape.classes(); c++) {
            classNames.add(in.string());
        }
        int n = shape.images();
        String[] ids = new String[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = in.readInt();
            if (labels[i] < 0 || labels[i] >= shape.classes()) {
                throw new UserException(file + ": label " + labels[i] + " of image " + i + " outside 0.." + (shape.classes() - 1));
            }
            ids[i] = in.string();
        }
        return new Header(shape, (flags & 1) != 0, scales, parts, models, classNames, ids, labels);
    }
}
