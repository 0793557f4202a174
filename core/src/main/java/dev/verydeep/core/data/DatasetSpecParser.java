package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Locations;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The syntax of {@link DatasetSpec}: text to a record (nothing is read) and a record back to its canonical text. */
final class DatasetSpecParser {
    static final String SAMPLE = "fashion-mnist-sample";
    /** An image set name after a VOC directory: {@code voc:DIR:trainval}. */
    private static final Pattern VOC_SET = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final String FORMS = DatasetSpec.FORMS;

    private DatasetSpecParser() {
    }

    static DatasetSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new UserException("empty data set; valid forms: " + FORMS);
        }
        String t = text.strip();
        int lastColon = t.lastIndexOf(':');
        if (lastColon >= 0 && t.substring(lastColon + 1).strip().toLowerCase(Locale.ROOT).startsWith(ClassSelection.PREFIX)) {
            return withClasses(t, lastColon);
        }
        int colon = t.indexOf(':');
        String kindText = colon < 0 ? t : t.substring(0, colon);
        String rest = colon < 0 ? null : t.substring(colon + 1);
        if (kindText.toLowerCase(Locale.ROOT).equals(SAMPLE)) {
            FashionMnist.Split s = rest == null ? FashionMnist.Split.TRAIN : splitOf(rest);
            if (s == null) {
                throw new UserException("data set \"" + t + "\": the shipped sample has no directory, only :train or :test; valid forms: " + FORMS);
            }
            return new DatasetSpec.FashionMnistSet(Optional.empty(), true, s, ClassSelection.ALL);
        }
        DatasetSpec.Kind kind = Arrays.stream(DatasetSpec.Kind.values()).filter(k -> k.text().equals(kindText.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new UserException("data set \"" + t + "\": unknown kind \"" + kindText + "\"; valid forms: " + FORMS));
        if (kind == DatasetSpec.Kind.FASHION_MNIST) {
            return fashionMnist(t, rest);
        }
        if (rest == null) {
            throw new UserException("data set \"" + t + "\": missing directory (expected " + kind.text() + ":DIR); valid forms: " + FORMS);
        }
        int last = rest.lastIndexOf(':');
        boolean voc = kind == DatasetSpec.Kind.VOC || kind == DatasetSpec.Kind.VOC_ACTION;
        Optional<String> set = voc && last > 0 && VOC_SET.matcher(rest.substring(last + 1)).matches()
                ? Optional.of(rest.substring(last + 1)) : Optional.empty();
        Path dir = path(t, set.isPresent() ? rest.substring(0, last) : rest);
        return voc ? new DatasetSpec.VocFolder(kind, dir, set) : new DatasetSpec.ClassFolders(kind, dir, ClassSelection.ALL);
    }

    /** {@code SPEC:classes=...}: the spec before the last colon, with the class subset after it. */
    private static DatasetSpec withClasses(String t, int lastColon) {
        String selection = t.substring(lastColon + 1).strip().substring(ClassSelection.PREFIX.length());
        DatasetSpec base = parse(t.substring(0, lastColon));
        if (base.classes().isPresent()) {
            throw new UserException("data set \"" + t + "\": classes= given twice; valid forms: " + FORMS);
        }
        if (base.kind() == DatasetSpec.Kind.VOC || base.kind() == DatasetSpec.Kind.VOC_ACTION) {
            throw new UserException("data set \"" + t + "\": classes= applies to single-label data sets, not " + base.kind().text() + " (multi-label)");
        }
        return base.withClasses(ClassSelection.parse(t, selection));
    }

    private static DatasetSpec fashionMnist(String t, String rest) {
        if (rest == null) {
            return DatasetSpec.fashionMnist(FashionMnist.Split.TRAIN);
        }
        FashionMnist.Split s = splitOf(rest);
        if (s != null) {
            return DatasetSpec.fashionMnist(s);
        }
        int last = rest.lastIndexOf(':');
        if (last >= 0 && splitOf(rest.substring(last + 1)) != null) {
            return new DatasetSpec.FashionMnistSet(Optional.of(path(t, rest.substring(0, last))), false, splitOf(rest.substring(last + 1)),
                    ClassSelection.ALL);
        }
        return new DatasetSpec.FashionMnistSet(Optional.of(path(t, rest)), false, FashionMnist.Split.TRAIN, ClassSelection.ALL);
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
            return Locations.of(p);
        } catch (InvalidPathException e) {
            throw new UserException("data set \"" + spec + "\": bad directory: " + e.getMessage(), e);
        }
    }

    /** The canonical text of a kind read from a directory: {@code KIND:DIR[:SET][:classes=...]}. */
    static String text(DatasetSpec spec) {
        return spec.kind().text() + ":" + spec.path() + spec.imageSet().map(s -> ":" + s).orElse("") + spec.selection().suffix();
    }
}
