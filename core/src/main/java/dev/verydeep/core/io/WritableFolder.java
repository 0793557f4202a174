package dev.verydeep.core.io;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Checks, before long work starts, that a run can write its output folder: that the folder can be created, that a
 * file can be written there (a probe, deleted again), and that the file system has room for what the run is
 * expected to write. Each refusal names the path and the reason (permission denied, read-only, a file in the way,
 * too little space with the estimate).
 */
public final class WritableFolder {
    /** The usable space of the file system holding a folder, as {@link FileStore#getUsableSpace()} gives it. */
    public static final ToLongFunction<Path> USABLE_SPACE = dir -> {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // unknown: do not refuse on a guess
        }
    };

    private WritableFolder() {
    }

    /** {@link #check(Path, String, long, ToLongFunction)} with the real file system's usable space. */
    public static Path check(Path dir, String flag, long estimateBytes) {
        return check(dir, flag, estimateBytes, USABLE_SPACE);
    }

    /**
     * Creates {@code dir} if needed and checks it can hold {@code estimateBytes}.
     *
     * @param flag        how the user named the folder, e.g. {@code --out}, for the message
     * @param usableSpace usable bytes of the file system holding a folder (tests pass a fake value)
     * @return {@code dir}
     */
    public static Path check(Path dir, String flag, long estimateBytes, ToLongFunction<Path> usableSpace) {
        String who = flag == null || flag.isEmpty() ? dir.toString() : flag + " " + dir;
        Path blocker = fileInTheWay(dir);
        if (blocker != null) {
            throw new UserException(who + ": cannot create the folder: " + (blocker.equals(dir.toAbsolutePath())
                    ? "it is a file, not a folder" : blocker + " is a file, not a folder"));
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserException(who + ": cannot create the folder: " + reason(e), e);
        }
        try {
            Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
            try {
                Files.write(probe, new byte[] {1});
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            throw new UserException(who + ": cannot write there: " + reason(e), e);
        }
        long free = usableSpace.applyAsLong(dir);
        if (free < estimateBytes) {
            throw new UserException(who + ": only " + size(free) + " free on its file system, and this run will write about "
                    + size(estimateBytes) + "; free some space or choose another folder");
        }
        return dir;
    }

    /** The nearest existing path at or above {@code dir} that is not a folder, or null. */
    private static Path fileInTheWay(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return AtomicFiles.reason(e);
    }

    /** A byte count for people: 1.5 GB, 20.0 MB, 300 kB. */
    public static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%d kB", (bytes + 1023) / 1024);
    }
}
