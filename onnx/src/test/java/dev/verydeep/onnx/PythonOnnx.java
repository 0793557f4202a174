package dev.verydeep.onnx;

import static org.junit.jupiter.api.Assertions.fail;

import dev.verydeep.core.testing.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's python3-onnx (1.12) from tests. The interpreter is the first of: system property
 * {@code verydeep.python}, {@code /usr/bin/python3}, {@code python3} on the PATH that can import onnx.
 * When none can, the test FAILS (not skips) with a pointer to {@code bin/install-test-deps}.
 */
final class PythonOnnx {
    private static String interpreter;

    private PythonOnnx() {
    }

    /** Output of a finished run. */
    record Result(int exitCode, String out) {
    }

    static synchronized String interpreter() {
        if (interpreter != null) {
            return interpreter;
        }
        List<String> candidates = new ArrayList<>();
        String prop = System.getProperty("verydeep.python");
        if (prop != null && !prop.isBlank()) {
            candidates.add(prop);
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String c : candidates) {
            try {
                Result r = exec(List.of(c, "-c", "import onnx, onnx.checker, onnx.numpy_helper; print(onnx.__version__)"), 60);
                if (r.exitCode == 0) {
                    interpreter = c;
                    return c;
                }
            } catch (IOException e) {
                // try the next one
            }
        }
        TestEnvironment.requireInstalled(false, "python3-onnx (no python3 among " + candidates + " can import onnx)");
        return null;
    }

    /** Runs a Python script with arguments; fails the test on a non-zero exit, showing the output. */
    static String run(String script, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(interpreter(), "-c", script));
        cmd.addAll(args);
        try {
            Result r = exec(cmd, 300);
            if (r.exitCode != 0) {
                fail("python3 exited with " + r.exitCode + ":\n" + r.out);
            }
            return r.out;
        } catch (IOException e) {
            fail("cannot run python3: " + e);
            return null;
        }
    }

    private static Result exec(List<String> cmd, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("python3 timed out: " + cmd);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    /** onnx.checker.check_model(full_check=True) on each file; returns the checker's report lines. */
    static String fullCheck(List<String> files) {
        String script = String.join("\n",
                "import sys, onnx",
                "for p in sys.argv[1:]:",
                "    m = onnx.load(p)",
                "    onnx.checker.check_model(m, full_check=True)",
                "    print('OK', p, m.ir_version, [(o.domain, o.version) for o in m.opset_import])");
        return run(script, files);
    }
}
