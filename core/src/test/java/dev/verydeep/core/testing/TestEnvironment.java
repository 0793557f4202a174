package dev.verydeep.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.verydeep.core.data.FashionMnist;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The one policy on skipping (see {@link dev.verydeep.core.testing package-info}): skip with a reason, or fail. */
public final class TestEnvironment {
    /** The script that installs every Debian package the tests read. */
    public static final String INSTALLER = "bin/install-test-deps";

    private TestEnvironment() {
    }

    /** Skips the calling test unless {@code condition}; {@code why} names the case this environment cannot produce. */
    public static void skipUnless(boolean condition, String why) {
        if (why == null || why.isBlank()) {
            throw new IllegalArgumentException("a skip must say why (dev.verydeep.core.testing)");
        }
        Assumptions.assumeTrue(condition, why);
    }

    /**
     * Skips when permission bits did not take effect ({@code took} false), which is root: it reads and writes
     * whatever the mode says. {@code what} names the case, e.g. "chmod 000 does not stop reads".
     */
    public static void skipAsRoot(boolean took, String what) {
        skipUnless(took, "running as root: " + what + "; the case needs a normal user");
    }

    /** Fails (never skips) when {@code what}, which {@value #INSTALLER} installs, is missing. */
    public static void requireInstalled(boolean present, String what) {
        if (!present) {
            fail(what + " is not installed: run " + INSTALLER);
        }
    }

    /** The Fashion-MNIST folder holding {@code split}; fails naming the installer when it is not there. */
    public static Path requireFashionMnist(FashionMnist.Split split) {
        Path dir = FashionMnist.defaultDir();
        requireInstalled(FashionMnist.present(dir, split), "Fashion-MNIST (" + split + " split in " + dir + ", Debian's dataset-fashion-mnist)");
        return dir;
    }
}
