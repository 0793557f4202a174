package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The one binary codec of the evaluation's files, {@value PosteriorSet#FILE} and the chunks of {@link PartialResults}:
 * big-endian as Java's {@code DataOutputStream} writes it, an 8-byte magic, a header of the file's own, the
 * {@link PosteriorBlocks} (float64 seconds per block, then float32 posteriors block after block), and an int64
 * CRC-32 of all preceding bytes. Strings are int32 length + UTF-8 bytes. Files are written atomically; a
 * missing, truncated or corrupt file is a {@link UserException} naming it.
 */
final class PosteriorCodec {
    /** Longest string read (ids, reasons, paths), so a corrupt length cannot allocate absurd arrays. */
    private static final int MAX_STRING = 1 << 20;
    /** Largest dimension read from a header. */
    private static final int MAX_DIM = 1 << 28;

    private PosteriorCodec() {
    }

    /** Writes the header of a file; the codec writes magic, blocks and checksum around it. */
    @FunctionalInterface
    interface HeaderWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads the header of a file (after the magic) and says the shape of the blocks that follow. */
    @FunctionalInterface
    interface HeaderReader<H> {
        H read(Reader in) throws IOException;
    }

    /** What a header reader returns: at least the shape of the blocks. */
    interface Header {
        PosteriorBlocks.Shape shape();
    }

    /** A file's header and blocks. */
    record Decoded<H>(H header, PosteriorBlocks blocks) {
    }

    static void write(Path file, String magic, HeaderWriter header, PosteriorBlocks blocks) {
        AtomicFiles.write(file, raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(checked, 1 << 16));
            out.write(magic(magic));
            header.write(out);
            blocks.write(out);
            out.flush();
            out.writeLong(checked.getChecksum().getValue());
            out.flush();
        });
    }

    static <H extends Header> Decoded<H> read(Path file, String magic, String kind, HeaderReader<H> header) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
            Reader in = new Reader(file, new DataInputStream(checked));
            byte[] m = new byte[8];
            in.data().readFully(m);
            if (!Arrays.equals(m, magic(magic))) {
                throw new UserException(file + ": not a " + kind + " (bad magic)");
            }
            H h = header.read(in);
            PosteriorBlocks.Shape s = h.shape();
            long values = (long) s.blocks() * s.images() * s.classes();
            long size = Files.size(file);
            if (values * 4 > size) {
                throw new UserException(file + ": truncated (header promises " + values + " posteriors, file has " + size + " bytes)");
            }
            PosteriorBlocks blocks = PosteriorBlocks.read(in.data(), s);
            long expected = checked.getChecksum().getValue();
            if (in.data().readLong() != expected) {
                throw new UserException(file + ": checksum mismatch (file corrupt)");
            }
            if (in.data().read() != -1) {
                throw new UserException(file + ": unexpected bytes after the checksum");
            }
            return new Decoded<>(h, blocks);
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": file not found");
        } catch (EOFException e) {
            throw new UserException(file + ": truncated");
        } catch (IOException e) {
            throw new UserException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static void writeInts(DataOutputStream out, int... values) throws IOException {
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static byte[] magic(String magic) {
        byte[] b = magic.getBytes(StandardCharsets.US_ASCII);
        if (b.length != 8) {
            throw new IllegalArgumentException("magic must be 8 ASCII bytes: " + magic);
        }
        return b;
    }

    /** The input of a header reader, with checks that name the file. */
    record Reader(Path file, DataInputStream data) {
        int readInt() throws IOException {
            return data.readInt();
        }

        /** A dimension from the header: 0 .. 2^28, else the file is corrupt. */
        int dim(String what) throws IOException {
            int v = data.readInt();
            if (v < 0 || v > MAX_DIM) {
                throw new UserException(file + ": corrupt header (" + what + " = " + v + ")");
            }
            return v;
        }

        String string() throws IOException {
            int len = data.readInt();
            if (len < 0 || len > MAX_STRING) {
                throw new UserException(file + ": corrupt string length " + len);
            }
            byte[] b = new byte[len];
            data.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
