package dev.verydeep.core.data.voc;

import dev.verydeep.core.fuzz.Mutator;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the VOC reader (issue 7; findings in docs/reliability.md): annotation XML and
 * ImageSets files are mutated in a valid layout and the data set reopened; only
 * {@link dev.verydeep.core.UserException} may escape, and nothing may hang.
 */
class VocFuzzTest {
    @TempDir
    Path root;

    void layout() throws IOException {
        Files.createDirectories(root.resolve("JPEGImages"));
        Files.createDirectories(root.resolve("Annotations"));
        Path main = Files.createDirectories(root.resolve("ImageSets/Main"));
        for (String id : new String[] {"a1", "a2"}) {
            ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "jpeg", root.resolve("JPEGImages/" + id + ".jpg").toFile());
        }
        Files.writeString(root.resolve("Annotations/a1.xml"), XML1);
        Files.writeString(root.resolve("Annotations/a2.xml"), XML2);
        Files.writeString(main.resolve("train.txt"), "a1\na2\n");
        Files.writeString(main.resolve("cat_train.txt"), "a1  1\na2 -1\n");
        Files.writeString(main.resolve("dog_train.txt"), "a1 -1\na2  0\n");
    }

    static final String XML1 = "<annotation><folder>VOC2007</folder><filename>a1.jpg</filename><size><width>40</width><height>30</height>"
            + "<depth>3</depth></size><segmented>0</segmented>" + VocDatasetTest.object("cat", 0, 2, 3, 40, 30)
            + "<object><name>cat</name><pose>Left</pose><truncated>1</truncated><difficult>0</difficult><bndbox><xmin>5</xmin>"
            + "<ymin>6</ymin><xmax>20.5</xmax><ymax>21</ymax></bndbox></object></annotation>\n";
    static final String XML2 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<annotation>\n  <filename>a2.jpg</filename>\n"
            + "  <size><width>40</width><height>30</height></size>\n  " + VocDatasetTest.object("dog", 1, 1, 1, 10, 10) + "\n</annotation>\n";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void annotations() throws IOException {
        layout();
        Mutator m = new Mutator(Mutator.seed(), List.of(utf8(XML1), utf8(XML2)));
        Mutator.Summary s = m.run("voc-xml", root.resolve("Annotations/a1.xml"), Mutator.budget(8), 200_000, Duration.ofSeconds(10),
                f -> VocDataset.open(root).images());
        assertTrue(s.inputs() > 50, s.toString());
    }

    @Test
    void imageSets() throws IOException {
        layout();
        List<byte[]> seeds = List.of(utf8("a1\na2\n"), utf8("a1  1\na2 -1\n"), utf8("a1 -1\na2  0\n"));
        Mutator.Summary s1 = new Mutator(Mutator.seed(), seeds).run("voc-set", root.resolve("ImageSets/Main/train.txt"), Mutator.budget(4),
                200_000, Duration.ofSeconds(10), f -> VocDataset.open(root).images());
        Files.writeString(root.resolve("ImageSets/Main/train.txt"), "a1\na2\n");
        Mutator.Summary s2 = new Mutator(Mutator.seed() + 1, seeds).run("voc-class-set", root.resolve("ImageSets/Main/cat_train.txt"),
                Mutator.budget(4), 200_000, Duration.ofSeconds(10), f -> VocDataset.open(root).images());
        assertTrue(s1.inputs() > 20 && s2.inputs() > 20, s1 + "; " + s2);
    }
}
