package dev.verydeep.transfer.make;

import dev.verydeep.core.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Writes generated images (deterministic encoders: same pixels, same bytes). */
final class Images {
    private Images() {
    }

    static BufferedImage toBuffered(RgbImage img) {
        int w = img.width();
        int h = img.height();
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        float[] d = img.data();
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                b.setRGB(x, y, (clamp(d[i]) << 16) | (clamp(d[plane + i]) << 8) | clamp(d[2 * plane + i]));
            }
        }
        return b;
    }

    static BufferedImage grey(byte[] pixels, int offset, int w, int h) {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        b.getRaster().setDataElements(0, 0, w, h, java.util.Arrays.copyOfRange(pixels, offset, offset + w * h));
        return b;
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    static void png(BufferedImage img, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer");
            }
        }
    }

    static void jpeg(BufferedImage img, Path file, float quality) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (OutputStream out = Files.newOutputStream(file); ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.setOutput(ios);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
    }
}
