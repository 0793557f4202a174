package dev.verydeep.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageFolder;
import dev.verydeep.core.testing.TestEnvironment;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-image catalogue of issue 7 (docs/reliability.md lists each case and its behaviour). Every case goes
 * through the real reader: the file is placed in a class folder and read with {@link ImageFolder#image}, which
 * decodes with {@link ImageDecoder}. Fixtures are generated here (ImageIO writers, hand-made bytes), not
 * committed. Expected: a correct decode, or a {@link UserException} whose message names the file and the
 * reason.
 */
class BadImageCatalogueTest {
    @TempDir
    Path root;

    /** Writes {@code bytes} as {@code root/cls/name} and decodes it through an {@link ImageFolder}. */
    private RgbImage read(String name, byte[] bytes) throws IOException {
        return read(put(name, bytes));
    }

    private Path put(String name, byte[] bytes) throws IOException {
        Path f = Files.createDirectories(root.resolve("cls")).resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private RgbImage read(Path file) {
        ImageFolder folder = ImageFolder.open(root);
        for (int i = 0; i < folder.size(); i++) {
            if (folder.path(i).equals(file)) {
                return folder.image(i);
            }
        }
        throw new AssertionError(file + " not listed by ImageFolder");
    }

    /** Asserts that reading {@code name} fails with a UserException naming the file and saying {@code reason}. */
    private UserException refused(String name, byte[] bytes, String reason) throws IOException {
        Path f = put(name, bytes);
        UserException e = assertThrows(UserException.class, () -> read(f));
        assertTrue(e.getMessage().contains(f.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(reason), "says '" + reason + "': " + e.getMessage());
        return e;
    }

    private static void assertRgb(RgbImage img, int x, int y, double r, double g, double b, double tol) {
        assertEquals(r, img.get(0, y, x), tol, "R at " + x + "," + y);
        assertEquals(g, img.get(1, y, x), tol, "G at " + x + "," + y);
        assertEquals(b, img.get(2, y, x), tol, "B at " + x + "," + y);
    }

    /** 32x16: left half (200, 30, 60), right half (30, 100, 220). */
    private static BufferedImage twoColours() {
        BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, x < 16 ? 0xc81e3c : 0x1e64dc);
            }
        }
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "no writer for " + format);
        return out.toByteArray();
    }

    private static byte[] jpeg(BufferedImage img, boolean progressive) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.95f);
            if (progressive) {
                p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    private static void assertTwoColours(RgbImage out, double tol) {
        assertEquals(32, out.width());
        assertEquals(16, out.height());
        assertRgb(out, 4, 8, 200, 30, 60, tol);
        assertRgb(out, 27, 8, 30, 100, 220, tol);
    }

    // 1
    @Test
    void truncatedJpeg() throws IOException {
        BufferedImage img = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 128 * 128; i++) {
            img.setRGB(i % 128, i / 128, (int) (i * 2654435761L));
        }
        byte[] jpeg = jpeg(img, false);
        // Cut inside the entropy-coded data: decodes, the missing part grey, with a logged warning.
        RgbImage cut = read("cut.jpg", Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        assertEquals(128, cut.width());
        assertEquals(128, cut.height());
        // Cut inside the header (before the frame is known): refused.
        refused("header-only.jpg", Arrays.copyOf(jpeg, 40), "cannot decode image");
    }

    // 2
    @Test
    void jpegWithGarbageAfterEoi() throws IOException {
        byte[] jpeg = jpeg(twoColours(), false);
        byte[] garbage = "<?php system($_GET['x']); ?> and then some trailing bytes".getBytes();
        byte[] both = Arrays.copyOf(jpeg, jpeg.length + garbage.length);
        System.arraycopy(garbage, 0, both, jpeg.length, garbage.length);
        RgbImage clean = read("clean.jpg", jpeg);
        RgbImage tail = read("tail.jpg", both);
        assertArrayEquals(clean.data(), tail.data(), "trailing bytes are ignored");
    }

    // 3
    @Test
    void cmykJpeg() throws IOException {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                r.setPixel(x, y, new int[] {x < 8 ? 0 : 255, 255, 255, 255}); // Adobe-inverted: 0 = full ink
            }
        }
        RgbImage out = read("cmyk.jpg", ImageDecoderTest.withAdobeMarker(ImageDecoderTest.encodeRasterJpeg(r)));
        assertRgb(out, 2, 2, 0, 255, 255, 3); // 100% cyan
        assertRgb(out, 13, 2, 255, 255, 255, 3); // no ink
    }

    // 4
    @Test
    void ycckJpeg() throws IOException {
        // Four raw bands written by the JDK writer, with an Adobe APP14 marker saying transform 2 (YCCK): the
        // decoder turns Y, Cb, Cr into R', G', B', takes C = 255 - R' etc. in Adobe's inverted storage (255 = no
        // ink) and applies K (255 = no black). So Y = 0, Cb = Cr = 128 is no ink (white) and Y = 255 full C, M
        // and Y ink (dark).
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                r.setPixel(x, y, new int[] {x < 8 ? 0 : 255, 128, 128, 255});
            }
        }
        byte[] jpeg = ImageDecoderTest.withAdobeMarker(ImageDecoderTest.encodeRasterJpeg(r));
        jpeg[2 + 15] = 2; // transform byte of the APP14 marker inserted after SOI
        RgbImage out = read("ycck.jpg", jpeg);
        assertEquals(16, out.width());
        assertRgb(out, 2, 2, 255, 255, 255, 4);
        for (int c = 0; c < 3; c++) {
            assertTrue(out.get(c, 2, 13) < 90, "full CMY ink is dark, got " + out.get(c, 2, 13) + " in channel " + c);
        }
    }

    // 5
    @Test
    void progressiveJpeg() throws IOException {
        byte[] progressive = jpeg(twoColours(), true);
        byte[] baseline = jpeg(twoColours(), false);
        assertTrue(containsMarker(progressive, 0xc2), "SOF2: progressive");
        RgbImage p = read("progressive.jpg", progressive);
        RgbImage b = read("baseline.jpg", baseline);
        assertTwoColours(p, 6);
        float[] pd = p.data();
        float[] bd = b.data();
        for (int i = 0; i < pd.length; i++) {
            assertEquals(bd[i], pd[i], 3, "same pixels as the baseline encoding, value " + i);
        }
    }

    private static boolean containsMarker(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == marker) {
                return true;
            }
        }
        return false;
    }

    // 6
    @Test
    void greyPng() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setPixels(0, 0, 2, 1, new int[] {64, 200});
        RgbImage out = read("grey.png", encode(img, "png"));
        assertRgb(out, 0, 0, 64, 64, 64, 0);
        assertRgb(out, 1, 0, 200, 200, 200, 0);
    }

    // 7
    @Test
    void palettePng() throws IOException {
        IndexColorModel icm = new IndexColorModel(2, 4, new byte[] {0, (byte) 255, 10, 0}, new byte[] {0, 0, 20, (byte) 128},
                new byte[] {0, 0, 30, (byte) 255});
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY, icm);
        img.getRaster().setPixels(0, 0, 3, 1, new int[] {1, 2, 3});
        RgbImage out = read("palette.png", encode(img, "png"));
        assertRgb(out, 0, 0, 255, 0, 0, 0);
        assertRgb(out, 1, 0, 10, 20, 30, 0);
        assertRgb(out, 2, 0, 0, 128, 255, 0);
    }

    // 8
    @Test
    void sixteenBitPng() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {65535, 0, 257 * 30});
        RgbImage out = read("rgb16.png", encode(new BufferedImage(cm, raster, false, null), "png"));
        assertRgb(out, 0, 0, 255, 0, 30, 1e-4);
    }

    // 9
    @Test
    void pngWithAlpha() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80102030);
        img.setRGB(1, 0, 0x00405060);
        RgbImage out = read("alpha.png", encode(img, "png"));
        assertRgb(out, 0, 0, 0x10, 0x20, 0x30, 0); // alpha dropped, colour as stored
        assertRgb(out, 1, 0, 0x40, 0x50, 0x60, 0);
    }

    // 10
    @Test
    void onePixelImage() throws IOException {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x0a141e);
        RgbImage out = read("dot.png", encode(img, "png"));
        RgbImage q = Resize.isotropic(out, 224);
        assertEquals(224, q.width());
        assertEquals(224, q.height());
        assertRgb(q, 100, 200, 10, 20, 30, 1e-3);
    }

    // 11
    @Test
    void oneByFiveThousand() throws IOException {
        BufferedImage img = new BufferedImage(1, 5000, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 5000; y++) {
            img.getRaster().setSample(0, y, 0, y < 2500 ? 10 : 250);
        }
        RgbImage out = read("pole.png", encode(img, "png"));
        assertEquals(1, out.width());
        assertEquals(5000, out.height());
        // Q = 224 would give 224 x 1,120,000: the evaluator refuses that by its pixel budget before resizing
        // (EvaluatorTest); the size itself is computed without overflow.
        assertArrayEquals(new int[] {224, 1_120_000}, Resize.isotropicSize(1, 5000, 224));
        assertArrayEquals(new int[] {1_120_000, 224}, Resize.isotropicSize(5000, 1, 224));
        // A strip within the decoder's 100-megapixel budget whose long side at Q overflows an int: it used to
        // wrap around (2^32 + 100 -> 100, a plausible size that passed the evaluator's budget check and
        // squashed the image silently); now it saturates and the budget check refuses it.
        int h = (int) (((1L << 32) + 100 * 224L) / 224);
        assertArrayEquals(new int[] {224, Integer.MAX_VALUE}, Resize.isotropicSize(1, h, 224));
        assertArrayEquals(new int[] {Integer.MAX_VALUE, 224}, Resize.isotropicSize(h, 1, 224));
        RgbImage q = Resize.isotropic(out, 4);
        assertEquals(4, q.width());
        assertEquals(20_000, q.height());
        assertRgb(q, 2, 100, 10, 10, 10, 1e-3);
        assertRgb(q, 1, 19_900, 250, 250, 250, 1e-3);
    }

    // 12
    @Test
    void zeroByteFile() throws IOException {
        refused("empty.jpg", new byte[0], "empty file (0 bytes)");
    }

    // 13
    @Test
    void textFileNamedJpg() throws IOException {
        refused("notes.jpg", "these are my holiday notes, not a picture\n".getBytes(), "unknown format");
    }

    // 14
    @Test
    void unsupportedFormatWebp() throws IOException {
        // A lossless WebP header (RIFF....WEBPVP8L): no WebP reader is on the class path.
        byte[] webp = {'R', 'I', 'F', 'F', 26, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L', 13, 0, 0, 0, 0x2f, 0, 0, 0, 0x10,
            0x07, 0x10, 0x11, 0x11, (byte) 0x88, (byte) 0x88, (byte) 0xfe, 0x07, 0};
        refused("photo.jpg", webp, "unknown format");
    }

    // 15
    @Test
    void tiffNamedJpgIsDecodedByContent() throws IOException {
        // The JDK has had a TIFF reader since Java 9: the content decides, not the extension.
        RgbImage out = read("scan.jpg", encode(twoColours(), "tiff"));
        assertTwoColours(out, 0);
    }

    // 16
    @Test
    void pngDecompressionBombIsRefusedByItsDeclaredSize() throws IOException {
        byte[] bomb = TestImages.pngHeader(50_000, 50_000);
        assertTrue(bomb.length < 100);
        UserException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> refused("bomb.png", bomb, "50000x50000 = 2500 megapixels"));
        assertTrue(e.getMessage().contains("refused before decoding"), e.getMessage());
    }

    // 17
    @Test
    void jpegDecompressionBombIsRefusedByItsDeclaredSize() throws IOException {
        // A valid 16x16 JPEG whose frame header (SOF0) is patched to declare 50,000 x 50,000.
        byte[] jpeg = jpeg(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), false);
        int sof = -1;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
                sof = i;
                break;
            }
        }
        assertTrue(sof > 0, "SOF0 found");
        // FF C0, length (2), precision (1), height (2), width (2)
        jpeg[sof + 5] = (byte) (50_000 >> 8);
        jpeg[sof + 6] = (byte) 50_000;
        jpeg[sof + 7] = (byte) (50_000 >> 8);
        jpeg[sof + 8] = (byte) 50_000;
        byte[] bomb = jpeg;
        UserException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> refused("bomb.jpg", bomb, "50000x50000 = 2500 megapixels"));
        assertTrue(e.getMessage().contains("refused before decoding"), e.getMessage());
    }

    // 18
    @Test
    void exifRotatedJpegIsNotRotated() throws IOException {
        // EXIF Orientation = 6 ("rotate 90 clockwise to display"). The decoder does not apply it (as PIL's
        // Image.open and torchvision's loaders do not): pixels come out as stored, 32 wide and 16 high.
        byte[] jpeg = jpeg(twoColours(), false);
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
        byte[] exif = new byte[6 + tiff.length];
        System.arraycopy("Exif".getBytes(), 0, exif, 0, 4);
        System.arraycopy(tiff, 0, exif, 6, tiff.length);
        int len = exif.length + 2;
        byte[] app1 = new byte[4 + exif.length];
        app1[0] = (byte) 0xff;
        app1[1] = (byte) 0xe1;
        app1[2] = (byte) (len >> 8);
        app1[3] = (byte) len;
        System.arraycopy(exif, 0, app1, 4, exif.length);
        int afterApp0 = 4 + (((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff)); // SOI, then JFIF APP0 of this length
        byte[] rotated = new byte[jpeg.length + app1.length];
        System.arraycopy(jpeg, 0, rotated, 0, afterApp0);
        System.arraycopy(app1, 0, rotated, afterApp0, app1.length);
        System.arraycopy(jpeg, afterApp0, rotated, afterApp0 + app1.length, jpeg.length - afterApp0);
        RgbImage out = read("rotated.jpg", rotated);
        assertTwoColours(out, 6);
    }

    // 19
    @Test
    void unreadablePermissions() throws IOException {
        Path f = put("secret.png", encode(twoColours(), "png"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        try {
            TestEnvironment.skipAsRoot(!Files.isReadable(f), "chmod 000 does not stop reads");
            UserException e = assertThrows(UserException.class, () -> read(f));
            assertEquals(f + ": cannot decode image: permission denied (the file is not readable)", e.getMessage());
        } finally {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
    }

    // 20
    @Test
    void fileDeletedAfterListing() throws IOException {
        Path f = put("gone.png", encode(twoColours(), "png"));
        ImageFolder folder = ImageFolder.open(root);
        Files.delete(f);
        UserException e = assertThrows(UserException.class, () -> folder.image(0));
        assertEquals(f + ": cannot decode image: file does not exist", e.getMessage());
    }

    // 21
    @Test
    void corruptPngChunkData() throws IOException {
        BufferedImage noise = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) {
            noise.setRGB(i % 64, i / 64, (int) (i * 2654435761L));
        }
        byte[] png = encode(noise, "png");
        for (int i = 60; i < png.length - 20; i++) {
            png[i] ^= 0x5a;
        }
        refused("corrupt.png", png, "cannot decode image");
        refused("half.png", Arrays.copyOf(encode(noise, "png"), 200), "cannot decode image");
    }
}
