package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The shipped reference nets ({@code reference/NET/model-dense.onnx} with {@code run.json}, {@code log.jsonl},
 * {@code curves.png}): configs A to E trained to convergence, named {@code CONFIG-37}, {@code CONFIG-55} (fixed S) and
 * {@code CONFIG-jit} (S jittered in [37;73]). Found in the checkout the launcher runs from (system property
 * {@code verydeep.repo}), or with {@code --reference-dir DIR}.
 */
final class ReferenceNets {
    /**
     * Every reference net, in the order of the paper's Table 3 (those not trained yet are simply absent), with the control
     * {@link #CONTROL} after A-LRN-37.
     */
    static final List<String> ALL = List.of("A-37", "A-LRN-37", "A-again-37", "B-37", "C-37", "C-55", "C-jit", "D-37", "D-55", "D-jit",
            "E-37", "E-55", "E-jit");

    /**
     * The control of the LRN and depth findings: config A at S=37 trained again from A-37's layers, as the deeper nets
     * were (their epochs come on top of A's). Not a member of the family: evaluated in Tables 3 and 4 only (no Table 5,
     * no fusion, no transfer), and its name is no config ({@link #config} would give "A-again").
     */
    static final String CONTROL = "A-again-37";

    @Option(names = "--reference-dir", paramLabel = "DIR",
            description = "Folder of the shipped reference nets, one sub-folder per net (default: reference/ of this checkout).")
    Path dir;

    /** The folder: {@code --reference-dir}, else the checkout's {@code reference/}. */
    Path folder() {
        return dir != null ? dir : Path.of(System.getProperty("verydeep.repo", ".")).resolve("reference").toAbsolutePath().normalize();
    }

    /** The nets present in {@link #folder()} (each with its {@code model-dense.onnx}), in {@link #ALL}'s order. */
    List<String> present() {
        Path f = folder();
        return ALL.stream().filter(n -> Files.isRegularFile(model(f, n))).toList();
    }

    /** {@link #present()}, or a one-line error naming the folder and the flag when it holds no reference net. */
    List<String> require() {
        Path f = folder();
        if (!Files.isDirectory(f)) {
            throw new UserException("--reference-dir " + f + ": no such folder (the shipped reference nets live in reference/ of "
                    + "the verydeep checkout; give the folder that holds NET/model-dense.onnx)");
        }
        List<String> p = present();
        if (p.isEmpty()) {
            throw new UserException("--reference-dir " + f + ": no reference net in it (expected NET/model-dense.onnx for NET in "
                    + String.join(", ", ALL) + ")");
        }
        return p;
    }

    static Path model(Path folder, String net) {
        return folder.resolve(net).resolve(Steps.DENSE);
    }

    static boolean jittered(String net) {
        return net.endsWith("-jit");
    }

    /** The net's config, e.g. {@code A-LRN} for {@code A-LRN-37} (never asked of {@link #CONTROL}: not a config). */
    static String config(String net) {
        return net.substring(0, net.lastIndexOf('-'));
    }

    /** Its single test scale: Q = S, or 55 (the middle of [37;73]) for jittered S. */
    static int testScale(String net) {
        return jittered(net) ? 55 : Integer.parseInt(net.substring(net.lastIndexOf('-') + 1));
    }

    /** Its three test scales: {S-5, S, S+5} (the paper's S-32, S, S+32 at crop 32/224), or {37, 55, 73} for jittered S. */
    static String testScales(String net) {
        int q = testScale(net);
        return jittered(net) ? "37,55,73" : (q - 5) + "," + q + "," + (q + 5);
    }
}
