package dev.verydeep.runtime.eval;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

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
 * skipped, the reason string; M x P x S float64 seconds; M x P x S x count x K float32 posteriors; int64 CRC-32.
 */
public final class PartialResults {
    public static final String FOLDER = "partial";
    public static final String FINGERPRINT = "fingerprint.json";
    /** Images per chunk unless set otherwise. */
    public static final int DEFAULT_CHUNK_IMAGES = 256;
    private static final byte[] MAGIC = "VDPART01".getBytes(StandardCharsets.US_ASCII);

    /** One chunk's results: posteriors [net][part][scale][image * K + class], seconds, per image a skip reason or null. */
    public record Chunk(float[][][][] posteriors, double[][][] seconds, String[] skipReasons) {
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
        int count = c.skipReasons().length;
        AtomicFiles.write(file(chunk), raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(checked, 1 << 16));
            out.write(MAGIC);
            str(out, fingerprintSha);
            float[][][][] p = c.posteriors();
            int m = p.length;
            int parts = p[0].length;
            int scales = p[0][0].length;
            int k = count == 0 ? 0 : p[0][0][0].length / count;
            for (int v : new int[] {chunk, first, count, m, parts, scales, k}) {
                out.writeInt(v);
            }
            for (String r : c.skipReasons()) {
                out.writeByte(r == null ? 0 : 1);
                if (r != null) {
                    str(out, r);
                }
            }
            for (double[][] a : c.seconds()) {
                for (double[] b : a) {
                    for (double s : b) {
                        out.writeDouble(s);
                    }
                }
            }
            for (float[][][] a : p) {
                for (float[][] b : a) {
                    for (float[] s : b) {
                        for (float v : s) {
                            out.writeFloat(v);
                        }
                    }
                }
            }
            out.flush();
            out.writeLong(checked.getChecksum().getValue());
            out.flush();
        });
    }

    /**
     * The stored chunk, or null when it is missing, damaged, or from another run (then it is recomputed). The
     * shape arguments must match what the chunk holds.
     */
    public Chunk load(int chunk, int first, int count, int m, int parts, int scales, int k) {
        Path f = file(chunk);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
            DataInputStream in = new DataInputStream(checked);
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC) || !fingerprintSha.equals(str(in, 256))) {
                return null;
            }
            int[] want = {chunk, first, count, m, parts, scales, k};
            for (int w : want) {
                if (in.readInt() != w) {
                    return null;
                }
            }
            String[] reasons = new String[count];
            for (int i = 0; i < count; i++) {
                if (in.readByte() != 0) {
                    reasons[i] = str(in, 1 << 16);
                }
            }
            double[][][] seconds = new double[m][parts][scales];
            for (double[][] a : seconds) {
                for (double[] b : a) {
                    for (int s = 0; s < scales; s++) {
                        b[s] = in.readDouble();
                    }
                }
            }
            float[][][][] p = new float[m][parts][scales][];
            for (float[][][] a : p) {
                for (float[][] b : a) {
                    for (int s = 0; s < scales; s++) {
                        float[] v = new float[count * k];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = in.readFloat();
                        }
                        b[s] = v;
                    }
                }
            }
            long expected = checked.getChecksum().getValue();
            if (in.readLong() != expected || in.read() != -1) {
                return null;
            }
            return new Chunk(p, seconds, reasons);
        } catch (IOException | RuntimeException e) {
            return null; // truncated or garbled: recompute rather than trust
        }
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

    private static void str(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String str(DataInputStream in, int max) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > max) {
            throw new IOException("bad string length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
