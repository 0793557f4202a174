package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.voc.VocSingleLabel;
import dev.verydeep.core.image.ImageDecoder;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which data set a command reads, written the same way in every CLI verb and recorded in every result file:
 * {@code fashion-mnist} (= {@code fashion-mnist:train}), {@code fashion-mnist:test}, {@code fashion-mnist:DIR},
 * {@code fashion-mnist:DIR:test}, {@code fashion-mnist-sample[:train|:test]}, {@code folder:DIR}, {@code caltech:DIR},
 * {@code imagenet:DIR}, {@code voc:DIR[:SET]}, {@code voc-action:DIR[:SET]}. One record per layout on disk, holding
 * what that layout needs and nothing else: {@link FashionMnistSet} (IDX files: a split, maybe a directory),
 * {@link ClassFolders} (folder, caltech, imagenet: a directory and a class subset), {@link VocFolder} (voc,
 * voc-action: a directory and an image set). Plain
 * {@code fashion-mnist} reads the default directory ({@link FashionMnist#defaultDir()}) and falls back to the shipped
 * sample ({@link FashionMnistSample}) when the files are not there, saying so; {@code fashion-mnist-sample} reads the
 * sample always. Opened as an {@link ImageSource}, a VOC data set is read single-label ({@link VocSingleLabel}: one
 * class per image, with its boxes), as localisation data is; the transfer module reads VOC multi-label itself.
 * {@link #parse} checks the syntax only ({@link DatasetSpecParser}); {@link #check} and {@link #open} look at the disk
 * and say what they expected to find. {@link #toString} is the canonical text (split always written, directories
 * absolute), which parses back to an equal spec. A directory literally named "train" or "test" is written
 * {@code fashion-mnist:./test}.
 *
 * <p>Any single-label kind takes a class subset as a last part, {@code :classes=0-4} or {@code :classes=0,2,4}
 * ({@link ClassSelection}): only images of those classes are read, their labels renumbered 0..k-1 in increasing
 * source index, and the class names kept (so {@code fashion-mnist:train:classes=5-9} has classes "Sandal" ...
 * "Ankle boot" labelled 0 ... 4). The syntax is checked by {@link #parse}; indices beyond the source's class count
 * are reported by {@link #open}.
 */
public sealed interface DatasetSpec permits DatasetSpec.FashionMnistSet, DatasetSpec.ClassFolders, DatasetSpec.VocFolder {

    /** The kinds of data set, with their spec prefix. */
    enum Kind {
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
    String FORMS = "fashion-mnist, fashion-mnist:train, fashion-mnist:test, fashion-mnist:DIR, "
            + "fashion-mnist:DIR:test, fashion-mnist-sample[:train|:test], folder:DIR, caltech:DIR, imagenet:DIR, voc:DIR[:SET], voc-action:DIR[:SET]; "
            + "any but voc and voc-action may end in :classes=0-4 or :classes=0,2,4 (a class subset, labels renumbered)";

    /** Parses a spec (syntax only; nothing is read). */
    static DatasetSpec parse(String text) {
        return DatasetSpecParser.parse(text);
    }

    /** Fashion-MNIST from {@link FashionMnist#defaultDir()}. */
    static DatasetSpec fashionMnist(FashionMnist.Split split) {
        return new FashionMnistSet(Optional.empty(), false, Objects.requireNonNull(split), ClassSelection.ALL);
    }

    Kind kind();

    /** The directory read; for Fashion-MNIST without a directory, {@link FashionMnist#defaultDir()} (now), for the sample its folder. */
    Path path();

    /** True for {@code fashion-mnist-sample}. */
    default boolean sample() {
        return false;
    }

    /** True when the spec names its directory (false only for Fashion-MNIST from the default directory or the sample). */
    default boolean hasDirectory() {
        return true;
    }

    /** The class subset read ({@link ClassSelection#ALL} for all classes, and always for the multi-label VOC kinds). */
    default ClassSelection selection() {
        return ClassSelection.ALL;
    }

    /** The same spec reading only {@code classes}; the multi-label VOC kinds take no subset ({@link IllegalArgumentException}). */
    DatasetSpec withClasses(ClassSelection classes);

    /** The selected source class indices (increasing), empty when all classes are read. */
    default Optional<int[]> classes() {
        return selection().indices();
    }

    /** The same spec without a class subset. */
    default DatasetSpec allClasses() {
        return selection().equals(ClassSelection.ALL) ? this : withClasses(ClassSelection.ALL);
    }

    /** The image set named by {@code voc:DIR:SET} or {@code voc-action:DIR:SET}; empty for all sets present and for the other kinds. */
    default Optional<String> imageSet() {
        return Optional.empty();
    }

    /** The Fashion-MNIST split; empty for the other kinds. */
    default Optional<FashionMnist.Split> split() {
        return Optional.empty();
    }

    /**
     * Checks, without reading images, that the location exists with the expected layout; throws a
     * {@link UserException} "SPEC: what is wrong (expected ...)" otherwise.
     */
    void check();

    /** Opens the data set, verifying Fashion-MNIST's checksums. */
    default ImageSource open() {
        return open(true);
    }

    /** Opens the data set; {@code verifyChecksums} applies to Fashion-MNIST only. */
    default ImageSource open(boolean verifyChecksums) {
        return DatasetOpener.open(this, verifyChecksums, null, null);
    }

    /**
     * Opens the data set with an ImageNet synset list (the class order) and, for a flat folder of validation
     * images, its ground-truth file ({@link ImageNetData}); both null: as {@link #open()}.
     */
    default ImageSource open(Path synsets, Path labels) {
        return DatasetOpener.open(this, true, synsets, labels);
    }

    /**
     * {@code fashion-mnist[:DIR]:SPLIT} or {@code fashion-mnist-sample:SPLIT}.
     *
     * @param dir    the directory named, or empty: the default directory (falling back to the sample), or the sample
     * @param sample {@code fashion-mnist-sample}: the shipped sample, always
     */
    record FashionMnistSet(Optional<Path> dir, boolean sample, FashionMnist.Split trainOrTest, ClassSelection selection)
            implements DatasetSpec, DatasetOpener.Reader {
        public FashionMnistSet {
            if (sample && dir.isPresent()) {
                throw new IllegalArgumentException("the sample has no directory");
            }
        }

        @Override
        public Kind kind() {
            return Kind.FASHION_MNIST;
        }

        @Override
        public Path path() {
            return dir.orElseGet(() -> sample ? FashionMnistSample.dir() : FashionMnist.defaultDir());
        }

        @Override
        public boolean hasDirectory() {
            return dir.isPresent();
        }

        @Override
        public Optional<FashionMnist.Split> split() {
            return Optional.of(trainOrTest);
        }

        @Override
        public DatasetSpec withClasses(ClassSelection c) {
            return new FashionMnistSet(dir, sample, trainOrTest, c);
        }

        @Override
        public void check() {
            DatasetOpener.wrapping(this, () -> {
                if (sample || (dir.isEmpty() && !FashionMnist.present(path(), trainOrTest))) {
                    return FashionMnistSample.dir(); // the sample is there, or the error says it is not
                }
                return FashionMnist.locate(path(), trainOrTest);
            });
        }

        @Override
        public ImageSource read(boolean verifyChecksums, Path synsets, Path labels) {
            return sample ? FashionMnistSample.open(trainOrTest, "")
                    : dir.isEmpty() ? FashionMnist.openDefault(trainOrTest, verifyChecksums) : FashionMnist.open(dir.get(), trainOrTest, verifyChecksums);
        }

        @Override
        public String toString() {
            return (sample ? DatasetSpecParser.SAMPLE : kind().text()) + ":" + dir.map(d -> d + ":").orElse("") + trainOrTest.text() + selection.suffix();
        }
    }

    /** {@code folder:DIR}, {@code caltech:DIR} or {@code imagenet:DIR}: one sub-folder per class (ImageNet: or a flat folder with a ground-truth file). */
    record ClassFolders(Kind kind, Path path, ClassSelection selection) implements DatasetSpec, DatasetOpener.Reader {
        public ClassFolders {
            if (kind != Kind.FOLDER && kind != Kind.CALTECH && kind != Kind.IMAGENET) {
                throw new IllegalArgumentException(kind + " is not read from class folders");
            }
        }

        @Override
        public DatasetSpec withClasses(ClassSelection c) {
            return new ClassFolders(kind, path, c);
        }

        @Override
        public void check() {
            DatasetOpener.checkClassFolders(this, switch (kind) {
                case CALTECH -> "the Caltech layout: one sub-folder per category, e.g. 101_ObjectCategories";
                case IMAGENET -> "one sub-folder per synset, e.g. n01440764";
                default -> "a folder with one sub-folder per class";
            });
        }

        @Override
        public ImageSource read(boolean verifyChecksums, Path synsets, Path labels) {
            return kind == Kind.IMAGENET ? ImageNetData.open(path, synsets, labels, ImageDecoder.DEFAULT_MAX_PIXELS)
                    : ImageFolder.open(path, kind.text(), ImageDecoder.DEFAULT_MAX_PIXELS);
        }

        @Override
        public String toString() {
            return DatasetSpecParser.text(this);
        }
    }

    /**
     * {@code voc:DIR[:SET]} (a PASCAL VOC devkit year folder) or {@code voc-action:DIR[:SET]} (VOC-2012 action
     * classification, read by the transfer module): all image sets present, or one. Multi-label: no class subset.
     */
    record VocFolder(Kind kind, Path path, Optional<String> imageSet) implements DatasetSpec, DatasetOpener.Reader {
        public VocFolder {
            if (kind != Kind.VOC && kind != Kind.VOC_ACTION) {
                throw new IllegalArgumentException(kind + " is not a VOC folder");
            }
        }

        @Override
        public DatasetSpec withClasses(ClassSelection c) {
            throw new IllegalArgumentException(kind.text() + " data sets are multi-label: no class subset");
        }

        @Override
        public void check() {
            if (kind == Kind.VOC) {
                DatasetOpener.checkVoc(this, "ImageSets/Main",
                        "the devkit folder of one VOC year, holding JPEGImages/, Annotations/ and ImageSets/Main/, e.g. VOCdevkit/VOC2007");
            } else {
                DatasetOpener.checkVoc(this, "ImageSets/Action",
                        "a VOC2012 action folder, holding JPEGImages/, Annotations/ and ImageSets/Action/, e.g. VOCdevkit/VOC2012");
            }
        }

        @Override
        public ImageSource read(boolean verifyChecksums, Path synsets, Path labels) {
            if (kind == Kind.VOC_ACTION) {
                throw new UserException(kind.text() + " data sets are multi-label: read by the transfer module (extract)");
            }
            return VocSingleLabel.open(path, imageSet.orElse(null));
        }

        @Override
        public String toString() {
            return DatasetSpecParser.text(this);
        }
    }
}
