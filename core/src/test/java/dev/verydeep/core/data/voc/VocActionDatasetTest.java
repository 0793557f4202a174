package dev.verydeep.core.data.voc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand-made VOC-2012 action fixture: two images, three persons (and a chair), two actions; then every bad layout. */
class VocActionDatasetTest {
    @TempDir
    Path root;

    static String person(String actions, int x0, int y0, int x1, int y1) {
        return "<object><name>person</name><actions>" + actions + "</actions><bndbox><xmin>" + x0 + "</xmin><ymin>" + y0
                + "</ymin><xmax>" + x1 + "</xmax><ymax>" + y1 + "</ymax></bndbox></object>";
    }

    static String ann(String id, String objects) {
        return "<annotation><filename>" + id + ".jpg</filename><size><width>40</width><height>30</height></size>" + objects + "</annotation>";
    }

    Path action() {
        return root.resolve("ImageSets/Action");
    }

    void layout() throws IOException {
        Files.createDirectories(root.resolve("JPEGImages"));
        Files.createDirectories(root.resolve("Annotations"));
        Files.createDirectories(action());
        for (String id : new String[] {"b1", "b2"}) {
            ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "jpeg", root.resolve("JPEGImages/" + id + ".jpg").toFile());
        }
        // b1: a chair (object 1) and two persons (objects 2, 3); b2: one person
        Files.writeString(root.resolve("Annotations/b1.xml"), ann("b1", VocDatasetTest.object("chair", 0, 1, 1, 5, 5)
                + person("<jumping>1</jumping><reading>0</reading>", 2, 3, 20, 30) + person("<jumping>0</jumping><reading>1</reading>", 21, 1, 40, 30)));
        Files.writeString(root.resolve("Annotations/b2.xml"), ann("b2", person("", 5, 5, 30, 25)));
        Files.writeString(action().resolve("train.txt"), "b1 2\nb1 3\n");
        Files.writeString(action().resolve("jumping_train.txt"), "b1 2  1\nb1 3 -1\n");
        Files.writeString(action().resolve("reading_train.txt"), "b1 2 -1\nb1 3  1\n");
        Files.writeString(action().resolve("val.txt"), "b2 1\n");
        Files.writeString(action().resolve("jumping_val.txt"), "b2 1 -1\n");
        Files.writeString(action().resolve("reading_val.txt"), "b2 1  1\n");
    }

    UserException fails(String set) {
        return assertThrows(UserException.class, () -> VocActionDataset.open(root, set));
    }

    @Test
    void readsPersonsActionsAndBoxes() throws IOException {
        layout();
        VocActionDataset d = VocActionDataset.open(root, null);
        assertEquals(List.of("jumping", "reading"), d.actions());
        assertEquals(List.of("b1/2", "b1/3", "b2/1"), d.persons().stream().map(VocActionDataset.Person::id).toList());
        assertArrayEquals(new int[] {1, -1}, d.persons().get(0).truth());
        assertArrayEquals(new int[] {-1, 1}, d.persons().get(1).truth());
        assertEquals(21, d.persons().get(1).box().xmin());
        assertEquals(List.of("val"), d.persons().get(2).sets());
        assertEquals(40, d.image(2).width());
        assertEquals(List.of("b2/1"), VocActionDataset.open(root, "val").persons().stream().map(VocActionDataset.Person::id).toList());
        // without <set>.txt the first action file lists the persons
        Files.delete(action().resolve("train.txt"));
        assertEquals(3, VocActionDataset.open(root, null).size());
    }

    @Test
    void theSpecNamesTheSet() {
        DatasetSpec s = DatasetSpec.parse("voc-action:" + root + ":val");
        assertEquals(DatasetSpec.Kind.VOC_ACTION, s.kind());
        assertEquals("val", s.imageSet().orElseThrow());
        assertEquals(s, DatasetSpec.parse(s.toString()));
        assertTrue(DatasetSpec.parse("voc-action:" + root).imageSet().isEmpty());
        UserException e = assertThrows(UserException.class, () -> DatasetSpec.parse("voc-action:" + root).check());
        assertTrue(e.getMessage().contains("ImageSets/Action/"), e.getMessage());
        e = assertThrows(UserException.class, () -> DatasetSpec.parse("voc-action:" + root + ":classes=0-1"));
        assertTrue(e.getMessage().contains("not voc-action"), e.getMessage());
    }

    @Test
    void badLayouts() throws IOException {
        layout();
        Files.writeString(action().resolve("reading_val.txt"), "b2 1  2\n");
        assertTrue(fails(null).getMessage().contains("reading_val.txt line 1: label '2' is not 1, -1 or 0"));
        Files.delete(action().resolve("reading_val.txt"));
        assertTrue(fails(null).getMessage().contains("reading_val.txt: missing (other actions have a file for set val)"));
        Files.writeString(action().resolve("reading_val.txt"), "b2 1 1\n");
        Files.writeString(action().resolve("jumping_train.txt"), "b1 2 1\n");
        assertTrue(fails("train").getMessage().contains("jumping_train.txt: person b1/3"), fails("train").getMessage());
        Files.writeString(action().resolve("jumping_train.txt"), "b1 2 1\nb1 3 -1\nb1 4 -1\n");
        assertTrue(fails("train").getMessage().contains("jumping_train.txt line 3: person b1/4 is not in"), fails("train").getMessage());
        Files.writeString(action().resolve("train.txt"), "b1 1\nb1 2\nb1 3\n");
        Files.writeString(action().resolve("jumping_train.txt"), "b1 1 -1\nb1 2 1\nb1 3 -1\n");
        Files.writeString(action().resolve("reading_train.txt"), "b1 1 -1\nb1 2 -1\nb1 3 1\n");
        assertTrue(fails("train").getMessage().contains("b1.xml: object 1 is a chair"), fails("train").getMessage());
        Files.writeString(action().resolve("train.txt"), "b1 2\nb1 9\n");
        Files.writeString(action().resolve("jumping_train.txt"), "b1 2 1\nb1 9 -1\n");
        Files.writeString(action().resolve("reading_train.txt"), "b1 2 -1\nb1 9 1\n");
        assertTrue(fails("train").getMessage().contains("b1.xml: has 3 objects, but the action files name person b1/9"), fails("train").getMessage());
        Files.writeString(action().resolve("train.txt"), "b1 2\nb1 3\n");
        Files.writeString(action().resolve("jumping_train.txt"), "b1 2 -1\nb1 3 -1\n");
        Files.writeString(action().resolve("reading_train.txt"), "b1 2 -1\nb1 3 1\n");
        assertTrue(fails("train").getMessage().contains("b1.xml: object 2 has <jumping>1</jumping> but jumping_*.txt gives -1"),
                fails("train").getMessage());
        Files.writeString(action().resolve("jumping_train.txt"), "b1 2 1\nb1 x -1\n");
        assertTrue(fails("train").getMessage().contains("line 2: object index 'x' is not a positive integer"), fails("train").getMessage());
        Files.writeString(action().resolve("jumping_train.txt"), "../b1 2 1\n");
        assertTrue(fails("train").getMessage().contains("image id '../b1' is not a plain name"), fails("train").getMessage());
        assertTrue(fails("test").getMessage().contains("no per-action files for set test"), fails("test").getMessage());
        Files.writeString(action().resolve("jumping_train.txt"), "b1 2 1\nb1 3 -1\n");
        Files.delete(root.resolve("Annotations/b2.xml"));
        assertTrue(fails("val").getMessage().contains("b2.xml: missing"), fails("val").getMessage());
    }
}
