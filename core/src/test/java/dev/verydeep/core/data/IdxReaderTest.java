package dev.verydeep.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    private static void assertMessage(String expected, Runnable r) {
        UserException e = assertThrows(UserException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void readsPlainAndGzippedImages() throws IOException {
        byte[] raw = idx(0x803, new int[] {3, 2, 4}, ramp(24));
        for (Path f : new Path[] {file("images-idx3-ubyte", raw), file("images-idx3-ubyte.gz", gzip(raw)), file("gz-without-suffix", gzip(raw))}) {
            IdxReader.IdxImages img = IdxReader.readImages(f);
            assertEquals(3, img.count());
            assertEquals(2, img.rows());
            assertEquals(4, img.cols());
            assertArrayEquals(ramp(24), img.pixels());
            assertEquals((byte) (13 * 7) & 0xff, img.pixel(1, 1, 1)); // image 1, row 1, col 1 = byte 8 + 4 + 1
        }
    }

    @Test
    void readsLabels() throws IOException {
        Path f = file("labels.gz", gzip(idx(0x801, new int[] {4}, new byte[] {9, 0, 3, 9})));
        assertArrayEquals(new byte[] {9, 0, 3, 9}, IdxReader.readLabels(f));
        assertArrayEquals(new byte[0], IdxReader.readLabels(file("none", idx(0x801, new int[] {0}, new byte[0]))));
    }

    @Test
    void wrongMagicNamesFileFoundAndExpected() throws IOException {
        Path images = file("train-labels-idx1-ubyte.gz", gzip(idx(0x803, new int[] {1, 1, 1}, new byte[1])));
        assertMessage(images + ": wrong IDX magic 0x00000803, expected 0x00000801 (labels)", () -> IdxReader.readLabels(images));
        Path labels = file("labels", idx(0x801, new int[] {1}, new byte[1]));
        assertMessage(labels + ": wrong IDX magic 0x00000801, expected 0x00000803 (images)", () -> IdxReader.readImages(labels));
        Path text = file("text", "hello world, not idx".getBytes());
        assertMessage(text + ": wrong IDX magic 0x68656c6c, expected 0x00000803 (images)", () -> IdxReader.readImages(text));
    }

    @Test
    void truncationIsReported() throws IOException {
        byte[] raw = idx(0x803, new int[] {3, 2, 4}, ramp(24));
        Path plain = file("short", Arrays.copyOf(raw, raw.length - 5));
        assertMessage(plain + ": truncated: header declares 3 images of 2x4 (24 data bytes) but only 19 follow the 16-byte header",
                () -> IdxReader.readImages(plain));
        Path gz = file("short.gz", gzip(Arrays.copyOf(raw, raw.length - 5)));
        assertMessage(gz + ": truncated: header declares 3 images of 2x4 (24 data bytes) but only 19 follow the 16-byte header",
                () -> IdxReader.readImages(gz));
        Path header = file("header", Arrays.copyOf(raw, 10));
        assertMessage(header + ": truncated IDX header (file shorter than the 16-byte header)", () -> IdxReader.readImages(header));
        Path empty = file("empty", new byte[0]);
        assertMessage(empty + ": empty file (0 bytes)", () -> IdxReader.readLabels(empty));
        byte[] labels = idx(0x801, new int[] {100}, new byte[100]);
        Path labelsShort = file("labels-short", Arrays.copyOf(labels, 50));
        assertMessage(labelsShort + ": truncated: header declares 100 labels (100 data bytes) but only 42 follow the 8-byte header",
                () -> IdxReader.readLabels(labelsShort));
        // A gzip stream cut short (not a complete gzip file of a short IDX file).
        byte[] zipped = gzip(raw);
        Path cut = file("cut.gz", Arrays.copyOf(zipped, zipped.length - 12));
        UserException e = assertThrows(UserException.class, () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().startsWith(cut + ": truncated"), e.getMessage());
    }

    @Test
    void trailingBytesAreReported() throws IOException {
        byte[] raw = idx(0x801, new int[] {2}, new byte[] {1, 2, 3, 4});
        Path f = file("long", raw);
        assertMessage(f + ": 2 unexpected bytes after the 2 labels its header declares", () -> IdxReader.readLabels(f));
    }

    @Test
    void labelsOutOfRange() throws IOException {
        Path f = file("labels", idx(0x801, new int[] {3}, new byte[] {1, 10, 2}));
        assertMessage(f + ": label 10 at index 1 is out of range 0..9", () -> IdxReader.readLabels(f));
        assertMessage(f + ": label 10 at index 1 is out of range 0..2", () -> IdxReader.readLabels(f, 3));
        Path neg = file("labels255", idx(0x801, new int[] {1}, new byte[] {-1}));
        assertMessage(neg + ": label 255 at index 0 is out of range 0..9", () -> IdxReader.readLabels(neg));
        assertArrayEquals(new byte[] {1, 10, 2}, IdxReader.readLabels(f, 11));
    }

    @Test
    void corruptGzipAndMissingFile() throws IOException {
        byte[] zipped = gzip(idx(0x801, new int[] {2}, new byte[] {1, 2}));
        for (int i = 10; i < zipped.length - 8; i++) {
            zipped[i] ^= (byte) 0xa5;
        }
        Path f = file("corrupt.gz", zipped);
        UserException e = assertThrows(UserException.class, () -> IdxReader.readLabels(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        Path missing = dir.resolve("missing.gz");
        assertMessage(missing + ": file does not exist", () -> IdxReader.readLabels(missing));
    }

    @Test
    void absurdDimensionsAreRejected() throws IOException {
        Path f = file("dims", idx(0x803, new int[] {-1, 28, 28}, new byte[0]));
        assertMessage(f + ": bad IDX image dimensions -1 x 28 x 28", () -> IdxReader.readImages(f));
        Path big = file("big", idx(0x803, new int[] {100000, 1000, 1000}, new byte[0]));
        UserException e = assertThrows(UserException.class, () -> IdxReader.readImages(big));
        assertTrue(e.getMessage().contains("more than this reader holds in memory"), e.getMessage());
        // Declares 2 GB but holds nothing: reported as truncated without allocating the declared size first.
        Path lying = file("lying", idx(0x803, new int[] {2000, 1000, 1000}, new byte[3]));
        e = assertThrows(UserException.class, () -> IdxReader.readImages(lying));
        assertTrue(e.getMessage().contains("but only 3 follow"), e.getMessage());
    }
}
