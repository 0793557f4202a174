package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.voc.VocSingleLabel;
import dev.verydeep.core.image.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which data set a command reads, written the same way in every CLI verb and recorded in every result file:
 * {@code fashion-mnist} (= {@code fashion-mnist:train}), {@code fashion-mnist:test}, {@code fashion-mnist:DIR},
 * {@code fashion-mnist:DIR:test}, {@code fashion-mnist-sample[:train|:test]}, {@code folder:DIR}, {@code caltech:DIR},
 * {@code imagenet:DIR}, {@code voc:DIR[:SET]}, {@code voc-action:DIR[:SET]}. Plain {@code fashion-mnist} reads the default
 * directory ({@link FashionMnist#defaultDir()}) and falls back to the shipped sample ({@link FashionMnistSample}) when the
 * files are not there, saying so; {@code fashion-mnist-sample} reads the sample always. Opened as an {@link ImageSource}, a
 * VOC data set is read single-label ({@link VocSingleLabel}: one class per image, with its boxes), as localisation data is;
 * the transfer module reads VOC multi-label itself.
 * {@link #parse} checks the syntax only; {@link #check} and {@link #open} look at the disk and say what they
 * expected to find. {@link #toString} is the canonical text (split always written, directories absolute),
 * which parses back to an equal spec. A directory literally named "train" or "test" is written
 * {@code fashion-mnist:./test}.
 *
 * <p>Any single-label kind takes a class subset as a last part, {@code :classes=0-4} or {@code :classes=0,2,4}
 * (ranges and single indices, comma-separated, in the source's class order): only images of those classes are
 * read, their labels renumbered 0..k-1 in increasing source index, and the class names kept (so
 * {@code fashion-mnist:train:classes=5-9} has classes "Sandal" ... "Ankle boot" labelled 0 ... 4). The syntax is
 * checked by {@link #parse}; indices beyond the source's class count are reported by {@link #open}.
 */
public final class DatasetSpec {
    /** The kinds of data set, with their spec prefix. */
    public enum Kind {
        FASHION_MNIST("fashion-mnist"),
        /** One sub-folder per class. */
        FOLDER("folder"),
        /** Caltech-101/256: one folder per category (BACKGROUND_Google or 257.clutter count as classes). */
        CALTECH("caltech"),
        /** ImageNet (ILSVRC): one folder per synset, or a flat validation folder with a ground-truth file ({@link ImageNetData}). */
        IMAGENET("imagenet"),
        /** PASCAL VOC devkit year folder: multi-label for transfer, single-label with boxes for (localisation) training. */
        VOC("voc"),
        /** PASCAL VOC-2012 action classification: persons of ImageSets/Action, optionally one set (read by the transfer module). */
        VOC_ACTION("voc-action");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** The spec prefix, e.g. "fashion-mnist". */
        public String text() {
            return text;
        }
    }

    /** The valid forms, for help texts and error messages. */
    public static final String FORMS = "fashion-mnist, fashion-mnist:train, fashion-mnist:test, fashion-mnist:DIR, "
            + "fashion-mnist:DIR:test, fashion-mnist-sample[:train|:test], folder:DIR, caltech:DIR, imagenet:DIR, voc:DIR[:SET], voc-action:DIR[:SET]; "
            + "any but voc and voc-action may end in :classes=0-4 or :classes=0,2,4 (a class subset, labels renumbered)";

    private static final String CLASSES = "classes=";
    private static final String SAMPLE = "fashion-mnist-sample";
    /** An image set name after a VOC directory: {@code voc:DIR:trainval}. */
    private static final java.util.regex.Pattern VOC_SET = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private final Kind kind;
    /** Null for Fashion-MNIST from its default directory. */
    private final Path dir;
    /** Null except for Fashion-MNIST. */
    private final FashionMnist.Split split;
    /** The selected source class indices, increasing and distinct; null for all classes. */
    private final int[] classes;
    /** Fashion-MNIST's shipped sample, asked for by name. */
    private final boolean sample;
    /** voc and voc-action: the image set read ({@code ImageSets/Main/SET.txt}, {@code ImageSets/Action/SET.txt}); null for all present. */
    private final String imageSet;

    private DatasetSpec(Kind kind, Path dir, FashionMnist.Split split) {
        this(kind, dir, split, null, false, null);
    }

    private DatasetSpec(Kind kind, Path dir, FashionMnist.Split split, int[] classes, boolean sample, String imageSet) {
        this.kind = kind;
        this.dir = dir;
        this.split = split;
        this.classes = classes;
        this.sample = sample;
        this.imageSet = imageSet;
    }

    /** Fashion-MNIST from {@link FashionMnist#defaultDir()}. */
    public static DatasetSpec fashionMnist(FashionMnist.Split split) {
        return new DatasetSpec(Kind.FASHION_MNIST, null, Objects.requireNonNull(split));
    }

    /** Parses a spec (syntax only; nothing is read). */
    public static DatasetSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new UserException("empty data set; valid forms: " + FORMS);
        }
        String t = text.strip();
        int lastColon = t.lastIndexOf(':');
        if (lastColon >= 0 && t.substring(lastColon + 1).strip().toLowerCase(Locale.ROOT).startsWith(CLASSES)) {
            String selection = t.substring(lastColon + 1).strip().substring(CLASSES.length());
            DatasetSpec base = parse(t.substring(0, lastColon));
            if (base.classes != null) {
                throw new UserException("data set \"" + t + "\": classes= given twice; valid forms: " + FORMS);
            }
            if (base.kind == Kind.VOC || base.kind == Kind.VOC_ACTION) {
                throw new UserException("data set \"" + t + "\": classes= applies to single-label data sets, not " + base.kind.text + " (multi-label)");
            }
            return new DatasetSpec(base.kind, base.dir, base.split, parseClasses(t, selection), base.sample, base.imageSet);
        }
        int colon = t.indexOf(':');
        String kindText = colon < 0 ? t : t.substring(0, colon);
        String rest = colon < 0 ? null : t.substring(colon + 1);
        if (kindText.toLowerCase(Locale.ROOT).equals(SAMPLE)) {
            FashionMnist.Split s = rest == null ? FashionMnist.Split.TRAIN : splitOf(rest);
            if (s == null) {
                throw new UserException("data set \"" + t + "\": the shipped sample has no directory, only :train or :test; valid forms: " + FORMS);
            }
            return new DatasetSpec(Kind.FASHION_MNIST, null, s, null, true, null);
        }
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.text.equals(kindText.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new UserException("data set \"" + t + "\": unknown kind \"" + kindText + "\"; valid forms: " + FORMS));
        if (kind == Kind.FASHION_MNIST) {
            if (rest == null) {
                return new DatasetSpec(kind, null, FashionMnist.Split.TRAIN);
            }
            FashionMnist.Split s = splitOf(rest);
            if (s != null) {
                return new DatasetSpec(kind, null, s);
            }
            int last = rest.lastIndexOf(':');
            if (last >= 0 && splitOf(rest.substring(last + 1)) != null) {
                return new DatasetSpec(kind, path(t, rest.substring(0, last)), splitOf(rest.substring(last + 1)));
            }
            return new DatasetSpec(kind, path(t, rest), FashionMnist.Split.TRAIN);
        }
        if (rest == null) {
            throw new UserException("data set \"" + t + "\": missing directory (expected " + kind.text + ":DIR); valid forms: " + FORMS);
        }
        int last = rest.lastIndexOf(':');
        if ((kind == Kind.VOC || kind == Kind.VOC_ACTION) && last > 0 && VOC_SET.matcher(rest.substring(last + 1)).matches()) {
            return new DatasetSpec(kind, path(t, rest.substring(0, last)), null, null, false, rest.substring(last + 1));
        }
        return new DatasetSpec(kind, path(t, rest), null);
    }

    /** Parses "0-4" or "0,2,4" or "0-2,7" into increasing distinct indices. */
    static int[] parseClasses(String spec, String selection) {
        String expected = " (expected classes=A-B or classes=I,J,... with class indices from 0, e.g. classes=0-4 or classes=0,2,4)";
        if (selection.isBlank()) {
            throw new UserException("data set \"" + spec + "\": empty class list" + expected);
        }
        java.util.BitSet set = new java.util.BitSet();
        for (String part : selection.split(",", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new UserException("data set \"" + spec + "\": empty item in class list \"" + selection + "\"" + expected);
            }
            int dash = p.indexOf('-', 1);
            int from = classIndex(spec, dash < 0 ? p : p.substring(0, dash), expected);
            int to = dash < 0 ? from : classIndex(spec, p.substring(dash + 1), expected);
            if (to < from) {
                throw new UserException("data set \"" + spec + "\": class range " + p + " is empty (" + to + " < " + from + ")" + expected);
            }
            if (set.get(from, to + 1).cardinality() > 0) {
                int dup = set.get(from, to + 1).nextSetBit(0) + from;
                throw new UserException("data set \"" + spec + "\": class " + dup + " listed twice in \"" + selection + "\"");
            }
            set.set(from, to + 1);
        }
        return set.stream().toArray();
    }

    private static int classIndex(String spec, String s, String expected) {
        String v = s.strip();
        if (v.isEmpty() || !v.chars().allMatch(Character::isDigit) || v.length() > 6) {
            throw new UserException("data set \"" + spec + "\": \"" + s + "\" is not a class index" + expected);
        }
        return Integer.parseInt(v);
    }

    private static String classesText(int[] c) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < c.length; ) {
            int j = i;
            while (j + 1 < c.length && c[j + 1] == c[j] + 1) {
                j++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(c[i]);
            if (j > i) {
                b.append('-').append(c[j]);
            }
            i = j + 1;
        }
        return b.toString();
    }

    private static FashionMnist.Split splitOf(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "train" -> FashionMnist.Split.TRAIN;
            case "test" -> FashionMnist.Split.TEST;
            default -> null;
        };
    }

    private static Path path(String spec, String p) {
        if (p.isBlank()) {
            throw new UserException("data set \"" + spec + "\": empty directory; valid forms: " + FORMS);
        }
        try {
            return Path.of(p).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UserException("data set \"" + spec + "\": bad directory: " + e.getMessage(), e);
        }
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The directory read; for Fashion-MNIST without a directory, {@link FashionMnist#defaultDir()} (now), for the
     * sample its folder.
     */
    public Path path() {
        return dir != null ? dir : sample ? FashionMnistSample.dir() : FashionMnist.defaultDir();
    }

    /** True for {@code fashion-mnist-sample}. */
    public boolean sample() {
        return sample;
    }

    /** True when the spec names its directory (false only for Fashion-MNIST from the default directory). */
    public boolean hasDirectory() {
        return dir != null;
    }

    /** The selected source class indices (increasing), empty when all classes are read. */
    public Optional<int[]> classes() {
        return Optional.ofNullable(classes).map(int[]::clone);
    }

    /** The same spec without a class subset. */
    public DatasetSpec allClasses() {
        return new DatasetSpec(kind, dir, split, null, sample, imageSet);
    }

    /** The image set named by {@code voc:DIR:SET} or {@code voc-action:DIR:SET}; empty for all sets present and for the other kinds. */
    public Optional<String> imageSet() {
        return Optional.ofNullable(imageSet);
    }

    /** The Fashion-MNIST split; empty for the other kinds. */
    public Optional<FashionMnist.Split> split() {
        return Optional.ofNullable(split);
    }

    /**
     * Checks, without reading images, that the location exists with the expected layout; throws a
     * {@link UserException} "SPEC: what is wrong (expected ...)" otherwise.
     */
    public void check() {
        Path p = path();
        switch (kind) {
            case FASHION_MNIST -> {
                try {
                    if (sample || (dir == null && !FashionMnist.present(p, split))) {
                        FashionMnistSample.dir(); // the sample is there, or the error says it is not
                    } else {
                        FashionMnist.locate(p, split);
                    }
                } catch (UserException e) {
                    throw wrap(e);
                }
            }
            case FOLDER -> checkClassFolders(p, "a folder with one sub-folder per class");
            case CALTECH -> checkClassFolders(p, "the Caltech layout: one sub-folder per category, e.g. 101_ObjectCategories");
            case IMAGENET -> checkClassFolders(p, "one sub-folder per synset, e.g. n01440764");
            case VOC -> checkVoc(p, "ImageSets/Main", "the devkit folder of one VOC year, holding JPEGImages/, Annotations/ and ImageSets/Main/, e.g. VOCdevkit/VOC2007");
            case VOC_ACTION -> checkVoc(p, "ImageSets/Action",
                    "a VOC2012 action folder, holding JPEGImages/, Annotations/ and ImageSets/Action/, e.g. VOCdevkit/VOC2012");
        }
    }

    private void checkClassFolders(Path p, String expected) {
        if (!Files.exists(p)) {
            throw error(p + " does not exist (expected " + expected + ")");
        }
        if (!Files.isDirectory(p)) {
            throw error(p + " is not a folder (expected " + expected + ")");
        }
        try (Stream<Path> s = Files.list(p)) {
            if (s.noneMatch(c -> !c.getFileName().toString().startsWith(".") && Files.isDirectory(c))) {
                throw error(p + " has no sub-folders (expected " + expected + ")");
            }
        } catch (IOException e) {
            throw error("cannot list " + p + ": " + e);
        }
    }

    private void checkVoc(Path p, String sets, String expected) {
        if (!Files.isDirectory(p)) {
            throw error(p + (Files.exists(p) ? " is not a folder" : " does not exist") + " (expected " + expected + ")");
        }
        String missing = Stream.of("JPEGImages", "Annotations", sets)
                .filter(d -> !Files.isDirectory(p.resolve(d))).map(d -> d + "/").collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            String hint = "";
            try (Stream<Path> s = Files.list(p)) {
                hint = s.map(c -> c.getFileName().toString()).filter(n -> n.startsWith("VOC") && Files.isDirectory(p.resolve(n)))
                        .sorted().map(n -> kind.text + ":" + p.resolve(n)).collect(Collectors.joining(" or "));
            } catch (IOException e) {
                // no hint
            }
            throw error(p + " lacks " + missing + " (expected " + expected + ")" + (hint.isEmpty() ? "" : "; did you mean " + hint + "?"));
        }
    }

    /** Opens the data set, verifying Fashion-MNIST's checksums. */
    public ImageSource open() {
        return open(true);
    }

    /** Opens the data set; {@code verifyChecksums} applies to Fashion-MNIST only. */
    public ImageSource open(boolean verifyChecksums) {
        return open(verifyChecksums, null, null);
    }

    /**
     * Opens the data set with an ImageNet synset list (the class order) and, for a flat folder of validation
     * images, its ground-truth file ({@link ImageNetData}); both null: as {@link #open()}.
     */
    public ImageSource open(Path synsets, Path labels) {
        return open(true, synsets, labels);
    }

    private ImageSource open(boolean verifyChecksums, Path synsets, Path labels) {
        boolean imagenetFiles = synsets != null || labels != null;
        if (imagenetFiles && kind != Kind.IMAGENET) {
            throw error((synsets != null ? "--synsets" : "--labels") + " applies to imagenet:DIR data sets only");
        }
        if (!imagenetFiles) {
            check();
        }
        ImageSource all;
        try {
            all = switch (kind) {
                case FASHION_MNIST -> sample ? FashionMnistSample.open(split, "")
                        : dir == null ? FashionMnist.openDefault(split, verifyChecksums)
                        : FashionMnist.open(path(), split, verifyChecksums);
                case IMAGENET -> ImageNetData.open(path(), synsets, labels, ImageDecoder.DEFAULT_MAX_PIXELS);
                case FOLDER, CALTECH -> ImageFolder.open(path(), kind.text, ImageDecoder.DEFAULT_MAX_PIXELS);
                case VOC -> VocSingleLabel.open(path(), imageSet);
                case VOC_ACTION -> throw new UserException(kind.text + " data sets are multi-label: read by the transfer module (extract)");
            };
        } catch (UserException e) {
            throw wrap(e);
        }
        return classes == null ? all : ClassSubset.of(all, classes, this);
    }

    /** The images of some classes of a source, labels renumbered 0..k-1, class names kept. */
    private static final class ClassSubset extends IndexedView {
        private final int[] labels;
        private final List<String> names;
        private final String what;

        private ClassSubset(ImageSource source, int[] indices, int[] labels, List<String> names, String what) {
            super(source, indices);
            this.labels = labels;
            this.names = names;
            this.what = what;
        }

        /** Class {@code classes[k]} of the source becomes class k. */
        static ClassSubset of(ImageSource source, int[] classes, DatasetSpec spec) {
            int n = source.classNames().size();
            int[] newLabel = new int[n];
            Arrays.fill(newLabel, -1);
            List<String> kept = new ArrayList<>();
            for (int k = 0; k < classes.length; k++) {
                if (classes[k] >= n) {
                    throw spec.error("class " + classes[k] + " does not exist: the data set has " + n + " classes (0-" + (n - 1) + ": "
                            + String.join(", ", source.classNames()) + ")");
                }
                newLabel[classes[k]] = k;
                kept.add(source.classNames().get(classes[k]));
            }
            int count = 0;
            int[] idx = new int[source.size()];
            int[] lab = new int[source.size()];
            for (int i = 0; i < source.size(); i++) {
                int l = newLabel[source.label(i)];
                if (l >= 0) {
                    idx[count] = i;
                    lab[count++] = l;
                }
            }
            String what = source.describe() + ", classes " + classesText(classes) + " (" + String.join(", ", kept) + "; " + count + " images)";
            return new ClassSubset(source, Arrays.copyOf(idx, count), Arrays.copyOf(lab, count), List.copyOf(kept), what);
        }

        @Override
        public int label(int i) {
            return labels[i];
        }

        @Override
        public List<String> classNames() {
            return names;
        }

        @Override
        public String describe() {
            return what;
        }
    }

    private UserException error(String message) {
        return new UserException(this + ": " + message);
    }

    private UserException wrap(UserException e) {
        return new UserException(this + ": " + e.getMessage(), e);
    }

    /** The canonical text, e.g. "fashion-mnist:train", "fashion-mnist:/data/fm:test", "folder:/data/pets". */
    @Override
    public String toString() {
        String sel = classes == null ? "" : ":" + CLASSES + classesText(classes);
        if (sample) {
            return SAMPLE + ":" + split.text() + sel;
        }
        if (kind == Kind.FASHION_MNIST) {
            return kind.text + ":" + (dir == null ? "" : dir + ":") + split.text() + sel;
        }
        return kind.text + ":" + dir + (imageSet == null ? "" : ":" + imageSet) + sel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetSpec d && d.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
