package dev.verydeep.spark.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageFolder;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.io.Locations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hadoop's local file system through the java.nio provider: what the data-set readers call, and path arithmetic. */
class HadoopFileSystemsTest {
    @TempDir
    static Path tmp;

    @BeforeAll
    static void install() {
        HadoopFileSystems.install();
    }

    @AfterAll
    static void uninstall() {
        Locations.resolveUrisWith(null);
    }

    @Test
    void readersListStatAndReadThroughIt() throws IOException {
        Path local = tmp.resolve("set");
        Files.createDirectories(local.resolve("b"));
        Files.createDirectories(local.resolve("a"));
        Files.createDirectories(local.resolve(".hidden"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(5, 3, java.awt.image.BufferedImage.TYPE_INT_RGB), "png",
                local.resolve("a/x.png").toFile());
        Files.copy(local.resolve("a/x.png"), local.resolve("b/y.png"));
        Path root = Locations.of(local.toUri().toString());
        assertInstanceOf(HadoopPath.class, root);
        assertEquals("file://" + local, root.toString());
        assertTrue(Files.isDirectory(root));
        assertTrue(Files.isRegularFile(root.resolve("a/x.png")));
        assertEquals(Files.size(local.resolve("a/x.png")), Files.size(root.resolve("a").resolve("x.png")));
        assertArrayEquals(Files.readAllBytes(local.resolve("a/x.png")), Files.readAllBytes(root.resolve("a/x.png")));
        assertFalse(Files.exists(root.resolve("missing")));
        assertThrows(NoSuchFileException.class, () -> Files.size(root.resolve("missing")));
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of(".hidden", "a", "b"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // The unchanged reader: classes, images and their pixels as from the local path.
        ImageFolder viaHadoop = ImageFolder.open(root);
        ImageFolder direct = ImageFolder.open(local);
        assertEquals(direct.classNames(), viaHadoop.classNames());
        assertEquals(direct.id(1), viaHadoop.id(1));
        RgbImage a = direct.image(1);
        RgbImage b = viaHadoop.image(1);
        assertEquals(a.width(), b.width());
        assertArrayEquals(a.data(), b.data());
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.writeString(root.resolve("new.txt"), "x"));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.createDirectories(root.resolve("new")));
    }

    @Test
    void pathArithmeticIsPosixLike() {
        Path p = Locations.of("file:///data/set/./a/../b/c.jpg");
        assertEquals("file:///data/set/b/c.jpg", p.toString());
        assertEquals("c.jpg", p.getFileName().toString());
        assertEquals("file:///data/set/b", p.getParent().toString());
        assertEquals(4, p.getNameCount());
        assertEquals("set/b", p.subpath(1, 3).toString());
        assertTrue(p.startsWith(Locations.of("file:///data/set")));
        assertFalse(p.startsWith(Locations.of("file:///data/se")));
        assertTrue(p.endsWith(p.getFileSystem().getPath("b", "c.jpg")));
        assertEquals("../b/c.jpg", Locations.of("file:///data/set/a").relativize(p).toString());
        assertEquals(p, Locations.of("file:///data/set/a").resolve("../b/c.jpg").normalize());
        assertEquals("file:/data/set/b/c.jpg", p.toUri().toString()); // the URI's own form: no empty authority
        assertNull(p.getRoot().getParent());
    }

    @Test
    void aSchemeWithoutAFileSystemIsAClearError() {
        UserException e = assertThrows(UserException.class, () -> Locations.of("nosuchfs://host/data"));
        assertTrue(e.getMessage().startsWith("nosuchfs://host/data: no Hadoop file system for it ("), e.getMessage());
        assertTrue(e.getMessage().contains("HADOOP_CONF_DIR or --conf spark.hadoop.*"), e.getMessage());
    }
}
