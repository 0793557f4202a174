package dev.verydeep.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.data.IdxReader;
import dev.verydeep.core.image.ImageDecoder;
import dev.verydeep.core.image.Resize;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the image decoder and the IDX reader (issue 7; findings in docs/reliability.md): only
 * {@link dev.verydeep.core.UserException} may escape, and no input may hang.
 */
class FuzzTest {
    @TempDir
    Path tmp;

    static BufferedImage noise(int w, int h, int type, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        SplittableRandom r = new SplittableRandom(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 16 + y * 4) << 8 | r.nextInt(1 << 24) & 0x0f0f0f);
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format, boolean progressive) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            if (progressive) {
                p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    static List<byte[]> imageSeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(encode(noise(12, 9, BufferedImage.TYPE_INT_RGB, 1), "png", false));
        seeds.add(encode(noise(12, 9, BufferedImage.TYPE_INT_ARGB, 2), "png", false));
        seeds.add(encode(noise(10, 7, BufferedImage.TYPE_BYTE_GRAY, 3), "png", false));
        IndexColorModel icm = new IndexColorModel(2, 4, new byte[] {0, 1, 2, 3}, new byte[] {4, 5, 6, 7}, new byte[] {8, 9, 10, 11});
        BufferedImage pal = new BufferedImage(9, 5, BufferedImage.TYPE_BYTE_BINARY, icm);
        pal.getRaster().setSample(3, 2, 0, 2);
        seeds.add(encode(pal, "png", false));
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE,
                DataBuffer.TYPE_USHORT);
        WritableRaster r16 = cm.createCompatibleWritableRaster(6, 4);
        r16.setPixel(1, 1, new int[] {65535, 300, 9});
        seeds.add(encode(new BufferedImage(cm, r16, false, null), "png", false));
        seeds.add(encode(noise(24, 16, BufferedImage.TYPE_INT_RGB, 4), "jpeg", false));
        seeds.add(encode(noise(24, 16, BufferedImage.TYPE_INT_RGB, 5), "jpeg", true));
        seeds.add(encode(noise(20, 12, BufferedImage.TYPE_BYTE_GRAY, 6), "jpeg", false));
        seeds.add(encode(noise(11, 6, BufferedImage.TYPE_INT_RGB, 7), "gif", false));
        seeds.add(encode(noise(11, 6, BufferedImage.TYPE_INT_RGB, 8), "bmp", false));
        return seeds;
    }

    @Test
    void imageDecoder() throws IOException {
        Mutator m = new Mutator(Mutator.seed(), imageSeeds());
        // A 1-megapixel budget keeps every mutant's allocation small (the default is 100 MP).
        Mutator.Summary s = m.run("image", tmp.resolve("fuzz.img"), Mutator.budget(10), 200_000, Duration.ofSeconds(10), f -> {
            var img = ImageDecoder.decode(f, 1_000_000);
            Resize.isotropic(img, 7);
        });
        assertTrue(s.inputs() > 100, s.toString());
    }

    static byte[] idx(int magic, int[] dims, byte[] data, boolean gzip) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        if (!gzip) {
            return b.array();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b.array());
        }
        return out.toByteArray();
    }

    @Test
    void idxDimensionsWhoseProductOverflowsALong() throws IOException {
        // Found by idxReader below: 4198403 x 8388612 x 327717 wraps a long to a negative size, which passed
        // the size check and reached InputStream.readNBytes as "len < 0" (IllegalArgumentException).
        Path f = java.nio.file.Files.write(tmp.resolve("overflow.idx"), idx(IdxReader.IMAGES_MAGIC, new int[] {0x00401003, 0x00800004,
            0x00050025}, new byte[8], false));
        dev.verydeep.core.UserException e = org.junit.jupiter.api.Assertions.assertThrows(dev.verydeep.core.UserException.class,
                () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("more than this reader holds in memory") && e.getMessage().contains("1.15e+19"), e.getMessage());
    }

    @Test
    void idxReader() throws IOException {
        byte[] pixels = new byte[3 * 4 * 5];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        byte[] labels = {0, 9, 3, 5, 1, 1, 7};
        List<byte[]> seeds = List.of(idx(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 5}, pixels, false),
                idx(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 5}, pixels, true),
                idx(IdxReader.LABELS_MAGIC, new int[] {7}, labels, false),
                idx(IdxReader.LABELS_MAGIC, new int[] {7}, labels, true));
        Mutator.Summary images = new Mutator(Mutator.seed(), seeds).run("idx-images", tmp.resolve("fuzz.idx"), Mutator.budget(5), 200_000,
                Duration.ofSeconds(10), IdxReader::readImages);
        Mutator.Summary lab = new Mutator(Mutator.seed() + 1, seeds).run("idx-labels", tmp.resolve("fuzz.idx"), Mutator.budget(5), 200_000,
                Duration.ofSeconds(10), f -> IdxReader.readLabels(f, 10));
        assertTrue(images.inputs() > 100 && lab.inputs() > 100, images + "; " + lab);
    }
}
