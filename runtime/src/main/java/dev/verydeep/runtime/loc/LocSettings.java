package dev.verydeep.runtime.loc;

import dev.verydeep.core.UserException;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.eval.EvalSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a localisation test runs. Results depend on the protocol, scales, flip, dense window and merge threshold;
 * device and threads change the speed only.
 *
 * @param protocol       full (dense, merge, top-5) or center-crop-gt (protocol 1)
 * @param scales         test scales Q (smallest image side after the isotropic rescale)
 * @param flip           full: also the mirrored image (its boxes flipped back; the classifier's posteriors averaged)
 * @param denseCentred   dense window centred (see {@link dev.verydeep.core.net.DenseWindow}) rather than top-left
 * @param mergeThreshold the greedy merge's threshold ({@link GreedyMerge#THRESHOLD} by default)
 * @param intraOpThreads ONNX Runtime intra-op threads (0: ORT's default)
 * @param device         where to run
 * @param strict         stop at the first unreadable image, and fail instead of falling back to CPU
 * @param batch          most inputs per ONNX Runtime call (classifier and box nets); results do not depend on it
 */
public record LocSettings(Protocol protocol, List<Integer> scales, boolean flip, boolean denseCentred, double mergeThreshold,
                          int intraOpThreads, Device device, boolean strict, int batch) {
    /** The settings with eval's default batch. */
    public LocSettings(Protocol protocol, List<Integer> scales, boolean flip, boolean denseCentred, double mergeThreshold, int intraOpThreads,
                       Device device, boolean strict) {
        this(protocol, scales, flip, denseCentred, mergeThreshold, intraOpThreads, device, strict, EvalSettings.DEFAULT_BATCH);
    }

    public LocSettings {
        if (protocol == null) {
            throw new UserException("--protocol is needed: full or center-crop-gt");
        }
        scales = EvalSettings.checkScales(scales);
        if (protocol == Protocol.CENTER_CROP_GT && scales.size() != 1) {
            throw new UserException("--protocol center-crop-gt takes one test scale (the paper's protocol 1 is one central crop), got --scales " + scales);
        }
        if (protocol == Protocol.CENTER_CROP_GT && flip) {
            throw new UserException("--flip applies to --protocol full (protocol 1 is the one central crop)");
        }
        if (Double.isNaN(mergeThreshold) || mergeThreshold < 0) {
            throw new UserException("merge threshold must be >= 0, got " + mergeThreshold);
        }
        if (intraOpThreads < 0) {
            throw new UserException("--threads must be 0 (ORT's default) or more, got " + intraOpThreads);
        }
        if (batch < 1) {
            throw new UserException("--batch must be at least 1, got " + batch);
        }
        device = device == null ? Device.CPU : device;
    }

    /** The settings, for result files. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol.toString());
        m.put("scales", scales);
        m.put("flip", flip);
        m.put("dense_window", denseCentred ? "centred" : "full");
        m.put("merge", "greedy (OverFeat 4.3): match = centre distance / mean side + (1 - IoU); merge the closest pair while match <= "
                + mergeThreshold + "; confidence-weighted mean of coordinates; box confidence 1");
        m.put("merge_threshold", mergeThreshold);
        m.put("correct_if", "IoU >= 0.5 with a ground-truth box of the class");
        m.put("intra_op_threads", intraOpThreads);
        m.put("device", device.toString());
        m.put("strict", strict);
        m.put("batch", batch);
        return m;
    }
}
