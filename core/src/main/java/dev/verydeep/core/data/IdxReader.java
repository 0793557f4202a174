package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (unsigned-byte images and labels), gzip-compressed or plain
 * (told apart by the gzip magic {@code 1f 8b}, not by the name). Strict: the magic, the declared sizes against
 * the data actually present, and the label range are checked, because a wrong or truncated file would
 * otherwise train silently on garbage. Every problem is a {@link UserException} naming the file.
 */
public final class IdxReader {
    /** Magic of an unsigned-byte, 3-dimensional IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an unsigned-byte, 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /**
     * Images of an IDX file: {@code count} images of {@code rows x cols} unsigned bytes, row-major, image after
     * image in {@code pixels} (not copied; do not modify).
     */
    public record IdxImages(int count, int rows, int cols, byte[] pixels) {
        public IdxImages {
            if ((long) count * rows * cols != pixels.length) {
                throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " need " + ((long) count * rows * cols)
                        + " bytes, got " + pixels.length);
            }
        }

        /** Pixel {@code (y, x)} of image {@code i}, 0..255. */
        public int pixel(int i, int y, int x) {
            return pixels[(i * rows + y) * cols + x] & 0xff;
        }
    }

    /** Reads an images file (magic 0x00000803). */
    public static IdxImages readImages(Path file) {
        try (InputStream in = open(file)) {
            int magic = readMagic(in, file);
            checkMagic(file, magic, IMAGES_MAGIC, "images");
            int count = readHeaderInt(in, file, 16);
            int rows = readHeaderInt(in, file, 16);
            int cols = readHeaderInt(in, file, 16);
            if (count < 0 || rows < 1 || cols < 1) {
                throw new UserException(file + ": bad IDX image dimensions " + count + " x " + rows + " x " + cols);
            }
            // count * rows * cols can exceed even a long (2^31 cubed): check in double before multiplying exactly.
            double declared = (double) count * rows * cols;
            if (declared > Integer.MAX_VALUE - 16) {
                throw new UserException(file + ": IDX header declares " + count + " images of " + rows + "x" + cols + " ("
                        + (declared < Long.MAX_VALUE ? Long.toString((long) count * rows * cols) : String.format("%.3g", declared))
                        + " bytes), more than this reader holds in memory");
            }
            long n = (long) count * rows * cols;
            byte[] pixels = readBody(in, file, (int) n, 16, count + " images of " + rows + "x" + cols);
            return new IdxImages(count, rows, cols, pixels);
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    /** Reads a labels file (magic 0x00000801) whose labels must lie in 0..9. */
    public static byte[] readLabels(Path file) {
        return readLabels(file, 10);
    }

    /** Reads a labels file (magic 0x00000801) whose labels must lie in {@code 0 .. classCount - 1}. */
    public static byte[] readLabels(Path file, int classCount) {
        if (classCount < 1 || classCount > 256) {
            throw new IllegalArgumentException("class count must be in 1..256, got " + classCount);
        }
        try (InputStream in = open(file)) {
            int magic = readMagic(in, file);
            checkMagic(file, magic, LABELS_MAGIC, "labels");
            int count = readHeaderInt(in, file, 8);
            if (count < 0) {
                throw new UserException(file + ": bad IDX label count " + count);
            }
            byte[] labels = readBody(in, file, count, 8, count + " labels");
            for (int i = 0; i < count; i++) {
                int label = labels[i] & 0xff;
                if (label >= classCount) {
                    throw new UserException(file + ": label " + label + " at index " + i + " is out of range 0.." + (classCount - 1));
                }
            }
            return labels;
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": file does not exist", e);
        }
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }

    private static void checkMagic(Path file, int magic, int expected, String what) {
        if (magic != expected) {
            throw new UserException(String.format("%s: wrong IDX magic 0x%08x, expected 0x%08x (%s)", file, magic, expected, what));
        }
    }

    private static int readMagic(InputStream in, Path file) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length == 0) {
            throw new UserException(file + ": empty file (0 bytes)");
        }
        if (b.length < 4) {
            throw new UserException(file + ": truncated IDX header (file shorter than the 4-byte magic)");
        }
        return toInt(b);
    }

    private static int toInt(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static int readHeaderInt(InputStream in, Path file, int headerSize) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new UserException(file + ": truncated IDX header (file shorter than the " + headerSize + "-byte header)");
        }
        return toInt(b);
    }

    /** Reads exactly {@code n} data bytes and checks that nothing follows them. */
    private static byte[] readBody(InputStream in, Path file, int n, int headerSize, String declared) throws IOException {
        // readNBytes(int) grows its buffer as data arrives, so a corrupt header cannot make us allocate gigabytes.
        byte[] data = in.readNBytes(n);
        if (data.length < n) {
            throw new UserException(file + ": truncated: header declares " + declared + " (" + n + " data bytes) but only "
                    + data.length + " follow the " + headerSize + "-byte header");
        }
        long extra = 0;
        byte[] skip = new byte[8192];
        for (int r; (r = in.read(skip)) > 0; ) {
            extra += r;
        }
        if (extra > 0) {
            throw new UserException(file + ": " + extra + " unexpected bytes after the " + declared + " its header declares");
        }
        return data;
    }

    private static UserException ioFailure(Path file, IOException e) {
        if (e instanceof EOFException) {
            return new UserException(file + ": truncated gzip data (" + e.getMessage() + ")", e);
        }
        if (e instanceof ZipException) {
            return new UserException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
        return new UserException(file + ": cannot read: " + e, e);
    }
}
