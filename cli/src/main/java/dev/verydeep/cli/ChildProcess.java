package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code verydeep} in a fresh JVM on this process's class path, with extra environment variables: what
 * {@code golden spread} needs, since ATEN_CPU_CAPABILITY, ONEDNN_MAX_CPU_ISA and MKL_CBWR act only when the native
 * libraries load. The child gets this JVM's options (heap, offline DJL) and its output goes to {@code log}.
 */
final class ChildProcess {
    private ChildProcess() {
    }

    static int run(Map<String, String> variables, List<String> args, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // -D and -X options of this JVM (heap, direct memory, offline DJL); agents and debuggers stay behind.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X") || a.startsWith("-D")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(variables);
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new UserException("cannot start a verydeep process (" + cmd.get(0) + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while waiting for a verydeep process", e);
        }
    }
}
