package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.ImageDecoder;
import dev.verydeep.core.image.RgbImage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A data set laid out as one sub-folder per class (ImageNet's per-synset folders, Caltech-101/256 categories,
 * any user's own images): the layout most image collections already have, so no list file is needed. Class
 * order = sub-folder names sorted (by {@link String#compareTo}, independent of the locale), so labels are the
 * same on every machine; files are sorted the same way. Only files directly inside a class folder with
 * extension jpg, jpeg, png, bmp or gif (any case) count; hidden files and folders (name starting with ".") and
 * anything else are ignored. Images are decoded on demand with {@link ImageDecoder}.
 */
public final class ImageFolder extends LabelledImages {
    /** Image file extensions read (lower case). */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private final Path root;
    private final String kind;
    private final long maxPixels;
    private final Path[] classDirs;
    /** File name of image i inside its class folder. */
    private final String[] names;

    private ImageFolder(Path root, String kind, long maxPixels, List<String> classNames, Path[] classDirs, String[] names, int[] labels) {
        super(labels, classNames);
        this.root = root;
        this.kind = kind;
        this.maxPixels = maxPixels;
        this.classDirs = classDirs;
        this.names = names;
    }

    /** Opens {@code root}, with the default pixel budget ({@link ImageDecoder#DEFAULT_MAX_PIXELS}). */
    public static ImageFolder open(Path root) {
        return open(root, "folder", ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    /**
     * Opens {@code root}; {@code kind} (e.g. "folder", "caltech", "imagenet") only names the layout in
     * {@link #describe()}, and images declaring more than {@code maxPixels} pixels are refused.
     */
    public static ImageFolder open(Path root, String kind, long maxPixels) {
        if (!Files.exists(root)) {
            throw new UserException(root + " does not exist (expected a folder with one sub-folder per class)");
        }
        if (!Files.isDirectory(root)) {
            throw new UserException(root + " is not a folder (expected a folder with one sub-folder per class)");
        }
        List<Path> dirs = new ArrayList<>();
        for (Path p : list(root)) {
            if (!hidden(p) && Files.isDirectory(p)) {
                dirs.add(p);
            }
        }
        if (dirs.isEmpty()) {
            throw new UserException(root + ": no class folders (expected one sub-folder per class, holding its images)");
        }
        List<String> classNames = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < dirs.size(); c++) {
            Path dir = dirs.get(c);
            classNames.add(dir.getFileName().toString());
            int before = names.size();
            for (Path f : list(dir)) {
                if (!hidden(f) && isImageName(f.getFileName().toString()) && Files.isRegularFile(f)) {
                    names.add(f.getFileName().toString());
                    labels.add(c);
                }
            }
            if (names.size() == before) {
                throw new UserException(dir + ": class folder has no images (expected files ending in .jpg, .jpeg, .png, .bmp or .gif)");
            }
        }
        return new ImageFolder(root, kind, maxPixels, List.copyOf(classNames), dirs.toArray(Path[]::new),
                names.toArray(String[]::new), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Entries of a folder sorted by file name. */
    static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new UserException(dir + ": cannot list folder: " + e, e);
        }
        out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return out;
    }

    static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public Path root() {
        return root;
    }

    /** The file of image {@code i}. */
    public Path path(int i) {
        return classDirs[label(i)].resolve(names[i]);
    }

    @Override
    public RgbImage image(int i) {
        return ImageDecoder.decode(path(i), maxPixels);
    }

    @Override
    public String id(int i) {
        return classNames().get(label(i)) + "/" + names[i];
    }

    @Override
    public boolean decodesFiles() {
        return true;
    }

    @Override
    public String describe() {
        return kind + ":" + root + " (" + size() + " images, " + classNames().size() + " classes)";
    }

    @Override
    public String toString() {
        return describe();
    }
}
