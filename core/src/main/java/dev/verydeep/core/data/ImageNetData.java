package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.ImageDecoder;
import dev.verydeep.core.image.RgbImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ImageNet-style (ILSVRC) labelled images, in either layout of the real data:
 *
 * <ul>
 *   <li>per-synset folders ({@code DIR/n01440764/*.JPEG}, read by {@link ImageFolder}); with a synset list, every
 *       folder must be a listed wnid and every listed wnid must have a folder;</li>
 *   <li>a flat folder of images plus a ground-truth file ({@code --labels}), either "file label" lines
 *       ({@code ILSVRC2012_val_00000001.JPEG 65}: a 0-based index into the synset list, as caffe's
 *       {@code val.txt}; or a wnid) or the devkit's one label per line
 *       ({@code ILSVRC2012_validation_ground_truth.txt}: line i is the i-th image file in name order, a
 *       1-based index into the synset list, which must then be in the devkit's order).</li>
 * </ul>
 *
 * <p>The synset list ({@code --synsets}: one wnid per line, optionally followed by a description, as caffe's
 * {@code synsets.txt} or {@code synset_words.txt}) defines the class order, which must be the model's score
 * order. Without it, per-synset folders are ordered by name (sorted wnids: caffe's and torchvision's order).
 * Every error names the file (and line) and what is wrong.
 */
public final class ImageNetData extends LabelledImages {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*");

    /** A synset list: wnids in class order, and their descriptions ("" when none). */
    public record Synsets(Path file, List<String> wnids, List<String> descriptions) {
        /** Index of each wnid. */
        Map<String, Integer> index() {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < wnids.size(); i++) {
                m.put(wnids.get(i), i);
            }
            return m;
        }
    }

    private final String what;
    private final Path[] files;
    private final String[] ids;
    private final long maxPixels;

    private ImageNetData(String what, List<String> classNames, Path[] files, String[] ids, int[] labels, long maxPixels) {
        super(labels, classNames);
        this.what = what;
        this.files = files;
        this.ids = ids;
        this.maxPixels = maxPixels;
    }

    /**
     * Opens {@code dir}: per-synset folders ({@code labels} null; {@code synsets} optional) or a flat folder with
     * a ground-truth file ({@code labels} and {@code synsets} required).
     */
    public static ImageSource open(Path dir, Path synsetsFile, Path labelsFile, long maxPixels) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + (Files.exists(dir) ? " is not a folder" : " does not exist")
                    + " (expected per-synset folders such as n01440764/, or a flat folder of validation images with --labels)");
        }
        Synsets synsets = synsetsFile == null ? null : readSynsets(synsetsFile);
        boolean hasFolders = ImageFolder.list(dir).stream().anyMatch(p -> !ImageFolder.hidden(p) && Files.isDirectory(p));
        if (labelsFile == null) {
            if (!hasFolders) {
                throw new UserException(dir + ": no per-synset folders (expected DIR/n01440764/*.JPEG); for a flat folder of "
                        + "validation images give --labels (the ground truth) and --synsets");
            }
            return synsets == null ? ImageFolder.open(dir, "imagenet", maxPixels) : folders(dir, synsets, maxPixels);
        }
        if (synsets == null) {
            throw new UserException("--labels " + labelsFile + ": needs --synsets (the class order the labels index)");
        }
        if (hasFolders) {
            throw new UserException(dir + ": has per-synset folders, whose names are the labels; --labels applies to a flat folder of images");
        }
        return flat(dir, synsets, labelsFile, maxPixels);
    }

    /** Reads a synset list: one wnid per line, optionally followed by whitespace and a description. */
    public static Synsets readSynsets(Path file) {
        List<String> lines = lines(file, "--synsets");
        List<String> wnids = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.isEmpty()) {
                continue;
            }
            String[] p = t.split("\\s+", 2);
            String wnid = p[0];
            if (!PLAIN.matcher(wnid).matches()) {
                throw new UserException(file + " line " + (i + 1) + ": '" + wnid + "' is not a synset id (expected e.g. n01440764)");
            }
            Integer before = seen.put(wnid, i + 1);
            if (before != null) {
                throw new UserException(file + " line " + (i + 1) + ": duplicate wnid " + wnid + " (also line " + before + ")");
            }
            wnids.add(wnid);
            descriptions.add(p.length > 1 ? p[1].strip() : "");
        }
        if (wnids.isEmpty()) {
            throw new UserException(file + ": no synsets (expected one wnid per line, e.g. 'n01440764 tench, Tinca tinca')");
        }
        return new Synsets(file, List.copyOf(wnids), List.copyOf(descriptions));
    }

    /** Per-synset folders in the synset list's order. */
    private static ImageSource folders(Path dir, Synsets synsets, long maxPixels) {
        Map<String, Integer> index = synsets.index();
        for (Path p : ImageFolder.list(dir)) {
            String name = p.getFileName().toString();
            if (!ImageFolder.hidden(p) && Files.isDirectory(p) && !index.containsKey(name)) {
                throw new UserException(p + ": folder of unknown wnid " + name + " (not in " + synsets.file() + ")");
            }
        }
        for (int c = 0; c < synsets.wnids().size(); c++) {
            if (!Files.isDirectory(dir.resolve(synsets.wnids().get(c)))) {
                throw new UserException(dir + ": missing synset folder " + synsets.wnids().get(c) + "/ (" + synsets.file() + " lists it)");
            }
        }
        ImageFolder f = ImageFolder.open(dir, "imagenet", maxPixels);
        Path[] files = new Path[f.size()];
        String[] ids = new String[f.size()];
        int[] labels = new int[f.size()];
        for (int i = 0; i < f.size(); i++) {
            files[i] = f.path(i);
            ids[i] = f.id(i);
            labels[i] = index.get(f.classNames().get(f.label(i)));
        }
        String what = "imagenet:" + dir + " (" + files.length + " images in per-synset folders, " + synsets.wnids().size()
                + " classes in the order of " + synsets.file() + ")";
        return new ImageNetData(what, synsets.wnids(), files, ids, labels, maxPixels);
    }

    /** A flat folder of images and a ground-truth file. */
    private static ImageSource flat(Path dir, Synsets synsets, Path labelsFile, long maxPixels) {
        List<String> lines = lines(labelsFile, "--labels");
        List<String[]> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (!t.isEmpty()) {
                rows.add(t.split("\\s+"));
                lineNumbers.add(i + 1);
            }
        }
        if (rows.isEmpty()) {
            throw new UserException(labelsFile + ": no labels");
        }
        int k = synsets.wnids().size();
        boolean devkit = rows.get(0).length == 1;
        List<String> names = new ArrayList<>();
        int[] labels = new int[rows.size()];
        if (devkit) {
            // line i labels the i-th image file in name order
            List<String> images = ImageFolder.list(dir).stream().map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && ImageFolder.isImageName(n)).toList();
            if (images.size() != rows.size()) {
                throw new UserException(labelsFile + ": " + rows.size() + " labels (one per line, the devkit's ground truth) but " + dir
                        + " holds " + images.size() + " images; line i labels the i-th image in name order");
            }
            names.addAll(images);
        }
        Map<String, Integer> index = synsets.index();
        Map<String, Integer> listed = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            String[] p = rows.get(r);
            String where = labelsFile + " line " + lineNumbers.get(r);
            if (p.length != (devkit ? 1 : 2)) {
                throw new UserException(where + ": expected " + (devkit ? "one label (as the first line)" : "'file label'") + ", got '"
                        + String.join(" ", p) + "'");
            }
            String label = p[p.length - 1];
            if (!devkit) {
                String name = p[0];
                if (!PLAIN.matcher(name).matches()) {
                    throw new UserException(where + ": image '" + name + "' is not a plain file name in " + dir + " (refused)");
                }
                Integer before = listed.put(name, lineNumbers.get(r));
                if (before != null) {
                    throw new UserException(where + ": image " + name + " listed twice (also line " + before + ")");
                }
                if (!Files.isRegularFile(dir.resolve(name))) {
                    throw new UserException(where + ": image " + name + " listed but missing in " + dir);
                }
                names.add(name);
            }
            labels[r] = label(label, devkit, index, k, where, synsets.file());
        }
        Path[] files = names.stream().map(dir::resolve).toArray(Path[]::new);
        String what = "imagenet:" + dir + " (" + files.length + " images, labels " + labelsFile + ", " + k + " classes in the order of "
                + synsets.file() + ")";
        return new ImageNetData(what, synsets.wnids(), files, names.toArray(String[]::new), labels, maxPixels);
    }

    /** A label: a wnid, a 0-based index ("file label" lines) or a 1-based index (devkit lines). */
    private static int label(String text, boolean devkit, Map<String, Integer> index, int k, String where, Path synsetsFile) {
        if (!text.matches("-?[0-9]+")) {
            Integer c = index.get(text);
            if (c == null) {
                throw new UserException(where + ": unknown wnid " + text + " (not in " + synsetsFile + ")");
            }
            return c;
        }
        int base = devkit ? 1 : 0;
        long v = text.length() > 10 ? Long.MAX_VALUE : Long.parseLong(text);
        if (v < base || v >= k + base) {
            throw new UserException(where + ": label " + text + " out of range " + base + "-" + (k - 1 + base) + " (" + synsetsFile + " has "
                    + k + " synsets" + (devkit ? "; the devkit's labels are 1-based" : "; labels are 0-based") + ")");
        }
        return (int) v - base;
    }

    private static List<String> lines(Path file, String flag) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserException(flag + " " + file + ": file not found");
        } catch (IOException e) {
            throw new UserException(flag + " " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public RgbImage image(int i) {
        return ImageDecoder.decode(files[i], maxPixels);
    }

    @Override
    public String id(int i) {
        return ids[i];
    }

    @Override
    public String describe() {
        return what;
    }

    @Override
    public String toString() {
        return what;
    }
}
