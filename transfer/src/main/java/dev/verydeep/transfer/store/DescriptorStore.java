package dev.verydeep.transfer.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageScan;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import dev.verydeep.transfer.svm.DenseMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A folder of descriptors: {@code images.json} (the image list with ground truth, written once),
 * {@code index.json} (format, settings, finished chunks with their SHA-256) and {@code chunk-NNNNNN.f32}
 * (float32 little-endian, {@code count x dim} values for images {@code first ..}). Every file is written
 * atomically; a chunk counts as finished only once the index lists it and its bytes match the listed hash, so
 * a run killed at any point resumes without recomputing finished chunks and without trusting a half-written
 * one. An existing store with other settings refuses new chunks.
 */
public final class DescriptorStore {
    /** Written by new stores. Format 2 added per-box entries ({@link ImageEntry#image}, {@link ImageEntry#box}) and the
     *  dense window and box settings; format 1 stores (whole images, full window) are still read and resumed. */
    public static final String FORMAT = "verydeep-descriptors/2";
    /** Every format this code reads. */
    public static final List<String> FORMATS = List.of("verydeep-descriptors/1", FORMAT);
    public static final String INDEX = "index.json";
    public static final String IMAGES = "images.json";

    /** One finished chunk. */
    public record Chunk(int number, int first, int count, String sha256) {
    }

    /** The index file's content; {@code skipped}: images of the data set left out because the decoder refused them. */
    public record Index(String format, StoreSettings settings, List<Chunk> chunks, Map<String, Object> provenance,
            List<ImageScan.Skipped> skipped) {
    }

    private final Path dir;
    private final StoreSettings settings;
    private final TreeMap<Integer, Chunk> done = new TreeMap<>();
    private final Map<String, Object> provenance;
    private final List<ImageScan.Skipped> skipped;
    /** The format of the index: an appended store keeps the format it was created with. */
    private final String format;

    private DescriptorStore(Path dir, StoreSettings settings, Map<String, Object> provenance, List<ImageScan.Skipped> skipped, String format) {
        this.dir = dir;
        this.settings = settings;
        this.provenance = provenance;
        this.skipped = skipped == null ? List.of() : List.copyOf(skipped);
        this.format = format;
    }

    /** SHA-256 of the image list as stored. */
    public static String imagesSha256(List<ImageEntry> images) {
        return Hashes.sha256(Json.toLine(images).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Opens {@code dir} for writing: a new store, or an existing one with equal settings whose verified chunks
     * count as done. Different settings, or a folder that is not a store, are refused.
     */
    public static DescriptorStore openForWriting(Path dir, StoreSettings settings, List<ImageEntry> images, Map<String, Object> provenance) {
        return openForWriting(dir, settings, images, provenance, List.of());
    }

    /** {@link #openForWriting(Path, StoreSettings, List, Map)}, recording the images left out as unreadable. */
    public static DescriptorStore openForWriting(Path dir, StoreSettings settings, List<ImageEntry> images, Map<String, Object> provenance,
            List<ImageScan.Skipped> skipped) {
        if (settings.images() != images.size() || !settings.imagesSha256().equals(imagesSha256(images))) {
            throw new IllegalArgumentException("settings do not describe these images");
        }
        Path index = dir.resolve(INDEX);
        Index old = Files.exists(index) ? readIndex(dir) : null;
        // A resumed store keeps the provenance of the run that created it.
        DescriptorStore s = new DescriptorStore(dir, settings, old != null ? old.provenance() : provenance, skipped, old != null ? old.format() : FORMAT);
        if (old != null) {
            String diff = settings.firstDifference(old.settings());
            if (diff != null) {
                throw new UserException(dir + ": holds descriptors made with other settings, refusing to append: " + diff
                        + "; use another --out folder or delete this one");
            }
            for (Chunk c : old.chunks()) {
                if (s.verify(c)) {
                    s.done.put(c.number(), c);
                }
            }
        } else {
            try {
                if (Files.isDirectory(dir)) {
                    try (var list = Files.list(dir)) {
                        if (list.anyMatch(p -> !p.getFileName().toString().startsWith("."))) {
                            throw new UserException(dir + ": exists, is not empty and is not a descriptor store (no " + INDEX + ")");
                        }
                    }
                } else if (Files.exists(dir)) {
                    throw new UserException(dir + ": exists and is not a folder");
                }
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UserException("cannot create " + dir + ": " + e.getMessage(), e);
            }
            Json.write(dir.resolve(IMAGES), images);
            s.writeIndex();
        }
        return s;
    }

    public StoreSettings settings() {
        return settings;
    }

    public int chunkCount() {
        return (settings.images() + settings.chunkSize() - 1) / settings.chunkSize();
    }

    public boolean isDone(int chunk) {
        return done.containsKey(chunk);
    }

    public int doneCount() {
        return done.size();
    }

    /** First image of a chunk and its image count. */
    public int first(int chunk) {
        return chunk * settings.chunkSize();
    }

    public int count(int chunk) {
        return Math.min(settings.chunkSize(), settings.images() - first(chunk));
    }

    static String chunkName(int chunk) {
        return String.format("chunk-%06d.f32", chunk);
    }

    /** Writes a finished chunk ({@code count(chunk) x dim} values) and records it in the index. */
    public void writeChunk(int chunk, float[] values) {
        int n = count(chunk);
        if (values.length != n * settings.dim()) {
            throw new IllegalArgumentException("chunk " + chunk + ": " + values.length + " values, expected " + n * settings.dim());
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new UserException("chunk " + chunk + " of " + dir + ": a descriptor value is " + v + " (the model produced NaN or Inf)");
            }
        }
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        byte[] bytes = b.array();
        AtomicFiles.writeBytes(dir.resolve(chunkName(chunk)), bytes);
        done.put(chunk, new Chunk(chunk, first(chunk), n, Hashes.sha256(bytes)));
        writeIndex();
    }

    private void writeIndex() {
        Json.write(dir.resolve(INDEX), new Index(format, settings, new ArrayList<>(done.values()), provenance, skipped));
    }

    private boolean verify(Chunk c) {
        Path f = dir.resolve(chunkName(c.number()));
        try {
            return c.first() == first(c.number()) && c.count() == count(c.number()) && Files.isRegularFile(f)
                    && Files.size(f) == 4L * c.count() * settings.dim() && Hashes.sha256(f).equals(c.sha256());
        } catch (IOException e) {
            return false;
        }
    }

    public static Index readIndex(Path dir) {
        Index idx = Json.read(dir.resolve(INDEX), Index.class);
        if (!FORMATS.contains(idx.format()) || idx.settings() == null || idx.chunks() == null) {
            throw new UserException(dir.resolve(INDEX) + ": not a descriptor store index of a format this version reads ("
                    + String.join(", ", FORMATS) + "; found " + idx.format() + ")");
        }
        return idx;
    }

    /** A complete store read into memory. */
    public record Descriptors(Path dir, StoreSettings settings, List<ImageEntry> images, DenseMatrix matrix, Map<String, Object> provenance) {
    }

    /** Reads a complete store; an incomplete or damaged one is refused with what to do. */
    public static Descriptors read(Path dir) {
        if (!Files.isRegularFile(dir.resolve(INDEX))) {
            throw new UserException(dir + ": not a descriptor store (no " + INDEX + "; make one with verydeep extract)");
        }
        Index idx = readIndex(dir);
        StoreSettings s = idx.settings();
        List<ImageEntry> images;
        try {
            images = Json.MAPPER.readValue(Files.readAllBytes(dir.resolve(IMAGES)), new TypeReference<List<ImageEntry>>() {
            });
        } catch (IOException e) {
            throw new UserException(dir.resolve(IMAGES) + ": cannot read: " + e.getMessage(), e);
        }
        if (images.size() != s.images() || !imagesSha256(images).equals(s.imagesSha256())) {
            throw new UserException(dir.resolve(IMAGES) + ": does not match the index (changed after extraction?)");
        }
        DescriptorStore store = new DescriptorStore(dir, s, idx.provenance(), idx.skipped(), idx.format());
        float[] all = new float[Math.multiplyExact(s.images(), s.dim())];
        Map<Integer, Chunk> byNumber = new TreeMap<>();
        idx.chunks().forEach(c -> byNumber.put(c.number(), c));
        for (int c = 0; c < store.chunkCount(); c++) {
            Chunk ch = byNumber.get(c);
            if (ch == null || !store.verify(ch)) {
                throw new UserException(dir + ": incomplete (chunk " + c + " of " + store.chunkCount() + " missing or damaged); "
                        + "run the same verydeep extract again to resume");
            }
            try {
                ByteBuffer.wrap(Files.readAllBytes(dir.resolve(chunkName(c)))).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                        .get(all, store.first(c) * s.dim(), ch.count() * s.dim());
            } catch (IOException e) {
                throw new UserException(dir.resolve(chunkName(c)) + ": cannot read: " + e.getMessage(), e);
            }
        }
        for (int i = 0; i < all.length; i++) {
            if (!Float.isFinite(all[i])) {
                throw new UserException(dir + ": descriptor of image " + images.get(i / s.dim()).id() + " holds " + all[i]);
            }
        }
        return new Descriptors(dir, s, images, new DenseMatrix(s.images(), s.dim(), all), idx.provenance());
    }
}
