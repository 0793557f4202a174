package dev.verydeep.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
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
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
    @TempDir
    Path dir;

    private Path write(BufferedImage img, String format, String name) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, format, f.toFile()), "no " + format + " writer for " + img);
        return f;
    }

    private static void assertRgb(RgbImage img, int x, int y, double r, double g, double b, double tol) {
        assertEquals(r, img.get(0, y, x), tol, "R at " + x + "," + y);
        assertEquals(g, img.get(1, y, x), tol, "G at " + x + "," + y);
        assertEquals(b, img.get(2, y, x), tol, "B at " + x + "," + y);
    }

    @Test
    void greyPngKeepsItsValuesInThreePlanes() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] v = {0, 1, 64, 128, 200, 255};
        img.getRaster().setPixels(0, 0, 3, 2, v);
        RgbImage out = ImageDecoder.decode(write(img, "png", "grey.png"));
        assertEquals(3, out.width());
        assertEquals(2, out.height());
        for (int i = 0; i < 6; i++) {
            // Read from the raster: Java's getRGB would pass linear grey through a gamma curve (64 -> 137).
            assertRgb(out, i % 3, i / 3, v[i], v[i], v[i], 0);
        }
    }

    @Test
    void palettePngIsLookedUp() throws IOException {
        byte[] r = {0, (byte) 255, 10, 0};
        byte[] g = {0, 0, 20, (byte) 128};
        byte[] b = {0, 0, 30, (byte) 255};
        IndexColorModel icm = new IndexColorModel(2, 4, r, g, b);
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, icm);
        img.getRaster().setPixels(0, 0, 4, 1, new int[] {1, 2, 3, 0});
        RgbImage out = ImageDecoder.decode(write(img, "png", "palette.png"));
        assertRgb(out, 0, 0, 255, 0, 0, 0);
        assertRgb(out, 1, 0, 10, 20, 30, 0);
        assertRgb(out, 2, 0, 0, 128, 255, 0);
        assertRgb(out, 3, 0, 0, 0, 0, 0);
    }

    @Test
    void sixteenBitGreyPngIsScaledTo255() throws IOException {
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setPixels(0, 0, 4, 1, new int[] {0, 257 * 100, 65535, 1000});
        RgbImage out = ImageDecoder.decode(write(img, "png", "grey16.png"));
        assertRgb(out, 0, 0, 0, 0, 0, 0);
        assertRgb(out, 1, 0, 100, 100, 100, 1e-4);
        assertRgb(out, 2, 0, 255, 255, 255, 1e-4);
        assertRgb(out, 3, 0, 1000 / 257.0, 1000 / 257.0, 1000 / 257.0, 1e-4);
    }

    @Test
    void sixteenBitRgbPngIsScaledTo255() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[] {65535, 0, 257 * 30, 257 * 7, 257 * 8, 257 * 9});
        BufferedImage img = new BufferedImage(cm, raster, false, null);
        RgbImage out = ImageDecoder.decode(write(img, "png", "rgb16.png"));
        assertRgb(out, 0, 0, 255, 0, 30, 1e-4);
        assertRgb(out, 1, 0, 7, 8, 9, 1e-4);
    }

    @Test
    void alphaIsDropped() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80102030); // half transparent
        img.setRGB(1, 0, 0x00405060); // fully transparent: colour kept as stored
        RgbImage out = ImageDecoder.decode(write(img, "png", "alpha.png"));
        assertRgb(out, 0, 0, 0x10, 0x20, 0x30, 0);
        assertRgb(out, 1, 0, 0x40, 0x50, 0x60, 0);
    }

    @Test
    void greyWithAlphaPng() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[] {77, 255, 200, 0});
        RgbImage out = ImageDecoder.decode(write(new BufferedImage(cm, raster, false, null), "png", "greyalpha.png"));
        assertRgb(out, 0, 0, 77, 77, 77, 0);
        assertRgb(out, 1, 0, 200, 200, 200, 0);
    }

    @Test
    void rgbJpegBmpAndGif() throws IOException {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, x < 8 ? 0xc81e3c : 0x1e64dc); // (200, 30, 60) left, (30, 100, 220) right
            }
        }
        for (String format : new String[] {"jpg", "bmp", "gif"}) {
            RgbImage out = ImageDecoder.decode(write(img, format, "rgb." + format));
            double tol = format.equals("jpg") ? 6 : 0;
            assertRgb(out, 2, 3, 200, 30, 60, tol);
            assertRgb(out, 13, 12, 30, 100, 220, tol);
        }
    }

    @Test
    void cmykJpegIsConvertedToRgb() throws IOException {
        // No Java writer produces CMYK JPEGs, so write the four inks as a raw 4-band raster with the JDK's
        // writer and insert an Adobe APP14 marker (transform 0 = CMYK) after SOI. Adobe stores CMYK inverted
        // (255 = no ink): left half 100% cyan, right half no ink.
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                r.setPixel(x, y, new int[] {x < 8 ? 0 : 255, 255, 255, 255});
            }
        }
        Path f = dir.resolve("cmyk.jpg");
        Files.write(f, withAdobeMarker(encodeRasterJpeg(r)));
        RgbImage out = ImageDecoder.decode(f);
        assertRgb(out, 2, 2, 0, 255, 255, 3);
        assertRgb(out, 13, 2, 255, 255, 255, 3);
    }

    static byte[] encodeRasterJpeg(Raster r) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(1f);
            w.write(null, new IIOImage(r, null, null), p);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    static byte[] withAdobeMarker(byte[] jpeg) {
        byte[] app14 = {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] out = new byte[jpeg.length + app14.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app14, 0, out, 2, app14.length);
        System.arraycopy(jpeg, 2, out, 2 + app14.length, jpeg.length - 2);
        return out;
    }

    @Test
    void fromBufferedImageReadsGreyRawAndOtherTypes() {
        BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 64);
        assertRgb(ImageDecoder.fromBufferedImage(grey), 0, 0, 64, 64, 64, 0);
        BufferedImage bgr = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        bgr.setRGB(0, 0, 0x010203);
        assertRgb(ImageDecoder.fromBufferedImage(bgr), 0, 0, 1, 2, 3, 0);
        BufferedImage abgr = new BufferedImage(1, 1, BufferedImage.TYPE_4BYTE_ABGR);
        abgr.setRGB(0, 0, 0x7f0a0b0c);
        assertRgb(ImageDecoder.fromBufferedImage(abgr), 0, 0, 10, 11, 12, 0);
        BufferedImage u565 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_565_RGB);
        u565.getRaster().setPixel(0, 0, new int[] {31, 0, 31});
        assertRgb(ImageDecoder.fromBufferedImage(u565), 0, 0, 255, 0, 255, 1e-4);
    }

    @Test
    void corruptFilesAreUserErrorsNamingTheFile() throws IOException {
        Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
        UserException e = assertThrows(UserException.class, () -> ImageDecoder.decode(empty));
        assertEquals(empty + ": cannot decode image: empty file (0 bytes)", e.getMessage());

        Path garbage = Files.write(dir.resolve("garbage.jpg"), "this is not an image at all".getBytes());
        e = assertThrows(UserException.class, () -> ImageDecoder.decode(garbage));
        assertTrue(e.getMessage().startsWith(garbage + ": cannot decode image: unknown format"), e.getMessage());

        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) {
            img.setRGB(i % 64, i / 64, i * 2654435761L > 0 ? (int) (i * 2654435761L) : i);
        }
        byte[] png = Files.readAllBytes(write(img, "png", "good.png"));
        Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        e = assertThrows(UserException.class, () -> ImageDecoder.decode(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": cannot decode image: "), e.getMessage());

        byte[] broken = png.clone();
        for (int i = 60; i < broken.length - 20; i++) {
            broken[i] ^= 0x5a;
        }
        Path corrupt = Files.write(dir.resolve("corrupt.png"), broken);
        e = assertThrows(UserException.class, () -> ImageDecoder.decode(corrupt));
        assertTrue(e.getMessage().startsWith(corrupt + ": cannot decode image: "), e.getMessage());

        // A JPEG cut short still decodes (the missing part comes out grey), with a logged warning.
        byte[] jpeg = Files.readAllBytes(write(img, "jpg", "good.jpg"));
        Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        assertEquals(64, ImageDecoder.decode(cut).width());

        Path missing = dir.resolve("missing.png");
        e = assertThrows(UserException.class, () -> ImageDecoder.decode(missing));
        assertEquals(missing + ": cannot decode image: file does not exist", e.getMessage());
    }

    @Test
    void hugeDeclaredSizeIsRefusedBeforeDecoding() throws IOException {
        Path f = Files.write(dir.resolve("huge.png"), TestImages.pngHeader(50000, 50000));
        UserException e = assertThrows(UserException.class, () -> ImageDecoder.decode(f));
        assertEquals(f + ": image is 50000x50000 = 2500 megapixels, more than the limit of 100 megapixels (refused before decoding)",
                e.getMessage());
    }

    @Test
    void pixelBudgetCanBeLowered() throws IOException {
        Path f = write(new BufferedImage(100, 60, BufferedImage.TYPE_INT_RGB), "png", "small.png");
        assertEquals(100, ImageDecoder.decode(f, 6000).width());
        UserException e = assertThrows(UserException.class, () -> ImageDecoder.decode(f, 5999));
        assertTrue(e.getMessage().contains("100x60"), e.getMessage());
    }
}
