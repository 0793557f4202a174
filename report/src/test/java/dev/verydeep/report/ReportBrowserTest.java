package dev.verydeep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.verydeep.core.testing.TestEnvironment;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser: Debian's {@code chromium} takes a headless screenshot of the report built from
 * {@link ReportTest}'s hand-made result files. The page must render (a non-blank screenshot) and show its embedded
 * PNGs (the pure blue of the training-curves stand-in and the pure red of the confusion stand-in appear in it) and
 * the charts the report draws (JFreeChart's first series colours).
 * Fails, on purpose, when chromium is not installed: {@code bin/install-test-deps} installs it (the skipping policy of
 * {@code dev.verydeep.core.testing}).
 */
class ReportBrowserTest {
    static Path chromium() {
        String override = System.getenv("VERYDEEP_CHROMIUM");
        if (override != null && !override.isBlank()) {
            return Files.isExecutable(Path.of(override)) ? Path.of(override) : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    @Test
    void chromiumRendersTheReportWithItsImages(@TempDir Path dir) throws Exception {
        Path browser = chromium();
        TestEnvironment.requireInstalled(browser != null, "chromium (no chromium on PATH, or VERYDEEP_CHROMIUM does not name an executable; "
                + "this test renders report.html in a headless browser)");
        Path root = ReportTest.tree(dir.resolve("in"));
        Report.Written w = Report.write(List.of(root), dir.resolve("report"));
        Path shot = dir.resolve("screenshot.png");
        ProcessBuilder pb = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"), "--window-size=1600,7000", "--screenshot=" + shot,
                w.html().toUri().toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("chromium.log").toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s:\n" + Files.readString(dir.resolve("chromium.log")));
        }
        String log = Files.readString(dir.resolve("chromium.log"));
        assertEquals(0, p.exitValue(), "chromium failed:\n" + log);
        assertTrue(Files.isRegularFile(shot), "no screenshot written:\n" + log);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, "screenshot is not a PNG");
        Set<Integer> colours = new HashSet<>();
        boolean blue = false;
        boolean red = false;
        // JFreeChart's first two series colours: the charts drawn by the report (error vs scale, cost, PR curves)
        boolean chartRed = false;
        boolean chartBlue = false;
        long dark = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                blue |= rgb == 0x0000FF;
                red |= rgb == 0xFF0000;
                chartRed |= rgb == 0xFF5555;
                chartBlue |= rgb == 0x5555FF;
                if (rgb < 0x404040) {
                    dark++;
                }
            }
        }
        assertTrue(colours.size() > 10, "screenshot is blank (" + colours.size() + " colours)");
        assertTrue(dark > 1000, "no text rendered (" + dark + " dark pixels)");
        assertTrue(blue, "the embedded curves.png (blue) is not visible in the screenshot");
        assertTrue(red, "the embedded confusion.png (red) is not visible in the screenshot");
        assertTrue(chartRed && chartBlue, "the report's charts (series colours #FF5555, #5555FF) are not visible in the screenshot");
    }
}
