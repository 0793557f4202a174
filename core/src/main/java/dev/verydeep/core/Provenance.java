package dev.verydeep.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * How a result was made: the command, the code version (git commit, and whether the tree had
 * uncommitted changes), library versions, and the machine, down to what decides its last bits
 * ({@link NumericEnvironment}: CPU, vector ISA, kernel choices). Every result file embeds one; thread counts are
 * in the command.
 */
public record Provenance(
        String command,
        String gitCommit,
        boolean gitDirty,
        String time,
        String host,
        String os,
        int cpus,
        long maxHeapMb,
        Map<String, String> versions,
        // Absent from files written before it was recorded; kept absent when such a file is written back.
        @JsonInclude(JsonInclude.Include.NON_NULL) NumericEnvironment numerics) {

    /** Captures the provenance of the running process; {@code versions} adds library versions to Java's. */
    public static Provenance capture(String command, Map<String, String> versions) {
        Map<String, String> v = new TreeMap<>(versions);
        v.put("java", System.getProperty("java.version"));
        String pkg = Provenance.class.getPackage().getImplementationVersion();
        v.put("verydeep", pkg == null ? "dev" : pkg);
        Path repo = Path.of(System.getProperty("verydeep.repo", "."));
        String commit = git(repo, "rev-parse", "HEAD");
        String status = git(repo, "status", "--porcelain", "--untracked-files=no");
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return new Provenance(command, commit == null ? "unknown" : commit, status != null && !status.isBlank(),
                Instant.now().toString(), host,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, v, NumericEnvironment.capture());
    }

    /** Key of the Fashion-MNIST source in a versions map: the full set or the shipped sample. */
    public static final String FASHION_MNIST_KEY = "data.fashion-mnist";

    /**
     * Library versions a module was built against, read from {@code versions.properties} beside {@code anchor} (a
     * resource Maven filters), plus which Fashion-MNIST the plain {@code fashion-mnist} spec reads here.
     */
    public static Map<String, String> libraryVersions(Class<?> anchor) {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = anchor.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // provenance then lacks library versions; nothing else depends on them
        }
        Map<String, String> v = new TreeMap<>();
        p.forEach((k, val) -> v.put(k.toString(), val.toString()));
        v.put(FASHION_MNIST_KEY, dev.verydeep.core.data.FashionMnist.defaultSource());
        return v;
    }

    private static String git(Path repo, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = repo.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
