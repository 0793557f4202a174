package dev.verydeep.trainer;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/** A small VOC-layout localisation set for tests: noisy scenes, each with one coloured rectangle of its class. */
final class TinyVoc {
    static final String[] CLASSES = {"blue", "green", "red"};

    private TinyVoc() {
    }

    /** Writes {@code n} scenes (PNG) into {@code dir}; sets train (all) and trainval (all). */
    static Path write(Path dir, int n, long seed) throws IOException {
        Path jpeg = Files.createDirectories(dir.resolve("JPEGImages"));
        Path ann = Files.createDirectories(dir.resolve("Annotations"));
        Path main = Files.createDirectories(dir.resolve("ImageSets/Main"));
        Random rnd = new Random(seed);
        StringBuilder ids = new StringBuilder();
        StringBuilder[] perClass = new StringBuilder[CLASSES.length];
        for (int c = 0; c < CLASSES.length; c++) {
            perClass[c] = new StringBuilder();
        }
        for (int i = 0; i < n; i++) {
            String id = String.format(Locale.ROOT, "%04d", i);
            int w = 60 + rnd.nextInt(30);
            int h = 48 + rnd.nextInt(12);
            int c = i % CLASSES.length;
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = rnd.nextInt(40);
                    img.setRGB(x, y, new Color(v, v, v).getRGB());
                }
            }
            int bw = 10 + rnd.nextInt(w / 2);
            int bh = 10 + rnd.nextInt(h / 2);
            int bx = rnd.nextInt(w - bw + 1);
            int by = rnd.nextInt(h - bh + 1);
            Graphics2D g = img.createGraphics();
            g.setColor(c == 0 ? Color.BLUE : c == 1 ? Color.GREEN : Color.RED);
            g.fillRect(bx, by, bw, bh);
            g.dispose();
            ImageIO.write(img, "png", jpeg.resolve(id + ".png").toFile());
            Files.writeString(ann.resolve(id + ".xml"), String.format(Locale.ROOT,
                    "<annotation><filename>%s.png</filename><size><width>%d</width><height>%d</height></size><object><name>%s</name>"
                    + "<bndbox><xmin>%d</xmin><ymin>%d</ymin><xmax>%d</xmax><ymax>%d</ymax></bndbox></object></annotation>",
                    id, w, h, CLASSES[c], bx + 1, by + 1, bx + bw, by + bh));
            ids.append(id).append('\n');
            for (int k = 0; k < CLASSES.length; k++) {
                perClass[k].append(id).append(k == c ? "  1\n" : " -1\n");
            }
        }
        for (String set : new String[] {"train", "trainval"}) {
            Files.writeString(main.resolve(set + ".txt"), ids);
            for (int k = 0; k < CLASSES.length; k++) {
                Files.writeString(main.resolve(CLASSES[k] + "_" + set + ".txt"), perClass[k]);
            }
        }
        return dir;
    }
}
