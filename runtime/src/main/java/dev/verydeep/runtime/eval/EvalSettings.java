package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.runtime.Device;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an evaluation runs: the protocol (method, test scales Q, flip of the dense evaluation, preprocessing
 * override) and the execution (device, threads, batch). Results depend on the protocol only; the execution
 * settings change the speed. Prints itself for reports ({@link #toMap()}).
 *
 * @param method         dense, multi-crop or both
 * @param scales         test scales Q (smallest image side after the isotropic rescale), averaged
 * @param flip           dense evaluation also of the mirrored image (multi-crop always includes mirrors)
 * @param preprocessing  profile overriding the models' metadata, or {@code null}
 * @param batch          most inputs (images or crops) per ONNX Runtime call
 * @param decodeThreads  threads decoding and rescaling images in parallel with inference
 * @param intraOpThreads ONNX Runtime intra-op threads ({@code 0}: ORT's default, one per core)
 * @param device         where to run
 * @param strict         stop at the first unreadable image, and fail instead of falling back to CPU
 * @param maxPixels      largest rescaled image (width x height) evaluated; larger ones are skipped
 * @param denseCentred   dense: give the graph only the central {@code floor(side/32)*32} pixels of each side (the
 *                       builder's default). Five floor-rounding 2x2 pools make the graph use exactly that many pixels
 *                       anyway, from the top-left when given the whole image; at the paper's scales (multiples of 32)
 *                       the two are the same input, in miniature centring matters (docs/eval-fashion.md)
 */
public record EvalSettings(Method method, List<Integer> scales, boolean flip, Preprocessing preprocessing, int batch,
                           int decodeThreads, int intraOpThreads, Device device, boolean strict, long maxPixels,
                           boolean denseCentred) {
    public static final int DEFAULT_BATCH = 64;
    public static final long DEFAULT_MAX_PIXELS = 16L << 20;

    public EvalSettings {
        if (method == null) {
            throw new UserException("an evaluation needs a method (dense, multicrop or both)");
        }
        scales = checkScales(scales);
        if (batch < 1) {
            throw new UserException("--batch must be at least 1, got " + batch);
        }
        if (decodeThreads < 1) {
            throw new UserException("decode threads must be at least 1, got " + decodeThreads);
        }
        if (intraOpThreads < 0) {
            throw new UserException("--threads must be 0 (ORT's default) or more, got " + intraOpThreads);
        }
        if (maxPixels < 1) {
            throw new UserException("the pixel budget must be positive, got " + maxPixels);
        }
        device = device == null ? Device.CPU : device;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Test scales as eval and localize take them: at least one, each positive, none twice; returns an unmodifiable
     * copy, or throws a {@link UserException} naming {@code --scales}.
     */
    public static List<Integer> checkScales(List<Integer> scales) {
        if (scales == null || scales.isEmpty()) {
            throw new UserException("--scales: at least one test scale Q is needed");
        }
        List<Integer> qs = List.copyOf(scales);
        if (qs.stream().distinct().count() != qs.size()) {
            throw new UserException("--scales " + qs + ": a scale is given twice");
        }
        if (qs.stream().anyMatch(q -> q < 1)) {
            throw new UserException("--scales " + qs + ": scales must be positive");
        }
        return qs;
    }

    /** Parses {@code 37,55,73}. */
    public static List<Integer> parseScales(String text) {
        try {
            return java.util.Arrays.stream(text.split(",")).map(String::trim).map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw new UserException("--scales '" + text + "': expected comma-separated integers, e.g. 37,55,73");
        }
    }

    /** The settings, for result files. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method.toString());
        m.put("scales", scales);
        m.put("flip", flip);
        m.put("crop_grid", CropGrid.PAPER_GRID + "x" + CropGrid.PAPER_GRID + " x 2 mirrors");
        m.put("preprocessing_override", preprocessing == null ? null : preprocessing.toString());
        m.put("batch", batch);
        m.put("decode_threads", decodeThreads);
        m.put("intra_op_threads", intraOpThreads);
        m.put("device", device.toString());
        m.put("strict", strict);
        m.put("max_pixels", maxPixels);
        m.put("dense_window", denseCentred ? "centred" : "full");
        return m;
    }

    @Override
    public String toString() {
        return method + " Q=" + scales + (flip ? " flip" : "") + (denseCentred ? " centred" : "");
    }

    /** set/opt builder: method and scales are required. */
    public static final class Builder {
        private Method method;
        private List<Integer> scales;
        private boolean flip;
        private Preprocessing preprocessing;
        private int batch = DEFAULT_BATCH;
        private int decodeThreads = 1;
        private int intraOpThreads;
        private Device device = Device.CPU;
        private boolean strict;
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private boolean denseCentred = true;

        public Builder setMethod(Method method) {
            this.method = method;
            return this;
        }

        public Builder setScales(List<Integer> scales) {
            this.scales = scales;
            return this;
        }

        public Builder optFlip(boolean flip) {
            this.flip = flip;
            return this;
        }

        public Builder optPreprocessing(Preprocessing preprocessing) {
            this.preprocessing = preprocessing;
            return this;
        }

        public Builder optBatch(int batch) {
            this.batch = batch;
            return this;
        }

        public Builder optDecodeThreads(int decodeThreads) {
            this.decodeThreads = decodeThreads;
            return this;
        }

        public Builder optIntraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        public Builder optStrict(boolean strict) {
            this.strict = strict;
            return this;
        }

        public Builder optMaxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        public Builder optDenseCentred(boolean denseCentred) {
            this.denseCentred = denseCentred;
            return this;
        }

        public EvalSettings build() {
            return new EvalSettings(method, scales, flip, preprocessing, batch, decodeThreads, intraOpThreads, device, strict, maxPixels,
                    denseCentred);
        }
    }
}
