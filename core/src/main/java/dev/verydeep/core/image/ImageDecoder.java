package dev.verydeep.core.image;

import dev.verydeep.core.UserException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.PackedColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes image files (JPEG incl. CMYK/YCCK through TwelveMonkeys, PNG, BMP, GIF) into {@link RgbImage}, in
 * one place so that every reader (training folders, test images, VOC) sees the same pixels.
 *
 * <p>Pixel values are the stored values scaled to 0..255, without colour management, as PIL and torchvision
 * read them: grey gives three equal planes (read from the raster, not through Java's linear-grey colour
 * conversion, which would brighten them), 16-bit samples are divided by 257, palettes are looked up, alpha is
 * dropped (the colour of a transparent pixel is kept as stored, not composited onto a background; for
 * premultiplied images that amounts to compositing onto black). CMYK and YCCK JPEGs are converted to RGB by
 * TwelveMonkeys. Images whose header declares more than a pixel budget are refused before decoding, so a
 * small hostile file cannot make us allocate gigabytes. A damaged file that still decodes (a truncated JPEG,
 * whose missing part comes out grey) is accepted with a logged warning, as training pipelines usually do.
 */
public final class ImageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);

    /** Default pixel budget: 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    static {
        // Decode from memory, not through temporary cache files.
        ImageIO.setUseCache(false);
    }

    private ImageDecoder() {
    }

    /** Decodes {@code file} with the default pixel budget. */
    public static RgbImage decode(Path file) {
        return decode(file, DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes the first image of {@code file}, refusing images whose declared width x height exceeds
     * {@code maxPixels}. Every failure is a {@link UserException} "PATH: cannot decode image: reason".
     */
    public static RgbImage decode(Path file, long maxPixels) {
        long length;
        try {
            length = Files.size(file);
        } catch (NoSuchFileException e) {
            throw fail(file, "file does not exist", e);
        } catch (IOException e) {
            throw fail(file, e.toString(), e);
        }
        if (length == 0) {
            throw fail(file, "empty file (0 bytes)", null);
        }
        if (!Files.isReadable(file)) {
            // ImageIO returns no stream for it and would only say "cannot open file".
            throw fail(file, "permission denied (the file is not readable)", null);
        }
        try (ImageInputStream in = imageStream(file)) {
            if (in == null) {
                throw fail(file, "cannot open file", null);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw fail(file, "unknown format (not JPEG, PNG, BMP or GIF)", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                // Damaged but readable files (e.g. a JPEG missing its end) decode with warnings; keep them, say so.
                reader.addIIOReadWarningListener((r, warning) -> LOG.warn("{}: {}", file, warning));
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                long pixels = (long) w * h;
                if (pixels > maxPixels) {
                    throw new UserException(file + ": image is " + w + "x" + h + " = " + megapixels(pixels)
                            + " megapixels, more than the limit of " + megapixels(maxPixels) + " megapixels (refused before decoding)");
                }
                BufferedImage img = reader.read(0);
                return fromBufferedImage(img);
            } finally {
                reader.dispose();
            }
        } catch (UserException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw fail(file, reason(e), e);
        }
    }

    /**
     * A file of the default file system is read by ImageIO itself; a file of another one (a Hadoop file system served by
     * the spark module) is read whole first (ImageIO would not close the other file system's stream).
     */
    private static ImageInputStream imageStream(Path file) throws IOException {
        return file.getFileSystem() == FileSystems.getDefault() ? ImageIO.createImageInputStream(file.toFile())
                : ImageIO.createImageInputStream(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    private static String megapixels(long pixels) {
        double mp = pixels / 1e6;
        return mp == Math.rint(mp) ? Long.toString((long) mp) : String.format("%.1f", mp);
    }

    /** The exception's message followed by its causes' ("Error reading PNG metadata: EOFException"). */
    private static String reason(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            String part = (m == null || m.isBlank()) ? t.getClass().getSimpleName() : m;
            if (sb.indexOf(part) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(part);
            }
        }
        return sb.toString();
    }

    private static UserException fail(Path file, String reason, Throwable cause) {
        return new UserException(file + ": cannot decode image: " + reason, cause);
    }

    /**
     * Converts any decoded image to planar RGB 0..255 (rules in the class comment). Standard layouts are read
     * from the raster band by band; anything else (e.g. a non-RGB, non-grey colour space) goes through
     * {@link BufferedImage#getRGB}, which converts to sRGB.
     */
    public static RgbImage fromBufferedImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        float[] out = new float[3 * plane];
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        int csType = cm.getColorSpace().getType();
        int[] row = new int[w];
        if (cm instanceof IndexColorModel icm) {
            int n = icm.getMapSize();
            float[][] lut = new float[3][n];
            for (int i = 0; i < n; i++) {
                lut[0][i] = icm.getRed(i);
                lut[1][i] = icm.getGreen(i);
                lut[2][i] = icm.getBlue(i);
            }
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                int base = y * w;
                for (int x = 0; x < w; x++) {
                    int idx = Math.min(Math.max(row[x], 0), n - 1);
                    out[base + x] = lut[0][idx];
                    out[plane + base + x] = lut[1][idx];
                    out[2 * plane + base + x] = lut[2][idx];
                }
            }
        } else if ((cm instanceof ComponentColorModel || cm instanceof PackedColorModel)
                && csType == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1 && integerSamples(cm)) {
            float scale = 255f / ((1L << cm.getComponentSize(0)) - 1);
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                int base = y * w;
                for (int x = 0; x < w; x++) {
                    float v = (row[x] & 0xffffffffL) * scale;
                    out[base + x] = v;
                    out[plane + base + x] = v;
                    out[2 * plane + base + x] = v;
                }
            }
        } else if ((cm instanceof ComponentColorModel || cm instanceof PackedColorModel)
                && csType == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3 && integerSamples(cm)) {
            for (int c = 0; c < 3; c++) {
                float scale = 255f / ((1L << cm.getComponentSize(c)) - 1);
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, c, row);
                    int base = c * plane + y * w;
                    for (int x = 0; x < w; x++) {
                        out[base + x] = (row[x] & 0xffffffffL) * scale;
                    }
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                int base = y * w;
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    out[base + x] = (p >> 16) & 0xff;
                    out[plane + base + x] = (p >> 8) & 0xff;
                    out[2 * plane + base + x] = p & 0xff;
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static boolean integerSamples(ColorModel cm) {
        int t = cm.getTransferType();
        return t == DataBuffer.TYPE_BYTE || t == DataBuffer.TYPE_USHORT || t == DataBuffer.TYPE_INT;
    }
}
