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
 *   <li>{@code fashion-loc}: the same layout for localisation ({@link #loc}): one class per scene, large items.</li>
 * </ul>
 * and {@code fashion-action} ({@link #action}). A {@code verydeep-dataset.json} at the root records the generator and its settings.
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
        scenes(test, out, scenes, seed, Style.VOC);
    }

    /**
     * Writes the fashion-loc set to {@code out} (refused if it exists and is not empty): scenes the
     * ILSVRC-localisation way, one class per scene (drawn uniformly), one item of it or two (one scene in four),
     * and large items (39 to 73 px, about 40 to 75% of the shorter canvas side, as ILSVRC objects are large):
     * a crop at the training scales then sees most of the object, which classification and box regression need.
     */
    public static void loc(FashionMnist test, Path out, int scenes, long seed) {
        scenes(test, out, scenes, seed, Style.LOC);
    }

    private static void scenes(FashionMnist test, Path out, int scenes, long seed, Style style) {
        checkScenes(scenes, out);
        AtomicFiles.writeDirectory(out, dir -> {
            Path jpeg = Files.createDirectories(dir.resolve("JPEGImages"));
            Path ann = Files.createDirectories(dir.resolve("Annotations"));
            Path main = Files.createDirectories(dir.resolve("ImageSets/Main"));
            SplittableRandom rnd = new SplittableRandom(seed);
            List<String> ids = new ArrayList<>();
            List<int[]> truths = new ArrayList<>();
            for (int s = 0; s < scenes; s++) {
                String id = String.format(Locale.ROOT, "%06d", s + 1);
                ids.add(id);
                truths.add(scene(test, rnd, id, jpeg, ann, style));
            }
            for (Map.Entry<String, List<Integer>> e : splitSets(scenes, rnd).entrySet()) {
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
            writeInfo(dir, style.name(), style.describe(Map.of("images", scenes, "seed", seed, "source", test.describe(),
                    "difficultBelow", DIFFICULT_BELOW)));
        });
    }

    /**
     * Writes the fashion-action set to {@code out}: VOC-2012 action layout. The scenes are drawn as for
     * {@code fashion-voc}; every item is a "person" whose one action is its class (the 10 class names are the
     * actions), so the persons of one scene usually do different things and only a descriptor of the box can
     * tell them apart. {@code ImageSets/Action/<set>.txt} lists "id objectIndex", {@code <action>_<set>.txt}
     * "id objectIndex 1|-1"; the XML objects carry {@code <actions>} flags. Sets as in {@code fashion-voc}.
     */
    public static void action(FashionMnist test, Path out, int scenes, long seed) {
        checkScenes(scenes, out);
        AtomicFiles.writeDirectory(out, dir -> {
            Path jpeg = Files.createDirectories(dir.resolve("JPEGImages"));
            Path ann = Files.createDirectories(dir.resolve("Annotations"));
            Path action = Files.createDirectories(dir.resolve("ImageSets/Action"));
            SplittableRandom rnd = new SplittableRandom(seed);
            List<String> ids = new ArrayList<>();
            List<List<Item>> persons = new ArrayList<>();
            for (int s = 0; s < scenes; s++) {
                String id = String.format(Locale.ROOT, "%06d", s + 1);
                Scene scene = draw(test, rnd, Style.VOC);
                StringBuilder objects = new StringBuilder();
                for (Item it : scene.items()) {
                    StringBuilder flags = new StringBuilder("\t\t<actions>\n");
                    for (int c = 0; c < CLASS_NAMES.size(); c++) {
                        flags.append(String.format(Locale.ROOT, "\t\t\t<%s>%d</%s>%n", CLASS_NAMES.get(c), c == it.c() ? 1 : 0, CLASS_NAMES.get(c)));
                    }
                    objects.append(object("person", new Item(it.c(), it.box(), false), flags.append("\t\t</actions>\n").toString()));
                }
                writeScene(scene, id, jpeg, ann, objects);
                ids.add(id);
                persons.add(scene.items());
            }
            for (Map.Entry<String, List<Integer>> e : splitSets(scenes, rnd).entrySet()) {
                StringBuilder all = new StringBuilder();
                for (int i : e.getValue()) {
                    for (int k = 0; k < persons.get(i).size(); k++) {
                        all.append(ids.get(i)).append(' ').append(k + 1).append('\n');
                    }
                }
                Files.writeString(action.resolve(e.getKey() + ".txt"), all, StandardCharsets.UTF_8);
                for (int c = 0; c < CLASS_NAMES.size(); c++) {
                    StringBuilder sb = new StringBuilder();
                    for (int i : e.getValue()) {
                        for (int k = 0; k < persons.get(i).size(); k++) {
                            sb.append(String.format(Locale.ROOT, "%s %d %2d%n", ids.get(i), k + 1, persons.get(i).get(k).c() == c ? 1 : -1));
                        }
                    }
                    Files.writeString(action.resolve(CLASS_NAMES.get(c) + "_" + e.getKey() + ".txt"), sb, StandardCharsets.UTF_8);
                }
            }
            writeInfo(dir, "fashion-action", Map.of("images", scenes, "seed", seed, "source", test.describe(),
                    "itemSizes", "14..62 px log-uniform", "actions", "the item's class"));
        });
    }

    private static void checkScenes(int scenes, Path out) {
        if (scenes < 8) {
            throw new UserException("--images must be at least 8 (a quarter each for train and val), got " + scenes);
        }
        refuseExisting(out);
    }

    /** Half the scenes test, a quarter train, a quarter val; trainval = train + val (each sorted). */
    private static Map<String, List<Integer>> splitSets(int scenes, SplittableRandom rnd) {
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
        return sets;
    }

    private static List<Integer> sorted(List<Integer> l) {
        List<Integer> out = new ArrayList<>(l);
        out.sort(null);
        return out;
    }

    /** One pasted item: class, ink box (0-based inclusive corners) and whether it is too small (difficult). */
    record Item(int c, int[] box, boolean difficult) {
    }

    /** A drawn scene: the canvas and its items. */
    record Scene(RgbImage image, List<Item> items) {
    }

    /**
     * How scenes are drawn. {@link #VOC}: 2 to 4 items of any classes, sizes 28 x [0.5, 2.2] px log-uniform (14 to
     * 62). {@link #LOC}: one class per scene, 1 item (2 in one scene of four), sizes 28 x [1.4, 2.6] (39 to 73).
     */
    record Style(String name, boolean oneClass, double minFactor, double maxFactor) {
        static final Style VOC = new Style("fashion-voc", false, 0.5, 2.2);
        static final Style LOC = new Style("fashion-loc", true, 1.4, 2.6);

        Map<String, Object> describe(Map<String, Object> common) {
            Map<String, Object> m = new LinkedHashMap<>(common);
            m.put("itemSizes", Math.round(28 * minFactor) + ".." + Math.round(28 * maxFactor) + " px log-uniform");
            if (oneClass) {
                m.put("classesPerScene", 1);
                m.put("itemsPerScene", "1, or 2 in one scene of four");
            }
            return m;
        }
    }

    /**
     * Draws one scene: a canvas (about 128 x 96, dark noise) and test-split items as the style says, at random
     * sizes (log-uniform), tints and positions with little overlap. One-class scenes draw their class first and
     * redraw an item without ink, so every scene has an object.
     */
    private static Scene draw(FashionMnist test, SplittableRandom rnd, Style style) {
        int w = 112 + rnd.nextInt(33);
        int h = 84 + rnd.nextInt(25);
        int plane = w * h;
        float[] px = new float[3 * plane];
        for (int i = 0; i < px.length; i++) {
            px[i] = rnd.nextInt(41);
        }
        int sceneClass = style.oneClass() ? rnd.nextInt(CLASS_NAMES.size()) : -1;
        int count = style.oneClass() ? (rnd.nextInt(4) == 0 ? 2 : 1) : 2 + rnd.nextInt(3);
        List<Item> items = new ArrayList<>();
        for (int k = 0, inkless = 0; k < count; k++) {
            int idx = style.oneClass() ? memberOf(test, sceneClass, rnd) : rnd.nextInt(test.size());
            int c = test.label(idx);
            int size = (int) Math.round(28 * Math.exp(rnd.nextDouble(Math.log(style.minFactor()), Math.log(style.maxFactor()))));
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
                if (style.oneClass() && ++inkless < 100) {
                    k--; // draw another item of the scene's class
                }
                continue;
            }
            int ox = 0;
            int oy = 0;
            for (int attempt = 0; attempt < 20; attempt++) {
                ox = rnd.nextInt(w - size + 1);
                oy = rnd.nextInt(h - size + 1);
                int[] b = {ox + x0, oy + y0, ox + x1, oy + y1};
                if (items.stream().allMatch(o -> iou(o.box(), b) < 0.2)) {
                    break;
                }
            }
            int[] box = {ox + x0, oy + y0, ox + x1, oy + y1};
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int o = ch * plane + (oy + y) * w + ox + x;
                        px[o] = Math.max(px[o], d[ch * size * size + y * size + x] * tint[ch]);
                    }
                }
            }
            items.add(new Item(c, box, Math.max(x1 - x0 + 1, y1 - y0 + 1) < DIFFICULT_BELOW));
        }
        return new Scene(new RgbImage(w, h, px), items);
    }

    /** A random test-split image of class {@code c}. */
    private static int memberOf(FashionMnist test, int c, SplittableRandom rnd) {
        int[] members = java.util.stream.IntStream.range(0, test.size()).filter(i -> test.label(i) == c).toArray();
        if (members.length == 0) {
            throw new UserException(test.describe() + " has no image of class " + CLASS_NAMES.get(c));
        }
        return members[rnd.nextInt(members.length)];
    }

    /** Draws, writes and annotates one scene; returns its per-class truth. */
    private static int[] scene(FashionMnist test, SplittableRandom rnd, String id, Path jpeg, Path ann, Style style) throws IOException {
        Scene scene = draw(test, rnd, style);
        StringBuilder objects = new StringBuilder();
        int[] truth = new int[CLASS_NAMES.size()];
        java.util.Arrays.fill(truth, -1);
        for (Item it : scene.items()) {
            truth[it.c()] = it.difficult() ? Math.max(truth[it.c()], 0) : 1;
            objects.append(object(CLASS_NAMES.get(it.c()), it, ""));
        }
        writeScene(scene, id, jpeg, ann, objects);
        return truth;
    }

    private static String object(String name, Item it, String extra) {
        int[] box = it.box();
        return String.format(Locale.ROOT, "\t<object>%n\t\t<name>%s</name>%n\t\t<pose>Unspecified</pose>%n"
                + "\t\t<truncated>0</truncated>%n\t\t<difficult>%d</difficult>%n%s\t\t<bndbox>%n\t\t\t<xmin>%d</xmin>%n"
                + "\t\t\t<ymin>%d</ymin>%n\t\t\t<xmax>%d</xmax>%n\t\t\t<ymax>%d</ymax>%n\t\t</bndbox>%n\t</object>%n",
                name, it.difficult() ? 1 : 0, extra, box[0] + 1, box[1] + 1, box[2] + 1, box[3] + 1);
    }

    private static void writeScene(Scene scene, String id, Path jpeg, Path ann, CharSequence objects) throws IOException {
        RgbImage img = scene.image();
        Images.jpeg(Images.toBuffered(img), jpeg.resolve(id + ".jpg"), 0.95f);
        String xml = String.format(Locale.ROOT, "<annotation>%n\t<folder>fashion-voc</folder>%n\t<filename>%s.jpg</filename>%n"
                + "\t<source>%n\t\t<database>verydeep fashion-voc</database>%n\t</source>%n\t<size>%n\t\t<width>%d</width>%n"
                + "\t\t<height>%d</height>%n\t\t<depth>3</depth>%n\t</size>%n\t<segmented>0</segmented>%n%s</annotation>%n",
                id, img.width(), img.height(), objects);
        Files.writeString(ann.resolve(id + ".xml"), xml, StandardCharsets.UTF_8);
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
