package dev.verydeep.spark;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageScan;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.data.Subset;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import dev.verydeep.transfer.extract.ExtractJob;
import dev.verydeep.transfer.extract.Extractor;
import dev.verydeep.transfer.extract.TargetData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The thin adapter between a Spark partition and transfer's extractor: one chunk of the descriptor store computed with
 * {@link Extractor#extract} into a part file ({@code OUT/spark-parts/chunk-NNNNNN.f32}, little-endian floats, written
 * atomically), which the driver then writes into the store. The only place the spark module touches the extractor.
 */
final class ExtractPartition {
    static final String PARTS = "spark-parts";

    /** What a task did with one chunk. */
    record Done(int chunk, int images, boolean computed, double seconds, double sessionSeconds, String executor, String device)
            implements java.io.Serializable {
    }

    /** The images of the store: the data set without the images the driver's scan left out (same order, so same chunks). */
    record Images(ImageSource source, List<Box> boxes) {
        static Images of(ExtractJob.Request req, Set<String> skippedIds) {
            TargetData data = TargetData.open(req.data(), req.vocSets());
            if (skippedIds.isEmpty()) {
                return new Images(data.images(), data.boxes());
            }
            int[] kept = IntStream.range(0, data.images().size()).filter(i -> !skippedIds.contains(data.images().id(i))).toArray();
            List<Box> boxes = data.boxes() == null ? null : IntStream.of(kept).mapToObj(data.boxes()::get).toList();
            return new Images(new Subset(data.images(), kept, "readable images, " + skippedIds.size() + " skipped"), boxes);
        }
    }

    private ExtractPartition() {
    }

    static Path part(Path out, int chunk) {
        return out.resolve(PARTS).resolve(String.format(Locale.ROOT, "chunk-%06d.f32", chunk));
    }

    /** An extractor over sessions opened as {@link ExtractJob} opens them (the preprocessing from metadata or the override). */
    static Extractor extractor(ExtractJob.Request req, Device device, int threads) {
        List<ModelSession> sessions = new ArrayList<>();
        List<Preprocessor> pre = new ArrayList<>();
        for (Path p : req.models()) {
            ModelSession s = Sessions.open(p, device, threads);
            sessions.add(s);
            Optional<ModelMetadata> md = s.model().metadata();
            if (req.preprocessing() == null && md.isEmpty()) {
                throw new UserException(p + ": no verydeep metadata, so its preprocessing is unknown; give --preprocessing caffe or torchvision");
            }
            pre.add(new Preprocessor(req.preprocessing() != null ? Preprocessing.named(req.preprocessing()) : md.get().preprocessing()));
        }
        return new Extractor(sessions, pre, req.scales(), req.aggregate(), req.denseWindow(), req.withBoxes(), req.decodeThreads(), 8);
    }

    /**
     * Descriptors of images {@code first .. first+count-1} into chunk {@code c}'s part file, unless a complete one is
     * there (a retried or rerun task); {@code half} is called between the two halves of the chunk.
     */
    static Done run(Extractor ex, Images images, Path out, int c, int first, int count, String executor, String device, Runnable half) {
        long t0 = System.nanoTime();
        long s0 = ex.sessionNanos();
        Path part = part(out, c);
        long bytes = 4L * count * ex.dim();
        try {
            if (Files.isRegularFile(part) && Files.size(part) == bytes) {
                return new Done(c, count, false, (System.nanoTime() - t0) / 1e9, 0, executor, device);
            }
        } catch (IOException e) {
            // unreadable: recompute
        }
        int mid = first + count / 2;
        float[] values = new float[count * ex.dim()];
        float[] head = new float[(mid - first) * ex.dim()];
        float[] tail = new float[(first + count - mid) * ex.dim()];
        ex.extract(images.source(), images.boxes(), first, mid, head);
        half.run();
        ex.extract(images.source(), images.boxes(), mid, first + count, tail);
        System.arraycopy(head, 0, values, 0, head.length);
        System.arraycopy(tail, 0, values, head.length, tail.length);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        AtomicFiles.writeBytes(part, b.array());
        return new Done(c, count, true, (System.nanoTime() - t0) / 1e9, (ex.sessionNanos() - s0) / 1e9, executor, device);
    }

    /** A committed part's values, or a clear error when it is missing or truncated. */
    static float[] read(Path out, int c, int count, int dim) {
        Path part = part(out, c);
        try {
            byte[] bytes = Files.readAllBytes(part);
            if (bytes.length != 4L * count * dim) {
                throw new UserException(part + ": " + bytes.length + " bytes, expected " + 4L * count * dim + " (damaged; delete it and rerun)");
            }
            float[] v = new float[count * dim];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return v;
        } catch (IOException e) {
            throw new UserException(part + ": cannot read the part a task committed (is --out on a file system the driver sees?): "
                    + AtomicFiles.reason(e), e);
        }
    }

    /** The skipped images' ids. */
    static Set<String> ids(List<ImageScan.Skipped> skipped) {
        return skipped.stream().map(ImageScan.Skipped::id).collect(java.util.stream.Collectors.toSet());
    }
}
