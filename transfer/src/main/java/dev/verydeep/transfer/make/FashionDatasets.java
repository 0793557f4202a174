package dev.verydeep.transfer.make;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.image.Resize;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Real-layout transfer benchmarks made from the Fashion-MNIST test split, deterministic for a seed (same
 * seed, same bytes), each written atomically as a whole folder:
 *
 * <ul>
 *   <li>{@code fashion-caltech}: Caltech layout, one folder per class for classes 5-9 (sandal, shirt,
 *       sneaker, bag, ankle_boot: the classes a source net trained on 0-4 never saw), {@code perClass} PNG
 *       images each, drawn at random from the test split.</li>
 *   <li>{@code fashion-voc}: VOC devkit layout. Each scene is a canvas (about 128 x 96, dark noise) with 2 to 4
 *       test-split items of any of the 10 classes, each rescaled to a random size between 14 and 62 pixels
 *       (log-uniform: multi-scale matters), tinted, and pasted (per-channel maximum) at a random position with
 *       little overlap. Boxes are the items' ink (pixels above 30) in 1-based inclusive coordinates; items
 *       whose box is smaller than 16 pixels on its longer side are marked difficult. Sets: half the scenes
 *       test, a quarter train, a quarter val; trainval = train + val; per-class files with 1, -1, 0.</li>
 *   <li>{@code fashion-loc}: the same canvas, noise, tint, sizes, boxes and sets, but ILSVRC-localisation-like: one
 *       class per scene, one item (two of that class in a quarter of the scenes). For box-regression training
 *       ({@code train-loc}) and the localisation protocols.</li>
 * </ul>
 * A {@code verydeep-dataset.json} at the root records the generator and its settings.
 */
public final class FashionDatasets {
    /** Folder and VOC class names of the 10 Fashion-MNIST classes. */
    public static final List<String> CLASS_NAMES = List.of(
            "tshirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot");
    /** Items smaller than this (longer box side, pixels) are difficult. */
    public static final int DIFFICULT_BELOW = 16;
    static final int INK = 30;

    private FashionDatasets() {
    }

    /** Writes the fashion-caltech set to {@code out} (refused if it exists and is not empty). */
    public static void caltech(FashionMnist test, Path out, int perClass, long seed) {
        if (perClass < 2) {
            throw new UserException("--per-class must be at least 2, got " + perClass);
        }
        refuseExisting(out);
        int side = test.rows() * test.cols();
        AtomicFiles.writeDirectory(out, dir -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int c = 5; c <= 9; c++) {
                List<Integer> members = new ArrayList<>();
                for (int i = 0; i < test.size(); i++) {
                    if (test.label(i) == c) {
                        members.add(i);
                    }
                }
                if (members.size() < perClass) {
                    throw new UserException("class " + CLASS_NAMES.get(c) + " has " + members.size() + " test images, fewer than --per-class " + perClass);
                }
                shuffle(members, rnd);
                Path classDir = dir.resolve(CLASS_NAMES.get(c));
                Files.createDirectories(classDir);
                for (int k = 0; k < perClass; k++) {
                    int i = members.get(k);
                    Images.png(Images.grey(test.pixels(), i * side, test.cols(), test.rows()),
                            classDir.resolve(String.format(Locale.ROOT, "image_%04d.png", k + 1)));
                }
            }
            writeInfo(dir, "fashion-caltech", Map.of("perClass", perClass, "seed", seed, "source", test.describe()));
        });
    }

    /** Writes the fashion-voc set to {@code out} (refused if it exists and is not empty). */
    public static void voc(FashionMnist test, Path out, int scenes, long seed) {
        scenes(test, out, scenes, seed, false);
    }

    /**
     * Writes the fashion-loc set to {@code out} (refused if it exists and is not empty): fashion-voc's scenes the
     * ILSVRC-localisation way, one class per scene (drawn uniformly), one item of it, or two (one scene in four).
     */
    public static void loc(FashionMnist test, Path out, int scenes, long seed) {
        scenes(test, out, scenes, seed, true);
    }

    private static void scenes(FashionMnist test, Path out, int scenes, long seed, boolean oneClass) {
        if (scenes < 8) {
            throw new UserException("--images must be at least 8 (a quarter each for train and val), got " + scenes);
        }
        refuseExisting(out);
        AtomicFiles.writeDirectory(out, dir -> {
            Path jpeg = Files.createDirectories(dir.resolve("JPEGImages"));
            Path ann = Files.createDirectories(dir.resolve("Annotations"));
            Path main = Files.createDirectories(dir.resolve("ImageSets/Main"));
            SplittableRandom rnd = new SplittableRandom(seed);
            List<String> ids = new ArrayList<>();
            List<int[]> truths = new ArrayList<>();
            int[][] byClass = oneClass ? byClass(test) : null;
            for (int s = 0; s < scenes; s++) {
                String id = String.format(Locale.ROOT, "%06d", s + 1);
                ids.add(id);
                truths.add(scene(test, rnd, id, jpeg, ann, byClass));
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < scenes; i++) {
                order.add(i);
            }
            shuffle(order, rnd);
            int nTest = scenes / 2;
            int nTrain = (scenes - nTest) / 2;
            Map<String, List<Integer>> sets = new LinkedHashMap<>();
            sets.put("train", sorted(order.subList(nTest, nTest + nTrain)));
            sets.put("val", sorted(order.subList(nTest + nTrain, scenes)));
            sets.put("trainval", sorted(order.subList(nTest, scenes)));
            sets.put("test", sorted(order.subList(0, nTest)));
            for (Map.Entry<String, List<Integer>> e : sets.entrySet()) {
                StringBuilder all = new StringBuilder();
                for (int i : e.getValue()) {
                    all.append(ids.get(i)).append('\n');
                }
                Files.writeString(main.resolve(e.getKey() + ".txt"), all, StandardCharsets.UTF_8);
                for (int c = 0; c < CLASS_NAMES.size(); c++) {
                    StringBuilder sb = new StringBuilder();
                    for (int i : e.getValue()) {
                        sb.append(String.format(Locale.ROOT, "%s %2d%n", ids.get(i), truths.get(i)[c]));
                    }
                    Files.writeString(main.resolve(CLASS_NAMES.get(c) + "_" + e.getKey() + ".txt"), sb, StandardCharsets.UTF_8);
                }
            }
            Map<String, Object> settings = new LinkedHashMap<>(Map.of("images", scenes, "seed", seed, "source", test.describe(),
                    "difficultBelow", DIFFICULT_BELOW, "itemSizes", "14..62 px log-uniform"));
            if (oneClass) {
                settings.put("itemsPerScene", "1 of one class (2 in one scene of 4)");
            }
            writeInfo(dir, oneClass ? "fashion-loc" : "fashion-voc", settings);
        });
    }

    private static List<Integer> sorted(List<Integer> l) {
        List<Integer> out = new ArrayList<>(l);
        out.sort(null);
        return out;
    }

    /** Test-split indices of each class. */
    private static int[][] byClass(FashionMnist test) {
        int[][] out = new int[CLASS_NAMES.size()][];
        for (int c = 0; c < out.length; c++) {
            final int cls = c;
            out[c] = java.util.stream.IntStream.range(0, test.size()).filter(i -> test.label(i) == cls).toArray();
        }
        return out;
    }

    /**
     * Draws, writes and annotates one scene; returns its per-class truth. With {@code byClass} (fashion-loc) the
     * scene's class is drawn first and its items come from that class; an item without ink is drawn again, so
     * every scene has an object.
     */
    private static int[] scene(FashionMnist test, SplittableRandom rnd, String id, Path jpeg, Path ann, int[][] byClass)
            throws IOException {
        int w = 112 + rnd.nextInt(33);
        int h = 84 + rnd.nextInt(25);
        int plane = w * h;
        float[] px = new float[3 * plane];
        for (int i = 0; i < px.length; i++) {
            px[i] = rnd.nextInt(41);
        }
        int sceneClass = byClass == null ? -1 : rnd.nextInt(CLASS_NAMES.size());
        int items = byClass == null ? 2 + rnd.nextInt(3) : (rnd.nextInt(4) == 0 ? 2 : 1);
        List<int[]> boxes = new ArrayList<>();
        StringBuilder objects = new StringBuilder();
        int[] truth = new int[CLASS_NAMES.size()];
        java.util.Arrays.fill(truth, -1);
        for (int k = 0, inkless = 0; k < items; k++) {
            int idx = byClass == null ? rnd.nextInt(test.size()) : byClass[sceneClass][rnd.nextInt(byClass[sceneClass].length)];
            int c = test.label(idx);
            int size = (int) Math.round(28 * Math.exp(rnd.nextDouble(Math.log(0.5), Math.log(2.2))));
            size = Math.min(size, Math.min(w, h));
            RgbImage item = Resize.resize(test.image(idx), size, size);
            float[] tint = {0.5f + 0.5f * (float) rnd.nextDouble(), 0.5f + 0.5f * (float) rnd.nextDouble(), 0.5f + 0.5f * (float) rnd.nextDouble()};
            // Ink box of the item in its own coordinates.
            int x0 = size;
            int y0 = size;
            int x1 = -1;
            int y1 = -1;
            float[] d = item.data();
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    if (d[y * size + x] > INK) {
                        x0 = Math.min(x0, x);
                        y0 = Math.min(y0, y);
                        x1 = Math.max(x1, x);
                        y1 = Math.max(y1, y);
                    }
                }
            }
            if (x1 < 0) {
                if (byClass != null && ++inkless < 100) {
                    k--;
                }
                continue;
            }
            int ox = 0;
            int oy = 0;
            for (int attempt = 0; attempt < 20; attempt++) {
                ox = rnd.nextInt(w - size + 1);
                oy = rnd.nextInt(h - size + 1);
                int[] b = {ox + x0, oy + y0, ox + x1, oy + y1};
                if (boxes.stream().allMatch(o -> iou(o, b) < 0.2)) {
                    break;
                }
            }
            int[] box = {ox + x0, oy + y0, ox + x1, oy + y1};
            boxes.add(box);
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int o = ch * plane + (oy + y) * w + ox + x;
                        px[o] = Math.max(px[o], d[ch * size * size + y * size + x] * tint[ch]);
                    }
                }
            }
            boolean difficult = Math.max(x1 - x0 + 1, y1 - y0 + 1) < DIFFICULT_BELOW;
            truth[c] = difficult ? Math.max(truth[c], 0) : 1;
            objects.append(String.format(Locale.ROOT, "\t<object>%n\t\t<name>%s</name>%n\t\t<pose>Unspecified</pose>%n"
                    + "\t\t<truncated>0</truncated>%n\t\t<difficult>%d</difficult>%n\t\t<bndbox>%n\t\t\t<xmin>%d</xmin>%n"
                    + "\t\t\t<ymin>%d</ymin>%n\t\t\t<xmax>%d</xmax>%n\t\t\t<ymax>%d</ymax>%n\t\t</bndbox>%n\t</object>%n",
                    CLASS_NAMES.get(c), difficult ? 1 : 0, box[0] + 1, box[1] + 1, box[2] + 1, box[3] + 1));
        }
        Images.jpeg(Images.toBuffered(new RgbImage(w, h, px)), jpeg.resolve(id + ".jpg"), 0.95f);
        String xml = String.format(Locale.ROOT, "<annotation>%n\t<folder>fashion-voc</folder>%n\t<filename>%s.jpg</filename>%n"
                + "\t<source>%n\t\t<database>verydeep fashion-voc</database>%n\t</source>%n\t<size>%n\t\t<width>%d</width>%n"
                + "\t\t<height>%d</height>%n\t\t<depth>3</depth>%n\t</size>%n\t<segmented>0</segmented>%n%s</annotation>%n",
                id, w, h, objects);
        Files.writeString(ann.resolve(id + ".xml"), xml, StandardCharsets.UTF_8);
        return truth;
    }

    static double iou(int[] a, int[] b) {
        int iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]) + 1;
        int ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]) + 1;
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = (double) iw * ih;
        double ua = (a[2] - a[0] + 1.0) * (a[3] - a[1] + 1) + (b[2] - b[0] + 1.0) * (b[3] - b[1] + 1) - inter;
        return inter / ua;
    }

    private static <T> void shuffle(List<T> l, SplittableRandom rnd) {
        for (int i = l.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            T t = l.get(i);
            l.set(i, l.get(j));
            l.set(j, t);
        }
    }

    private static void refuseExisting(Path out) {
        try {
            if (Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent())) {
                throw new UserException(out + ": exists and is not an empty folder (refusing to overwrite; choose another --out)");
            }
        } catch (IOException e) {
            throw new UserException(out + ": cannot inspect: " + e.getMessage(), e);
        }
    }

    private static void writeInfo(Path dir, String generator, Map<String, Object> settings) throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("generator", generator);
        info.put("settings", new java.util.TreeMap<>(settings));
        Files.writeString(dir.resolve("verydeep-dataset.json"), Json.toString(info), StandardCharsets.UTF_8);
    }
}
