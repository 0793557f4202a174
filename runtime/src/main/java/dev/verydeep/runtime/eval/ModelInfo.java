package dev.verydeep.runtime.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a posterior column came from: the net's label (config, e.g. {@code D} or {@code D/16}), training scale
 * S as the paper writes it ({@code 37} or {@code [37;73]}, {@code -} when unknown), the model file and its
 * SHA-256.
 */
public record ModelInfo(String label, String trainScale, String path, String sha256) {
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("train_scale", trainScale);
        m.put("path", path);
        m.put("sha256", sha256);
        return m;
    }
}
