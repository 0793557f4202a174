package dev.verydeep.runtime.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, from {@code /proc/self/status} (Linux; -1 elsewhere). */
public final class Memory {
    private Memory() {
    }

    /** Current resident set size in MB (VmRSS). */
    public static long rssMb() {
        return field("VmRSS:");
    }

    /** Peak resident set size in MB (VmHWM). */
    public static long peakRssMb() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String[] f = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(f[0]) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
