package dev.verydeep.core.data.voc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocDatasetTest {
    @TempDir
    Path root;

    static String object(String name, int difficult, int x0, int y0, int x1, int y1) {
        return "<object><name>" + name + "</name><difficult>" + difficult + "</difficult><bndbox><xmin>" + x0 + "</xmin><ymin>" + y0
                + "</ymin><xmax>" + x1 + "</xmax><ymax>" + y1 + "</ymax></bndbox></object>";
    }

    void layout(String xml1) throws IOException {
        Files.createDirectories(root.resolve("JPEGImages"));
        Files.createDirectories(root.resolve("Annotations"));
        Path main = Files.createDirectories(root.resolve("ImageSets/Main"));
        for (String id : new String[] {"a1", "a2"}) {
            ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "jpeg", root.resolve("JPEGImages/" + id + ".jpg").toFile());
        }
        Files.writeString(root.resolve("Annotations/a1.xml"), xml1);
        Files.writeString(root.resolve("Annotations/a2.xml"), "<annotation><filename>a2.jpg</filename><size><width>40</width><height>30</height></size>"
                + object("dog", 1, 1, 1, 10, 10) + "</annotation>");
        Files.writeString(main.resolve("train.txt"), "a1\na2\n");
        Files.writeString(main.resolve("cat_train.txt"), "a1  1\na2 -1\n");
        Files.writeString(main.resolve("dog_train.txt"), "a1 -1\na2  0\n");
    }

    static String ann(String objects) {
        return "<annotation><filename>a1.jpg</filename><size><width>40</width><height>30</height></size>" + objects + "</annotation>";
    }

    UserException fails(String xml1) throws IOException {
        layout(xml1);
        return assertThrows(UserException.class, () -> VocDataset.open(root));
    }

    @Test
    void readsTruthFromAnnotationsAndChecksClassFiles() throws IOException {
        layout(ann(object("cat", 0, 2, 3, 40, 30)));
        VocDataset v = VocDataset.open(root);
        assertEquals(java.util.List.of("cat", "dog"), v.classes());
        assertArrayEquals(new int[] {1, -1}, v.images().get(0).truth());
        assertArrayEquals(new int[] {-1, 0}, v.images().get(1).truth());
        assertEquals(40, v.image(0).width());
        // A class file disagreeing with the annotations is an error naming the line.
        Files.writeString(root.resolve("ImageSets/Main/cat_train.txt"), "a1 -1\na2 -1\n");
        UserException e = assertThrows(UserException.class, () -> VocDataset.open(root));
        assertTrue(e.getMessage().contains("cat_train.txt line 1"), e.getMessage());
    }

    @Test
    void malformedXml() throws IOException {
        assertTrue(fails("<annotation><size>").getMessage().contains("malformed XML"));
    }

    @Test
    void imageSetThatIsNotUtf8SaysWhereTheBadByteIs() throws IOException {
        layout(ann(object("cat", 0, 2, 3, 10, 10)));
        Path set = root.resolve("ImageSets/Main/train.txt");
        Files.write(set, new byte[] {'a', '1', '\n', 'a', (byte) 0xE9, '2', '\n'}); // Latin-1 e-acute
        String m = assertThrows(UserException.class, () -> VocDataset.open(root)).getMessage();
        assertEquals(set + ": not UTF-8 text: byte 0xE9 at byte 4 (line 2) cannot start or continue a UTF-8 character; image set files are "
                + "plain lists of image ids", m);
    }

    @Test
    void annotationWithAnUnknownOrWrongEncodingSaysSo() throws IOException {
        String m = fails("<?xml version=\"1.0\" encoding=\"UTG-8\"?>" + ann("")).getMessage();
        assertTrue(m.endsWith("a1.xml: the XML declaration names the encoding 'UTG-8', which is not one this reader knows (annotations are UTF-8)"), m);
        layout(ann(""));
        Files.write(root.resolve("Annotations/a1.xml"), ("<annotation><filename>a1.jpg</filename><folder>caf" + (char) 0xE9 + "</folder>"
                + "<size><width>40</width><height>30</height></size></annotation>").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        m = assertThrows(UserException.class, () -> VocDataset.open(root)).getMessage();
        assertTrue(m.contains("a1.xml: not UTF-8 text (Invalid byte 2 of 3-byte UTF-8 sequence.)"), m);
    }

    @Test
    void doctypeIsRefused() throws IOException {
        String m = fails("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + ann("")).getMessage();
        assertTrue(m.contains("malformed XML") && m.contains("DOCTYPE"), m);
    }

    @Test
    void missingField() throws IOException {
        String m = fails("<annotation><filename>a1.jpg</filename>" + "</annotation>").getMessage();
        assertTrue(m.contains("a1.xml") && m.contains("no <size>"), m);
        layout(ann("<object><name>cat</name></object>"));
        m = assertThrows(UserException.class, () -> VocDataset.open(root)).getMessage();
        assertTrue(m.contains("no <bndbox>"), m);
    }

    @Test
    void boxOutsideOrInverted() throws IOException {
        String m = fails(ann(object("cat", 0, 2, 3, 41, 30))).getMessage();
        assertTrue(m.contains("outside the 40x30 image"), m);
        layout(ann(object("cat", 0, 20, 3, 10, 30)));
        m = assertThrows(UserException.class, () -> VocDataset.open(root)).getMessage();
        assertTrue(m.contains("inverted box"), m);
        layout(ann(object("cat", 0, 0, 3, 10, 30)));
        assertThrows(UserException.class, () -> VocDataset.open(root));
    }

    @Test
    void unknownClass() throws IOException {
        String m = fails(ann(object("horse", 0, 2, 3, 10, 10))).getMessage();
        assertTrue(m.contains("unknown class name 'horse'") && m.contains("cat, dog"), m);
    }

    @Test
    void imageSetNamingMissingImages() throws IOException {
        layout(ann(object("cat", 0, 2, 3, 10, 10)));
        Files.writeString(root.resolve("ImageSets/Main/train.txt"), "a1\na2\na3\n");
        String m = assertThrows(UserException.class, () -> VocDataset.open(root)).getMessage();
        assertTrue(m.contains("a3.xml: missing") && m.contains("names image a3"), m);
        Files.writeString(root.resolve("ImageSets/Main/train.txt"), "a1\na2\n");
        Files.delete(root.resolve("JPEGImages/a2.jpg"));
        m = assertThrows(UserException.class, () -> VocDataset.open(root)).getMessage();
        assertTrue(m.contains("a2.jpg: missing"), m);
    }

    @Test
    void pathsEscapingTheRoot() throws IOException {
        layout(ann(object("cat", 0, 2, 3, 10, 10)).replace("<filename>a1.jpg", "<filename>../../etc/passwd"));
        String m = assertThrows(UserException.class, () -> VocDataset.open(root)).getMessage();
        assertTrue(m.contains("leaves JPEGImages/"), m);
        layout(ann(object("cat", 0, 2, 3, 10, 10)));
        Files.writeString(root.resolve("ImageSets/Main/train.txt"), "a1\n../a2\n");
        m = assertThrows(UserException.class, () -> VocDataset.open(root)).getMessage();
        assertTrue(m.contains("train.txt line 2") && m.contains("not a plain name"), m);
        // A symlink inside JPEGImages that points outside.
        Files.writeString(root.resolve("ImageSets/Main/train.txt"), "a1\na2\n");
        Path outside = Files.createTempFile("outside", ".jpg");
        Files.delete(root.resolve("JPEGImages/a1.jpg"));
        Files.createSymbolicLink(root.resolve("JPEGImages/a1.jpg"), outside);
        m = assertThrows(UserException.class, () -> VocDataset.open(root)).getMessage();
        assertTrue(m.contains("link leaving JPEGImages/"), m);
        Files.delete(outside);
    }
}
