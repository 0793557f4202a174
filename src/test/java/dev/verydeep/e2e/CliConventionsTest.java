package dev.verydeep.e2e;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI conventions of the foundation issue: help on every verb, one-line errors, exit codes. */
class CliConventionsTest {
    @TempDir
    Path tmp;

    @Test
    void describeD() {
        CliRun r = cli("describe", "--config", "D");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("138,357,544 parameters"), r.out());
        assertTrue(r.out().contains("15.47G"), r.out());
        assertTrue(r.out().contains("fc6      fc      7x7"), r.out());
    }

    @Test
    void everyVerbHasHelp() {
        for (String verb : new String[] {"describe", "train"}) {
            CliRun r = cli(verb, "--help");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().startsWith("Usage: verydeep " + verb), r.out());
        }
    }

    @Test
    void userErrorsAreOneLineWithoutStackTrace() {
        CliRun r = cli("describe", "--config", "Z");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("unknown config 'Z'"), r.err());

        CliRun missing = cli("train", "--config", "A", "--data", "folder:" + tmp.resolve("nope"), "--out", tmp.resolve("r").toString());
        assertEquals(2, missing.code(), missing.toString());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().contains(tmp.resolve("nope").toString()), missing.err());
        assertFalse(missing.err().contains("\tat "), missing.err());

        CliRun badScale = cli("train", "--config", "A", "--width", "0.125", "--crop", "32", "--scale", "20", "--data", "fashion-mnist",
                "--out", tmp.resolve("r2").toString());
        assertEquals(2, badScale.code(), badScale.toString());
        assertTrue(badScale.err().contains("--scale: training scale S=20 must be >= the crop 32"), badScale.err());
        assertFalse(Files.exists(tmp.resolve("r2")), "nothing is created for a refused run");
    }

    @Test
    void verboseShowsTheStackTrace() {
        CliRun r = cli("train", "--config", "A", "--data", "folder:" + tmp.resolve("nope"), "--out", tmp.resolve("r").toString(), "--verbose");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
