package dev.verydeep.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device a session was asked for and the one it actually runs on, with the reason when they differ
 * (CUDA requested but unavailable). Result files record it so every number says where it was computed.
 *
 * @param requested      what the user asked for
 * @param used           what the session runs on
 * @param fallbackReason ONNX Runtime's message when CUDA was requested but the session fell back to CPU,
 *                       {@code null} otherwise
 */
public record DeviceSelection(Device requested, Device used, String fallbackReason) {

    public boolean fellBack() {
        return fallbackReason != null;
    }

    /** For result files: {@code requested}, {@code used} and, after a fall-back, {@code fallback_reason}. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("requested", requested.toString());
        m.put("used", used.toString());
        if (fallbackReason != null) {
            m.put("fallback_reason", fallbackReason);
        }
        return m;
    }

    @Override
    public String toString() {
        return fellBack() ? used + " (" + requested + " requested but unavailable)" : used.toString();
    }
}
