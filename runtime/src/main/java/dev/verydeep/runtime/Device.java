package dev.verydeep.runtime;

import dev.verydeep.core.UserException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a session runs: {@code cpu}, or {@code cuda[:N]} (GPU N, default 0).
 *
 * @param kind  CPU or CUDA
 * @param index the GPU ordinal (0 for CPU)
 */
public record Device(Kind kind, int index) {
    /** Execution provider family. */
    public enum Kind { CPU, CUDA }

    public static final Device CPU = new Device(Kind.CPU, 0);

    private static final Pattern CUDA = Pattern.compile("cuda(?::(\\d{1,4}))?");

    public Device {
        if (kind == null || index < 0) {
            throw new UserException("invalid device " + kind + ":" + index);
        }
        if (kind == Kind.CPU && index != 0) {
            throw new UserException("the CPU device has no index");
        }
    }

    public static Device cuda(int index) {
        return new Device(Kind.CUDA, index);
    }

    /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}, case-insensitively. */
    public static Device parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) {
            return CPU;
        }
        Matcher m = CUDA.matcher(t);
        if (m.matches()) {
            return cuda(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
        }
        throw new UserException("unknown device '" + text + "': expected cpu, cuda or cuda:N");
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
