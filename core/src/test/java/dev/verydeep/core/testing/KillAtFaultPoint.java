package dev.verydeep.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.io.FaultPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kill half of a kill-and-resume test: runs a main class in a child JVM on the test's class path with
 * {@code -Dverydeep.test.pause=POINT} ({@link FaultPoints}), waits until it prints {@code PAUSED POINT}, and kills
 * it there with SIGKILL. What the test checks on the killed output, and how it resumes, is the test's own.
 */
public final class KillAtFaultPoint {
    private final String mainClass;
    private final String heap;
    private final Duration timeout;
    private final Map<String, String> env;

    private KillAtFaultPoint(Builder b) {
        this.mainClass = b.mainClass;
        this.heap = b.heap;
        this.timeout = b.timeout;
        this.env = Map.copyOf(b.env);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the child with {@code args}, waits until it pauses at {@code point} ({@code NAME} or {@code NAME@N}),
     * kills it and returns once it is gone. The child's stdout and stderr go to {@code log}. Fails the test when the
     * child ends or the timeout passes before the point.
     */
    public void kill(String point, Path log, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-D" + FaultPoints.PAUSE + "=" + point, "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process child = pb.start();
        try {
            String paused = "PAUSED " + point.replaceAll("@\\d+$", "");
            long deadline = System.nanoTime() + timeout.toNanos();
            while (child.isAlive() && !Files.readString(log).contains(paused) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.readString(log).contains(paused), "child never reached " + point + ": " + Files.readString(log));
        } finally {
            child.destroyForcibly(); // SIGKILL
            child.waitFor();
        }
    }

    /** Settings of the child JVM. */
    public static final class Builder {
        private String mainClass;
        private String heap = "512m";
        private Duration timeout = Duration.ofSeconds(120);
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder() {
        }

        /** The class whose {@code main} the child runs. */
        public Builder setMainClass(Class<?> main) {
            this.mainClass = main.getName();
            return this;
        }

        /** The child's maximum heap, as {@code -Xmx} takes it; default 512m. */
        public Builder optHeap(String heap) {
            this.heap = heap;
            return this;
        }

        /** How long the child may take to reach the point; default two minutes. */
        public Builder optTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** An environment variable of the child. */
        public Builder optEnv(String name, String value) {
            env.put(name, value);
            return this;
        }

        public KillAtFaultPoint build() {
            if (mainClass == null) {
                throw new IllegalStateException("setMainClass is required");
            }
            return new KillAtFaultPoint(this);
        }
    }
}
