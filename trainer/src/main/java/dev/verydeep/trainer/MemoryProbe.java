package dev.verydeep.trainer;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Records the process's resident memory and the JVM's direct buffers in each epoch's log (they show whether memory stays flat). */
final class MemoryProbe implements TrainingListener {
    @Override
    public void onEpochEnd(EpochEnd epoch) {
        epoch.log(epoch.log().withMemory(rssMb(), directMb()));
    }

    /** Resident set size from /proc (-1 where there is none). */
    static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static long directMb() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed() >> 20;
            }
        }
        return -1;
    }
}
