package dev.verydeep.transfer.extract;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageScan;
import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.WritableFolder;
import dev.verydeep.core.net.DenseWindow;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import dev.verydeep.transfer.store.DescriptorStore;
import dev.verydeep.transfer.store.StoreSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code verydeep extract}: descriptors of every image of a target data set into a {@link DescriptorStore},
 * chunk by chunk, skipping chunks a previous run finished.
 */
public final class ExtractJob {
    /** What to extract. {@code preprocessing} overrides (or, for models without verydeep metadata, supplies) the profile. */
    public record Request(List<Path> models, String data, List<String> vocSets, List<Integer> scales, Aggregate aggregate, Path out,
            int chunkSize, Device device, int threads, int decodeThreads, String preprocessing, DenseWindow denseWindow, boolean withBoxes) {
        /** The default dense window, no boxes. */
        public Request(List<Path> models, String data, List<String> vocSets, List<Integer> scales, Aggregate aggregate, Path out,
                int chunkSize, Device device, int threads, int decodeThreads, String preprocessing) {
            this(models, data, vocSets, scales, aggregate, out, chunkSize, device, threads, decodeThreads, preprocessing, DenseWindow.DEFAULT, false);
        }
    }

    /** What happened: chunks computed and skipped, images computed, wall and session seconds. */
    public record Summary(Path out, int images, int dim, int chunks, int chunksSkipped, int imagesComputed, double seconds,
            double sessionSeconds, String device, List<ImageScan.Skipped> skipped) {
        public double imagesPerSecond() {
            return imagesComputed / Math.max(seconds, 1e-9);
        }

        public double sessionImagesPerSecond() {
            return imagesComputed / Math.max(sessionSeconds, 1e-9);
        }
    }

    private ExtractJob() {
    }

    public static Summary run(Request req, Map<String, Object> provenance) {
        return run(req, provenance, Integer.MAX_VALUE, false);
    }

    /** Runs at most {@code maxNewChunks} chunks, then stops as a killed run would (tests of resumption). */
    public static Summary run(Request req, Map<String, Object> provenance, int maxNewChunks) {
        return run(req, provenance, maxNewChunks, false);
    }

    /**
     * Runs at most {@code maxNewChunks} chunks. Images the decoder refuses are left out of the store and listed in
     * its index, or, when {@code strict}, stop the run before any descriptor is computed.
     */
    public static Summary run(Request req, Map<String, Object> provenance, int maxNewChunks, boolean strict) {
        if (req.models().isEmpty()) {
            throw new UserException("--model: give at least one model");
        }
        if (req.chunkSize() < 1) {
            throw new UserException("--chunk-size must be at least 1, got " + req.chunkSize());
        }
        TargetData.Readable readable = TargetData.open(req.data(), req.vocSets()).readable(strict);
        TargetData data = readable.data();
        if (req.withBoxes() && data.boxes() == null) {
            throw new UserException("--with-boxes: " + data.spec() + " has no per-box entries (use a voc-action: data set)");
        }
        if (data.entries().isEmpty()) {
            throw new UserException(data.spec() + ": no images");
        }
        List<ModelSession> sessions = new ArrayList<>();
        try {
            List<Preprocessor> pre = new ArrayList<>();
            List<StoreSettings.Model> models = new ArrayList<>();
            for (Path p : req.models()) {
                ModelSession s = Sessions.open(p, req.device(), req.threads());
                sessions.add(s);
                Optional<ModelMetadata> md = s.model().metadata();
                Preprocessing prof;
                if (req.preprocessing() != null) {
                    prof = Preprocessing.named(req.preprocessing());
                } else if (md.isPresent()) {
                    prof = md.get().preprocessing();
                } else {
                    throw new UserException(p + ": no verydeep metadata, so its preprocessing is unknown; give --preprocessing caffe or torchvision");
                }
                if (md.isPresent()) {
                    int crop = md.get().crop();
                    for (int q : req.scales()) {
                        if (q < crop) {
                            throw new UserException("--scales: " + q + " is smaller than the crop " + crop + " of " + p
                                    + " (the dense net needs at least its crop size)");
                        }
                    }
                }
                pre.add(new Preprocessor(prof));
                models.add(new StoreSettings.Model(Hashes.sha256(s.model().bytes()), Extractor.penultimateWidth(s), prof.toString()));
            }
            try (Extractor ex = new Extractor(sessions, pre, req.scales(), req.aggregate(), req.denseWindow(), req.withBoxes(),
                    req.decodeThreads(), 8)) {
                StoreSettings settings = new StoreSettings(data.spec(), data.kind(), data.classes(),
                        DescriptorStore.imagesSha256(data.entries()), data.entries().size(), models, req.scales(),
                        req.aggregate().text(), true, ex.dim(), req.chunkSize(), req.denseWindow().text(), req.withBoxes());
                // Descriptors plus the image list (JSON, a few hundred bytes an image), before any image is decoded.
                WritableFolder.check(req.out(), "--out", 4L * ex.dim() * data.entries().size() + 512L * data.entries().size() + (1L << 20));
                DescriptorStore store = DescriptorStore.openForWriting(req.out(), settings, data.entries(), provenance, readable.skipped());
                int skipped = store.doneCount();
                int computed = 0;
                int newChunks = 0;
                long t0 = System.nanoTime();
                for (int c = 0; c < store.chunkCount() && newChunks < maxNewChunks; c++) {
                    if (store.isDone(c)) {
                        continue;
                    }
                    int first = store.first(c);
                    int n = store.count(c);
                    float[] values = new float[n * ex.dim()];
                    ex.extract(data.images(), req.withBoxes() ? data.boxes() : null, first, first + n, values);
                    try {
                        store.writeChunk(c, values);
                    } catch (UserException e) {
                        throw new UserException(e.getMessage() + "; the " + store.doneCount() + " chunk(s) already stored are kept: run the same "
                                + "verydeep extract again to resume", e);
                    }
                    FaultPoints.reached("extract.chunk-written");
                    computed += n;
                    newChunks++;
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                return new Summary(req.out(), data.entries().size(), ex.dim(), store.chunkCount(), skipped, computed, secs,
                        ex.sessionNanos() / 1e9, sessions.get(0).device().toString(), readable.skipped());
            }
        } finally {
            sessions.forEach(ModelSession::close);
        }
    }
}
