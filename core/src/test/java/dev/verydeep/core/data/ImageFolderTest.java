package dev.verydeep.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    static void png(Path f, int w, int h, int rgb) throws IOException {
        Files.createDirectories(f.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        String name = f.getFileName().toString().toLowerCase();
        ImageIO.write(img, name.endsWith(".png") ? "png" : name.endsWith(".bmp") ? "bmp" : name.endsWith(".gif") ? "gif" : "jpg", f.toFile());
    }

    @Test
    void classesAndFilesAreSortedAndNonImagesIgnored() throws IOException {
        png(root.resolve("b_cat/2.png"), 3, 2, 0x010203);
        png(root.resolve("b_cat/10.PNG"), 5, 4, 0x0a0b0c);
        png(root.resolve("a_dog/x.JPEG"), 8, 8, 0xffffff);
        png(root.resolve("a_dog/y.bmp"), 2, 2, 0x102030);
        png(root.resolve("a_dog/z.Gif"), 2, 2, 0x000000);
        png(root.resolve("a_dog/.hidden.png"), 2, 2, 0);
        png(root.resolve("a_dog/nested/deeper.png"), 2, 2, 0);
        png(root.resolve(".cache/thumb.png"), 2, 2, 0);
        png(root.resolve("loose.png"), 2, 2, 0);
        Files.writeString(root.resolve("a_dog/notes.txt"), "not an image");
        Files.writeString(root.resolve("b_cat/png"), "no extension");

        ImageFolder f = ImageFolder.open(root);
        assertEquals(List.of("a_dog", "b_cat"), f.classNames());
        assertEquals(5, f.size());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            ids.add(f.id(i) + "=" + f.label(i));
        }
        assertEquals(List.of("a_dog/x.JPEG=0", "a_dog/y.bmp=0", "a_dog/z.Gif=0", "b_cat/10.PNG=1", "b_cat/2.png=1"), ids);
        RgbImage img = f.image(3);
        assertEquals(5, img.width());
        assertEquals(4, img.height());
        assertEquals(10f, img.get(0, 0, 0));
        assertEquals(12f, img.get(2, 3, 4));
        assertEquals(root.resolve("b_cat/2.png"), f.path(4));
        assertEquals("folder:" + root + " (5 images, 2 classes)", f.describe());
    }

    @Test
    void rootMustBeAFolderWithClassFolders() throws IOException {
        Path missing = root.resolve("x");
        UserException e = assertThrows(UserException.class, () -> ImageFolder.open(missing));
        assertEquals(missing + " does not exist (expected a folder with one sub-folder per class)", e.getMessage());
        Path file = Files.writeString(root.resolve("file"), "");
        e = assertThrows(UserException.class, () -> ImageFolder.open(file));
        assertEquals(file + " is not a folder (expected a folder with one sub-folder per class)", e.getMessage());
        Path flat = root.resolve("flat");
        png(flat.resolve("a.png"), 2, 2, 0);
        Files.createDirectories(flat.resolve(".git"));
        e = assertThrows(UserException.class, () -> ImageFolder.open(flat));
        assertEquals(flat + ": no class folders (expected one sub-folder per class, holding its images)", e.getMessage());
    }

    @Test
    void anEmptyClassFolderIsNamed() throws IOException {
        png(root.resolve("cats/a.png"), 2, 2, 0);
        Files.createDirectories(root.resolve("dogs"));
        Files.writeString(root.resolve("dogs/readme.txt"), "");
        UserException e = assertThrows(UserException.class, () -> ImageFolder.open(root));
        assertEquals(root.resolve("dogs") + ": class folder has no images (expected files ending in .jpg, .jpeg, .png, .bmp or .gif)",
                e.getMessage());
    }

    @Test
    void undecodableImagesFailWhenRead() throws IOException {
        png(root.resolve("cats/a.png"), 2, 2, 0);
        Path bad = Files.writeString(root.resolve("cats/b.jpg"), "");
        Path huge = Files.write(root.resolve("cats/c.png"), dev.verydeep.core.image.TestImages.pngHeader(50000, 50000));
        ImageFolder f = ImageFolder.open(root);
        assertEquals(3, f.size());
        assertEquals(2, f.image(0).width());
        UserException e = assertThrows(UserException.class, () -> f.image(1));
        assertEquals(bad + ": cannot decode image: empty file (0 bytes)", e.getMessage());
        e = assertThrows(UserException.class, () -> f.image(2));
        assertTrue(e.getMessage().startsWith(huge + ": image is 50000x50000"), e.getMessage());
        ImageFolder small = ImageFolder.open(root, "folder", 3);
        e = assertThrows(UserException.class, () -> small.image(0));
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
    }
}
