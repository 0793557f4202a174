package dev.verydeep.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output folders checked before long work starts, and a full disk during an atomic write. */
class WritableFolderTest {
    @TempDir
    Path tmp;

    @Test
    void aFolderThatCanBeWrittenIsCreatedAndLeftEmpty() throws Exception {
        Path dir = tmp.resolve("a/b/c");
        assertEquals(dir, WritableFolder.check(dir, "--out", 1000));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "the probe file is deleted");
        }
    }

    @Test
    void aPathUnderARegularFileIsRefusedEvenAsRoot() throws Exception {
        Path file = Files.writeString(tmp.resolve("results.json"), "{}");
        UserException e = assertThrows(UserException.class, () -> WritableFolder.check(file.resolve("run"), "--out", 0));
        assertEquals("--out " + file.resolve("run") + ": cannot create the folder: " + file + " is a file, not a folder", e.getMessage());
        e = assertThrows(UserException.class, () -> WritableFolder.check(file, "--out", 0));
        assertTrue(e.getMessage().endsWith("it is a file, not a folder"), e.getMessage());
    }

    @Test
    void anUnwritableFolderIsRefusedNamingIt() throws Exception {
        Path ro = Files.createDirectory(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // root writes anywhere; as in BadImageCatalogueTest.unreadablePermissions, the case needs a normal user.
            TestEnvironment.skipAsRoot(!Files.isWritable(ro), "mode 555 does not stop writes");
            UserException e = assertThrows(UserException.class, () -> WritableFolder.check(ro.resolve("run"), "--out", 0));
            assertEquals("--out " + ro.resolve("run") + ": cannot create the folder: permission denied", e.getMessage());
            e = assertThrows(UserException.class, () -> WritableFolder.check(ro, "--out", 0));
            assertEquals("--out " + ro + ": cannot write there: permission denied", e.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void tooLittleSpaceIsRefusedWithTheEstimate() {
        Path dir = tmp.resolve("small");
        UserException e = assertThrows(UserException.class,
                () -> WritableFolder.check(dir, "--out", 3L << 30, d -> 200L << 20));
        assertEquals("--out " + dir + ": only 200.0 MB free on its file system, and this run will write about 3.0 GB; free some space "
                + "or choose another folder", e.getMessage());
        WritableFolder.check(dir, "--out", 100L << 20, d -> 200L << 20); // enough
        assertTrue(WritableFolder.USABLE_SPACE.applyAsLong(tmp) > 0, "the real file system reports its space");
    }

    @Test
    void aFullDiskDuringAnAtomicWriteNamesTheFileAndKeepsTheOldVersion() throws Exception {
        Path f = tmp.resolve("checkpoint.json");
        AtomicFiles.writeString(f, "old");
        System.setProperty(FaultPoints.FAIL_WRITE, "checkpoint.json");
        try {
            UserException e = assertThrows(UserException.class, () -> AtomicFiles.writeString(f, "new"));
            assertEquals("cannot write " + f + ": no space left on the device (not replaced: an earlier version of it, if any, is intact)",
                    e.getMessage());
        } finally {
            System.clearProperty(FaultPoints.FAIL_WRITE);
            FaultPoints.reset();
        }
        assertEquals("old", Files.readString(f));
        try (Stream<Path> s = Files.list(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left behind");
        }
        AtomicFiles.writeString(f, "new");
        assertEquals("new", Files.readString(f));
    }
}
