package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What {@link DatasetSpec}'s kinds share to look at the disk and open: layout checks, errors naming the spec, the class subset. */
final class DatasetOpener {
    private DatasetOpener() {
    }

    /** How one kind reads its images (all classes); implemented by every {@link DatasetSpec} record. */
    interface Reader {
        ImageSource read(boolean verifyChecksums, Path synsets, Path labels);
    }

    static ImageSource open(DatasetSpec spec, boolean verifyChecksums, Path synsets, Path labels) {
        boolean imagenetFiles = synsets != null || labels != null;
        if (imagenetFiles && spec.kind() != DatasetSpec.Kind.IMAGENET) {
            throw error(spec, (synsets != null ? "--synsets" : "--labels") + " applies to imagenet:DIR data sets only");
        }
        if (!imagenetFiles) {
            spec.check();
        }
        ImageSource all = wrapping(spec, () -> ((Reader) spec).read(verifyChecksums, synsets, labels));
        return spec.selection().apply(all, spec);
    }

    /** Runs {@code work}, prefixing a {@link UserException}'s message with the spec. */
    static <T> T wrapping(DatasetSpec spec, Supplier<T> work) {
        try {
            return work.get();
        } catch (UserException e) {
            throw new UserException(spec + ": " + e.getMessage(), e);
        }
    }

    static UserException error(DatasetSpec spec, String message) {
        return new UserException(spec + ": " + message);
    }

    /** The spec's folder exists and has sub-folders (one per class). */
    static void checkClassFolders(DatasetSpec spec, String expected) {
        Path p = spec.path();
        if (!Files.exists(p)) {
            throw error(spec, p + " does not exist (expected " + expected + ")");
        }
        if (!Files.isDirectory(p)) {
            throw error(spec, p + " is not a folder (expected " + expected + ")");
        }
        try (Stream<Path> s = Files.list(p)) {
            if (s.noneMatch(c -> !c.getFileName().toString().startsWith(".") && Files.isDirectory(c))) {
                throw error(spec, p + " has no sub-folders (expected " + expected + ")");
            }
        } catch (IOException e) {
            throw error(spec, "cannot list " + p + ": " + e);
        }
    }

    /** The spec's folder holds JPEGImages/, Annotations/ and {@code sets}; else the error suggests VOC year folders inside it. */
    static void checkVoc(DatasetSpec spec, String sets, String expected) {
        Path p = spec.path();
        if (!Files.isDirectory(p)) {
            throw error(spec, p + (Files.exists(p) ? " is not a folder" : " does not exist") + " (expected " + expected + ")");
        }
        String missing = Stream.of("JPEGImages", "Annotations", sets)
                .filter(d -> !Files.isDirectory(p.resolve(d))).map(d -> d + "/").collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            String hint = "";
            try (Stream<Path> s = Files.list(p)) {
                hint = s.map(c -> c.getFileName().toString()).filter(n -> n.startsWith("VOC") && Files.isDirectory(p.resolve(n)))
                        .sorted().map(n -> spec.kind().text() + ":" + p.resolve(n)).collect(Collectors.joining(" or "));
            } catch (IOException e) {
                // no hint
            }
            throw error(spec, p + " lacks " + missing + " (expected " + expected + ")" + (hint.isEmpty() ? "" : "; did you mean " + hint + "?"));
        }
    }
}
