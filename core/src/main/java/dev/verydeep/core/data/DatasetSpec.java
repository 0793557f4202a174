package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which data set a command reads, written the same way in every CLI verb and recorded in every result file:
 * {@code fashion-mnist} (= {@code fashion-mnist:train}), {@code fashion-mnist:test}, {@code fashion-mnist:DIR},
 * {@code fashion-mnist:DIR:test}, {@code folder:DIR}, {@code caltech:DIR}, {@code imagenet:DIR}, {@code voc:DIR}.
 * {@link #parse} checks the syntax only; {@link #check} and {@link #open} look at the disk and say what they
 * expected to find. {@link #toString} is the canonical text (split always written, directories absolute),
 * which parses back to an equal spec. A directory literally named "train" or "test" is written
 * {@code fashion-mnist:./test}.
 */
public final class DatasetSpec {
    /** The kinds of data set, with their spec prefix. */
    public enum Kind {
        FASHION_MNIST("fashion-mnist"),
        /** One sub-folder per class. */
        FOLDER("folder"),
        /** Caltech-101/256: one folder per category (BACKGROUND_Google or 257.clutter count as classes). */
        CALTECH("caltech"),
        /** ImageNet (ILSVRC) training layout: one folder per synset. */
        IMAGENET("imagenet"),
        /** PASCAL VOC devkit year folder (read by the transfer module). */
        VOC("voc");

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
            + "fashion-mnist:DIR:test, folder:DIR, caltech:DIR, imagenet:DIR, voc:DIR";

    private final Kind kind;
    /** Null for Fashion-MNIST from its default directory. */
    private final Path dir;
    /** Null except for Fashion-MNIST. */
    private final FashionMnist.Split split;

    private DatasetSpec(Kind kind, Path dir, FashionMnist.Split split) {
        this.kind = kind;
        this.dir = dir;
        this.split = split;
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
        int colon = t.indexOf(':');
        String kindText = colon < 0 ? t : t.substring(0, colon);
        String rest = colon < 0 ? null : t.substring(colon + 1);
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
        return new DatasetSpec(kind, path(t, rest), null);
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

    /** The directory read; for Fashion-MNIST without a directory, {@link FashionMnist#defaultDir()} (now). */
    public Path path() {
        return dir != null ? dir : FashionMnist.defaultDir();
    }

    /** True when the spec names its directory (false only for Fashion-MNIST from the default directory). */
    public boolean hasDirectory() {
        return dir != null;
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
                    FashionMnist.locate(p, split);
                } catch (UserException e) {
                    throw wrap(e);
                }
            }
            case FOLDER -> checkClassFolders(p, "a folder with one sub-folder per class");
            case CALTECH -> checkClassFolders(p, "the Caltech layout: one sub-folder per category, e.g. 101_ObjectCategories");
            case IMAGENET -> checkClassFolders(p, "one sub-folder per synset, e.g. n01440764");
            case VOC -> checkVoc(p);
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

    private void checkVoc(Path p) {
        String expected = "the devkit folder of one VOC year, holding JPEGImages/, Annotations/ and ImageSets/Main/, e.g. VOCdevkit/VOC2007";
        if (!Files.isDirectory(p)) {
            throw error(p + (Files.exists(p) ? " is not a folder" : " does not exist") + " (expected " + expected + ")");
        }
        String missing = Stream.of("JPEGImages", "Annotations", "ImageSets/Main")
                .filter(d -> !Files.isDirectory(p.resolve(d))).map(d -> d + "/").collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            String hint = "";
            try (Stream<Path> s = Files.list(p)) {
                hint = s.map(c -> c.getFileName().toString()).filter(n -> n.startsWith("VOC") && Files.isDirectory(p.resolve(n)))
                        .sorted().map(n -> "voc:" + p.resolve(n)).collect(Collectors.joining(" or "));
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
        check();
        try {
            return switch (kind) {
                case FASHION_MNIST -> FashionMnist.open(path(), split, verifyChecksums);
                case FOLDER, CALTECH, IMAGENET -> ImageFolder.open(path(), kind.text, ImageDecoder.DEFAULT_MAX_PIXELS);
                case VOC -> throw new UserException("voc data sets are read by the transfer module (not built yet)");
            };
        } catch (UserException e) {
            throw wrap(e);
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
        if (kind == Kind.FASHION_MNIST) {
            return kind.text + ":" + (dir == null ? "" : dir + ":") + split.text();
        }
        return kind.text + ":" + dir;
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
