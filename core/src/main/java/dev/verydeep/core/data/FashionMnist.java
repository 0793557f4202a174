package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.io.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Fashion-MNIST (Xiao et al. 2017): 28x28 grey images of 10 clothing classes, 60,000 for training and 10,000 for
 * testing, read from the four IDX files. It is the small real data set on which this project trains and checks
 * nets on a CPU. The pixels stay in memory as bytes (47 MB for the training split) and become an
 * {@link RgbImage} with three equal planes on demand. The files are checked against pinned SHA-256 hashes so a
 * number reported as "Fashion-MNIST" really comes from Fashion-MNIST.
 */
public final class FashionMnist implements ImageSource {
    /** Which half of the data set. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String filePrefix;

        Split(String filePrefix) {
            this.filePrefix = filePrefix;
        }

        /** "train" or "test", as in data set specs and image ids. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        String imagesFile() {
            return filePrefix + "-images-idx3-ubyte.gz";
        }

        String labelsFile() {
            return filePrefix + "-labels-idx1-ubyte.gz";
        }
    }

    /** The class names, index = label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Environment variable naming the default directory. */
    public static final String DIR_ENV = "VERYDEEP_FASHION_MNIST";

    /** System property naming the default directory; wins over {@link #DIR_ENV} (lets tests point it somewhere empty). */
    public static final String DIR_PROPERTY = "verydeep.fashionMnist";

    /** Where the Debian package dataset-fashion-mnist installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * SHA-256 of the four files as distributed (the .gz files), and of their decompressed contents for a
     * directory holding the files unpacked (names without .gz).
     */
    static final Map<String, String> SHA256 = Map.of(
            "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
            "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    private final Path dir;
    private final Split split;
    private final IdxReader.IdxImages images;
    private final byte[] labels;
    /** "fashion-mnist" or "fashion-mnist-sample": how {@link #describe} names the data. */
    private final String name;
    /** Why the sample stands in for the full set; empty otherwise. */
    private final String note;

    private FashionMnist(Path dir, Split split, IdxReader.IdxImages images, byte[] labels, String name, String note) {
        this.dir = dir;
        this.split = split;
        this.images = images;
        this.labels = labels;
        this.name = name;
        this.note = note;
    }

    /**
     * The system property {@value #DIR_PROPERTY}, else {@code $VERYDEEP_FASHION_MNIST}, if set and not blank; else
     * {@code /usr/share/datasets/fashion-mnist}.
     */
    public static Path defaultDir() {
        String prop = System.getProperty(DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv(DIR_ENV);
        return env == null || env.isBlank() ? DEBIAN_DIR : Path.of(env);
    }

    /** True when {@code dir} holds the images and labels files of {@code split} (packed or unpacked). */
    public static boolean present(Path dir, Split split) {
        return find(dir, split.imagesFile()) != null && find(dir, split.labelsFile()) != null;
    }

    /**
     * The split from {@link #defaultDir()} when the files are there; otherwise the sample shipped in golden-data
     * ({@link FashionMnistSample}), saying so on the log and in {@link #describe()} so no number passes for one
     * made on the full set.
     */
    public static FashionMnist openDefault(Split split) {
        return openDefault(split, true);
    }

    /** {@link #openDefault(Split)}, checking the full set's checksums only if {@code verifyChecksums} (the sample's always). */
    public static FashionMnist openDefault(Split split, boolean verifyChecksums) {
        Path dir = defaultDir();
        if (present(dir, split)) {
            return open(dir, split, verifyChecksums);
        }
        String why = "Fashion-MNIST not found in " + dir + " (Debian package dataset-fashion-mnist absent): using the shipped sample";
        LoggerFactory.getLogger(FashionMnist.class).warn("{} ({}), not the full data set", why, FashionMnistSample.summary());
        return FashionMnistSample.open(split, why);
    }

    /**
     * Which Fashion-MNIST the plain {@code fashion-mnist} spec reads on this machine, for provenance: the directory,
     * or the shipped sample and why.
     */
    public static String defaultSource() {
        Path dir = defaultDir();
        return present(dir, Split.TRAIN) && present(dir, Split.TEST) ? "full data set in " + dir
                : "shipped sample fashion-mnist-sample (" + FashionMnistSample.summary() + "): " + dir + " lacks the files";
    }

    /** Opens a split from {@code dir}, verifying the pinned checksums. */
    public static FashionMnist open(Path dir, Split split) {
        return open(dir, split, true);
    }

    /**
     * Opens a split from {@code dir}, which holds {@code train-images-idx3-ubyte.gz} and friends (or the same
     * files unpacked, without {@code .gz}). With {@code verifyChecksums} false, other files in the same format
     * (e.g. MNIST) are accepted, still labelled with the Fashion-MNIST class names.
     */
    public static FashionMnist open(Path dir, Split split, boolean verifyChecksums) {
        return open(dir, split, verifyChecksums ? SHA256 : null, "fashion-mnist", "");
    }

    /** Opens a split, checking each file against {@code sha256} (by file name) unless it is null. */
    static FashionMnist open(Path dir, Split split, Map<String, String> sha256, String name, String note) {
        Path[] files = locate(dir, split);
        Path imagesFile = files[0];
        Path labelsFile = files[1];
        IdxReader.IdxImages images = IdxReader.readImages(imagesFile);
        byte[] labels = IdxReader.readLabels(labelsFile, CLASS_NAMES.size());
        if (sha256 != null) {
            verify(imagesFile, sha256, name);
            verify(labelsFile, sha256, name);
        }
        if (images.count() != labels.length) {
            throw new UserException(imagesFile + " holds " + images.count() + " images but " + labelsFile + " holds "
                    + labels.length + " labels");
        }
        return new FashionMnist(dir, split, images, labels, name, note);
    }

    /** The images and labels files of {@code split} in {@code dir}, or the "not found" error. */
    static Path[] locate(Path dir, Split split) {
        Path imagesFile = find(dir, split.imagesFile());
        Path labelsFile = find(dir, split.labelsFile());
        if (imagesFile == null || labelsFile == null) {
            throw new UserException("Fashion-MNIST not found in " + dir + " (expected " + split.imagesFile() + " and "
                    + split.labelsFile() + "): install the Debian package dataset-fashion-mnist "
                    + "(apt-get install dataset-fashion-mnist) or pass fashion-mnist:DIR");
        }
        return new Path[] {imagesFile, labelsFile};
    }

    /** The .gz file if present, else the unpacked one, else null. */
    private static Path find(Path dir, String gzName) {
        Path gz = dir.resolve(gzName);
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(gzName.substring(0, gzName.length() - 3));
        return Files.isRegularFile(plain) ? plain : null;
    }

    private static void verify(Path file, Map<String, String> sha256, String name) {
        String expected = sha256.get(file.getFileName().toString());
        String found = Hashes.sha256(file);
        if (!found.equals(expected)) {
            throw new UserException(file + ": SHA-256 " + found + " does not match " + (name.equals("fashion-mnist") ? "Fashion-MNIST" : name) + "'s " + expected
                    + (name.equals("fashion-mnist")
                            ? " (a different or damaged file: reinstall dataset-fashion-mnist, or point fashion-mnist:DIR at the original files)"
                            : " (a damaged sample: rebuild golden-data)"));
        }
    }

    public Path dir() {
        return dir;
    }

    public Split split() {
        return split;
    }

    public int rows() {
        return images.rows();
    }

    public int cols() {
        return images.cols();
    }

    /** All pixels, image after image, row-major (not copied; do not modify): for readers that want raw bytes. */
    public byte[] pixels() {
        return images.pixels();
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public List<String> classNames() {
        return CLASS_NAMES;
    }

    @Override
    public RgbImage image(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("image " + i + " of " + labels.length);
        }
        int plane = images.rows() * images.cols();
        byte[] px = images.pixels();
        int base = i * plane;
        float[] data = new float[3 * plane];
        for (int k = 0; k < plane; k++) {
            float v = px[base + k] & 0xff;
            data[k] = v;
            data[plane + k] = v;
            data[2 * plane + k] = v;
        }
        return new RgbImage(images.cols(), images.rows(), data);
    }

    @Override
    public String id(int i) {
        return split.text() + "/" + i;
    }

    @Override
    public String describe() {
        // a folder inside the golden-data jar shows as its jar: URI, so the description says where the files are
        Object where = dir.getFileSystem() == java.nio.file.FileSystems.getDefault() ? dir : dir.toUri();
        return name + ":" + split.text() + " (" + size() + " images, " + where + (note.isEmpty() ? "" : "; " + note) + ")";
    }

    /** Images per class, index = label: 6000 each for train, 1000 each for test. */
    public int[] classCounts() {
        int[] counts = new int[CLASS_NAMES.size()];
        for (byte b : labels) {
            counts[b]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return describe();
    }
}
