package dev.verydeep.core.io;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a crash never leaves a half-written file under the final name: the content
 * goes to a temporary file in the same folder, is forced to disk, then renamed over the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            FaultPoints.beforeWrite(target.getFileName().toString());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            FaultPoints.reached("before-rename:" + target.getFileName());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UserException("cannot write " + target + ": " + reason(e) + KEPT, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary name is never trusted by readers
                }
            }
        }
    }

    /** Said after every failed write: the previous content of the file (a checkpoint, a chunk) is untouched. */
    private static final String KEPT = " (not replaced: an earlier version of it, if any, is intact)";

    /** The reason of a failed write in plain words; a full disk is the common case worth naming. */
    public static String reason(IOException e) {
        String m = e.getMessage();
        if (m != null && m.contains(FaultPoints.NO_SPACE)) {
            return "no space left on the device";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (m != null && m.contains("Read-only file system")) {
            return "read-only file system";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) {
        writeBytes(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Fills a fresh temporary folder next to {@code target} and renames it to {@code target}, replacing
     * an existing folder of that name (the replacement itself is delete-then-rename).
     */
    public static void writeDirectory(Path target, DirectoryWriter writer) {
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp");
            writer.write(tmp);
            if (Files.exists(abs)) {
                deleteRecursively(abs);
            }
            move(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            throw new UserException("cannot write " + target + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    deleteRecursively(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** Something that fills a folder. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void write(Path dir) throws IOException;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a file or folder tree. */
    public static void deleteRecursively(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
