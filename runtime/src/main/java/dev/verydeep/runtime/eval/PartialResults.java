package dev.verydeep.runtime.eval;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The posteriors of an evaluation so far, in {@code OUT/}{@value #FOLDER}{@code /}, so that a killed run resumes
 * where it stopped: {@value #FINGERPRINT} (everything that decides the posteriors: models' SHA-256, data set, the
 * ids and labels evaluated, every setting, the chunk size) and one {@code chunk-NNNNNN.bin} per {@link #chunkImages()}
 * images, each written atomically with a CRC-32 and the fingerprint's hash, so a damaged or foreign chunk is
 * recomputed, never trusted. A run with another fingerprint refuses the folder (naming the first difference). The
 * folder is deleted once the final files are written ({@link #finish()}).
 *
 * <p>Chunk format (big-endian, {@code DataOutputStream}; strings int32 length + UTF-8): magic {@code "VDPART01"},
 * fingerprint SHA-256 string, int32 chunk, first image, count, M, P, S, K; per image a byte (1: skipped) and, when
 * skipped, the reason string; M x P x S float64 seconds; M x P x S x count x K float32 posteriors; int64 CRC-32
 * (written and read by {@link PosteriorCodec}, as {@value PosteriorSet#FILE} is).
 */
public final class PartialResults {
    public static final String FOLDER = "partial";
    public static final String FINGERPRINT = "fingerprint.json";
    /** Images per chunk unless set otherwise. */
    public static final int DEFAULT_CHUNK_IMAGES = 256;
    private static final String MAGIC = "VDPART01";

    /** One chunk's results: posteriors and seconds of its images, per image a skip reason or null. */
    public record Chunk(PosteriorBlocks posteriors, String[] skipReasons) {
        public Chunk {
            if (posteriors.images() != skipReasons.length) {
                throw new IllegalArgumentException(posteriors.images() + " images of posteriors but " + skipReasons.length + " skip reasons");
            }
        }
    }

    /** A chunk's header: its place, the fingerprint's hash and the skip reasons. */
    private record Header(String fingerprintSha, int chunk, int first, PosteriorBlocks.Shape shape, String[] skipReasons)
            implements PosteriorCodec.Header {
    }

    private final Path dir;
    private final String fingerprintSha;
    private final int chunkImages;

    private PartialResults(Path dir, String fingerprintSha, int chunkImages) {
        this.dir = dir;
        this.fingerprintSha = fingerprintSha;
        this.chunkImages = chunkImages;
    }

    /** Whether {@code out} holds the partial results of an interrupted evaluation. */
    public static boolean present(Path out) {
        return Files.isRegularFile(out.resolve(FOLDER).resolve(FINGERPRINT));
    }

    /**
     * Everything that decides an evaluation's posteriors, as a JSON-ready map.
     *
     * @param dataSpec the data set as the user named it
     * @param indices  the images of {@code source} evaluated, in order
     */
    public static Map<String, Object> fingerprint(List<ModelInfo> models, String dataSpec, ImageSource source, int[] indices,
            EvalSettings settings, int chunkImages) {
        MessageDigest ids = Hashes.newSha256();
        for (int i : indices) {
            ids.update((source.id(i) + '\t' + source.label(i) + '\n').getBytes(StandardCharsets.UTF_8));
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("format", "verydeep-eval-partial/1");
        f.put("models_sha256", models.stream().map(ModelInfo::sha256).toList());
        f.put("data", dataSpec);
        f.put("data_description", source.describe());
        f.put("images", indices.length);
        f.put("ids_and_labels_sha256", Hashes.hex(ids.digest()));
        f.put("settings", settings.toMap());
        f.put("chunk_images", chunkImages);
        return f;
    }

    /**
     * Opens {@code out/partial} for a run with this fingerprint: reuses it when its fingerprint is equal, starts it
     * when absent. Another fingerprint is refused unless {@code discard}, which deletes the old partial results.
     */
    public static PartialResults open(Path out, Map<String, Object> fingerprint, boolean discard) {
        Path dir = out.resolve(FOLDER);
        Path file = dir.resolve(FINGERPRINT);
        Map<String, Object> now = normalise(fingerprint);
        int chunk = ((Number) now.get("chunk_images")).intValue();
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk_images must be positive");
        }
        if (Files.isRegularFile(file)) {
            Map<String, Object> old;
            try {
                old = Json.MAPPER.readValue(Files.readAllBytes(file), new TypeReference<Map<String, Object>>() { });
            } catch (IOException e) {
                old = Map.of("unreadable", String.valueOf(e.getMessage()));
            }
            String diff = firstDifference("", old, now);
            if (diff != null && !discard) {
                throw new UserException(out + " holds the partial results of an interrupted evaluation made differently (" + diff
                        + "); rerun that evaluation's command to finish it, choose another --out, or add --force to discard them");
            }
            if (diff != null) {
                delete(dir);
            }
        }
        if (!Files.isRegularFile(file)) {
            Json.write(file, now);
        }
        return new PartialResults(dir, Hashes.sha256(Json.toLine(now).getBytes(StandardCharsets.UTF_8)), chunk);
    }

    /** As read back from JSON, so that numbers compare equal to a stored fingerprint's. */
    private static Map<String, Object> normalise(Map<String, Object> m) {
        try {
            return Json.MAPPER.readValue(Json.toLine(m), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "key (old in the folder vs new now)" for the first differing entry, or null. */
    private static String firstDifference(String prefix, Map<?, ?> old, Map<?, ?> now) {
        for (Object k : union(old, now)) {
            Object a = old.get(k);
            Object b = now.get(k);
            if (a instanceof Map<?, ?> am && b instanceof Map<?, ?> bm) {
                String d = firstDifference(prefix + k + ".", am, bm);
                if (d != null) {
                    return d;
                }
            } else if (!Objects.equals(a, b)) {
                return prefix + k + ": " + a + " in the folder vs " + b + " now";
            }
        }
        return null;
    }

    private static List<Object> union(Map<?, ?> a, Map<?, ?> b) {
        java.util.LinkedHashSet<Object> keys = new java.util.LinkedHashSet<>(b.keySet());
        keys.addAll(a.keySet());
        return List.copyOf(keys);
    }

    public int chunkImages() {
        return chunkImages;
    }

    public Path dir() {
        return dir;
    }

    private Path file(int chunk) {
        return dir.resolve(String.format(Locale.ROOT, "chunk-%06d.bin", chunk));
    }

    /** Writes a finished chunk atomically. */
    public void save(int chunk, int first, Chunk c) {
        PosteriorBlocks.Shape sh = c.posteriors().shape();
        PosteriorCodec.write(file(chunk), MAGIC, out -> {
            PosteriorCodec.writeString(out, fingerprintSha);
            PosteriorCodec.writeInts(out, chunk, first, sh.images(), sh.nets(), sh.parts(), sh.scales(), sh.classes());
            for (String r : c.skipReasons()) {
                out.writeByte(r == null ? 0 : 1);
                if (r != null) {
                    PosteriorCodec.writeString(out, r);
                }
            }
        }, c.posteriors());
    }

    /**
     * The stored chunk, or null when it is missing, damaged, or from another run (then it is recomputed). The
     * chunk's place and shape must match what the file holds.
     */
    public Chunk load(int chunk, int first, PosteriorBlocks.Shape shape) {
        Path f = file(chunk);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            PosteriorCodec.Decoded<Header> d = PosteriorCodec.read(f, MAGIC, "verydeep partial result", PartialResults::header);
            Header h = d.header();
            boolean ours = h.fingerprintSha().equals(fingerprintSha) && h.chunk() == chunk && h.first() == first && h.shape().equals(shape);
            return ours ? new Chunk(d.blocks(), h.skipReasons()) : null;
        } catch (RuntimeException e) {
            return null; // truncated or garbled: recompute rather than trust
        }
    }

    private static Header header(PosteriorCodec.Reader in) throws IOException {
        String sha = in.string();
        int chunk = in.readInt();
        int first = in.readInt();
        int count = in.dim("images");
        PosteriorBlocks.Shape shape = new PosteriorBlocks.Shape(in.dim("nets"), in.dim("parts"), in.dim("scales"), count, in.dim("classes"));
        String[] reasons = new String[count];
        for (int i = 0; i < count; i++) {
            if (in.data().readByte() != 0) {
                reasons[i] = in.string();
            }
        }
        return new Header(sha, chunk, first, shape, reasons);
    }

    /** Deletes the partial results: called once the final files are written. */
    public void finish() {
        delete(dir);
    }

    private static void delete(Path dir) {
        try {
            if (Files.exists(dir)) {
                AtomicFiles.deleteRecursively(dir);
            }
        } catch (IOException e) {
            throw new UserException("cannot delete " + dir + ": " + AtomicFiles.reason(e), e);
        }
    }
}
