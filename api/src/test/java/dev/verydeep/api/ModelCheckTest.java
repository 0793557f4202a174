package dev.verydeep.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.testing.TestEnvironment;
import dev.verydeep.runtime.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelCheck} on an ONNX backend node test (Debian's libonnx-testdata): PASS as shipped, FAIL with a tampered output. */
class ModelCheckTest {
    static final Path RELU = Path.of("/usr/share/libonnx-testdata/data/node/test_relu");

    @TempDir
    Path tmp;

    @Test
    void aModelZooFolderPassesAndATamperedOutputFails() throws IOException {
        TestEnvironment.requireInstalled(Files.isDirectory(RELU), "libonnx-testdata (" + RELU + ")");
        VerifyReport ok = ModelCheck.builder().optThreads(1).build().verify(RELU);
        assertTrue(ok.passed(), ok.render());
        Path copy = tmp.resolve("relu");
        Files.createDirectories(copy.resolve("test_data_set_0"));
        Files.copy(RELU.resolve("model.onnx"), copy.resolve("model.onnx"));
        Files.copy(RELU.resolve("test_data_set_0/input_0.pb"), copy.resolve("test_data_set_0/input_0.pb"));
        // the input given as the expected output: ReLU changes every negative element, so the check must fail
        Files.copy(RELU.resolve("test_data_set_0/input_0.pb"), copy.resolve("test_data_set_0/output_0.pb"), StandardCopyOption.REPLACE_EXISTING);
        VerifyReport bad = ModelCheck.builder().optTolerance(1e-3, 1e-5).build().verify(copy);
        assertFalse(bad.passed(), bad.render());
        assertTrue(bad.render().contains("FAIL"), bad.render());
        UserException e = assertThrows(UserException.class, () -> ModelCheck.builder().build().verify(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("no such file or folder"), e.getMessage());
    }
}
