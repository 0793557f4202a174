package dev.verydeep.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A small stratified sample of Fashion-MNIST shipped in golden-data (the same four IDX files, gzipped), so the demo
 * and the tests run on a machine without the Debian package. {@value #INFO} beside the files records how it was
 * made (source checksums, seed, chosen indices, command) and the checksums it is verified against. Spec:
 * {@code fashion-mnist-sample[:train|:test]}; the plain {@code fashion-mnist} falls back to it, saying so.
 */
public final class FashionMnistSample {
    /** Class-path folder of the sample (in the golden-data jar). */
    public static final String RESOURCE = "/dev/verydeep/golden/fashion-mnist-sample/";
    /** The description file beside the IDX files. */
    public static final String INFO = "sample.json";

    private static Path dir;

    private FashionMnistSample() {
    }

    /** Opens a split of the shipped sample, verified against the checksums in {@value #INFO}. */
    public static FashionMnist open(FashionMnist.Split split, String note) {
        Map<String, String> sums = new LinkedHashMap<>();
        info().path("files").fields().forEachRemaining(e -> sums.put(e.getKey(), e.getValue().path("sha256").asText()));
        return FashionMnist.open(dir(), split, sums, "fashion-mnist-sample", note);
    }

    /** "1000 train + 500 test images, 100 + 50 per class, seed 1", read from {@value #INFO}. */
    public static String summary() {
        JsonNode made = info().path("made");
        return made.path("train").path("images").asInt() + " train + " + made.path("test").path("images").asInt() + " test images, "
                + made.path("train").path("perClass").asInt() + " + " + made.path("test").path("perClass").asInt() + " per class, seed "
                + made.path("seed").asLong();
    }

    /** The sample's {@value #INFO}. */
    public static JsonNode info() {
        return Json.readTree(dir().resolve(INFO));
    }

    /** The sample's folder: a directory when golden-data is unpacked (its build output), a folder inside its jar otherwise. */
    public static synchronized Path dir() {
        if (dir == null) {
            URL url = FashionMnistSample.class.getResource(RESOURCE + INFO);
            if (url == null) {
                throw new UserException("the shipped Fashion-MNIST sample (" + RESOURCE + INFO + ", module golden-data) is not on the class path");
            }
            try {
                URI uri = url.toURI();
                if ("jar".equals(uri.getScheme())) {
                    try {
                        FileSystems.newFileSystem(uri, Map.of());
                    } catch (FileSystemAlreadyExistsException e) {
                        // opened by someone else in this JVM: Path.of finds it
                    }
                }
                dir = Path.of(uri).getParent();
            } catch (URISyntaxException | IOException e) {
                throw new IllegalStateException("cannot open the shipped sample at " + url, e);
            }
        }
        return dir;
    }

    /**
     * Writes a stratified sample of the full set in {@code full} to the folder {@code out}: per class, the first
     * {@code trainPerClass} (resp. {@code testPerClass}) indices of a seeded shuffle, kept in their original order.
     * The gzip streams carry no time stamp, so the same inputs give the same bytes.
     */
    public static void write(Path full, Path out, int trainPerClass, int testPerClass, long seed, String command) {
        if (trainPerClass < 1 || testPerClass < 1) {
            throw new UserException("images per class must be at least 1 (got train " + trainPerClass + ", test " + testPerClass + ")");
        }
        Map<String, Object> files = new LinkedHashMap<>();
        Map<String, Object> made = new LinkedHashMap<>();
        made.put("command", command);
        made.put("seed", seed);
        made.put("selection", "per class: the first N indices of java.util.Random(seed + split ordinal) shuffles of that class's "
                + "indices, all kept in source order");
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (FashionMnist.Split split : FashionMnist.Split.values()) {
            FashionMnist src = FashionMnist.open(full, split);
            int perClass = split == FashionMnist.Split.TRAIN ? trainPerClass : testPerClass;
            int[] chosen = stratified(src, perClass, seed + split.ordinal());
            Path[] srcFiles = FashionMnist.locate(full, split);
            byte[][] idx = idx(src, chosen);
            String imagesName = split.imagesFile();
            String labelsName = split.labelsFile();
            contents.put(imagesName, idx[0]);
            contents.put(labelsName, idx[1]);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("images", chosen.length);
            m.put("perClass", perClass);
            m.put("sourceImages", srcFiles[0].getFileName() + " sha256 " + Hashes.sha256(srcFiles[0]));
            m.put("sourceLabels", srcFiles[1].getFileName() + " sha256 " + Hashes.sha256(srcFiles[1]));
            m.put("indices", chosen);
            made.put(split.text(), m);
        }
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            files.put(e.getKey(), Map.of("sha256", dev.verydeep.core.io.Hashes.sha256(e.getValue()), "bytes", e.getValue().length));
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("format", 1);
        info.put("what", "stratified sample of Fashion-MNIST (Xiao et al. 2017, MIT licence), IDX files gzipped");
        info.put("files", files);
        info.put("made", made);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserException("cannot create " + out + ": " + e.getMessage(), e);
        }
        contents.forEach((name, bytes) -> AtomicFiles.writeBytes(out.resolve(name), bytes));
        Json.write(out.resolve(INFO), info);
    }

    static int[] stratified(FashionMnist src, int perClass, long seed) {
        Random rnd = new Random(seed);
        List<Integer> all = new ArrayList<>();
        for (int c = 0; c < FashionMnist.CLASS_NAMES.size(); c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < src.size(); i++) {
                if (src.label(i) == c) {
                    members.add(i);
                }
            }
            if (members.size() < perClass) {
                throw new UserException(src.describe() + ": class " + c + " has " + members.size() + " images, fewer than " + perClass);
            }
            Collections.shuffle(members, rnd);
            all.addAll(members.subList(0, perClass));
        }
        int[] chosen = all.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(chosen);
        return chosen;
    }

    /** The gzipped IDX images and labels files of the chosen images. */
    private static byte[][] idx(FashionMnist src, int[] chosen) {
        int plane = src.rows() * src.cols();
        try {
            ByteArrayOutputStream images = new ByteArrayOutputStream();
            ByteArrayOutputStream labels = new ByteArrayOutputStream();
            try (DataOutputStream im = new DataOutputStream(new GZIPOutputStream(images));
                 DataOutputStream lb = new DataOutputStream(new GZIPOutputStream(labels))) {
                im.writeInt(IdxReader.IMAGES_MAGIC);
                im.writeInt(chosen.length);
                im.writeInt(src.rows());
                im.writeInt(src.cols());
                lb.writeInt(IdxReader.LABELS_MAGIC);
                lb.writeInt(chosen.length);
                for (int i : chosen) {
                    im.write(src.pixels(), i * plane, plane);
                    lb.writeByte(src.label(i));
                }
            }
            return new byte[][] {images.toByteArray(), labels.toByteArray()};
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
    }
}
