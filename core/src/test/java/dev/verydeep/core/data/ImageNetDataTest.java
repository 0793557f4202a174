package dev.verydeep.core.data;

import static dev.verydeep.core.data.ImageFolderTest.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ImageNet-style validation data: per-synset folders or a flat folder with a ground-truth file, and every bad layout. */
class ImageNetDataTest {
    @TempDir
    Path tmp;

    /** Synsets deliberately not in name order: the list defines the class order. */
    Path synsets() throws IOException {
        return Files.writeString(tmp.resolve("synsets.txt"), "n02000002 second, zweite\n\nn01000001 first\nn03000003\n");
    }

    /** Four images, flat, ILSVRC-style names; the colour encodes the class. */
    Path flat() throws IOException {
        Path dir = tmp.resolve("val");
        png(dir.resolve("ILSVRC2012_val_00000001.JPEG"), 6, 5, 0x100000);
        png(dir.resolve("ILSVRC2012_val_00000002.JPEG"), 6, 5, 0x200000);
        png(dir.resolve("ILSVRC2012_val_00000003.png"), 4, 7, 0x300000);
        png(dir.resolve("ILSVRC2012_val_00000004.png"), 4, 7, 0x100000);
        return dir;
    }

    static List<String> labelled(ImageSource s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(s.id(i) + "=" + s.classNames().get(s.label(i)));
        }
        return out;
    }

    UserException fails(Path dir, Path synsets, Path labels) {
        return assertThrows(UserException.class, () -> ImageNetData.open(dir, synsets, labels, 1 << 20));
    }

    @Test
    void synsetListDefinesTheClassOrderOfPerSynsetFolders() throws IOException {
        png(tmp.resolve("train/n01000001/a.JPEG"), 4, 4, 0x010101);
        png(tmp.resolve("train/n02000002/b.png"), 4, 4, 0x020202);
        png(tmp.resolve("train/n03000003/c.JPEG"), 4, 4, 0x030303);
        ImageSource s = ImageNetData.open(tmp.resolve("train"), synsets(), null, 1 << 20);
        assertEquals(List.of("n02000002", "n01000001", "n03000003"), s.classNames());
        assertEquals(List.of("n01000001/a.JPEG=n01000001", "n02000002/b.png=n02000002", "n03000003/c.JPEG=n03000003"), labelled(s));
        assertEquals(1, s.label(0));
        // without a list: folders sorted by name, as before
        ImageSource sorted = ImageNetData.open(tmp.resolve("train"), null, null, 1 << 20);
        assertEquals(List.of("n01000001", "n02000002", "n03000003"), sorted.classNames());
        assertEquals(0, sorted.label(0));
    }

    @Test
    void flatFolderWithFileLabelLinesIndicesOrWnids() throws IOException {
        Path dir = flat();
        Path labels = Files.writeString(tmp.resolve("val.txt"),
                "ILSVRC2012_val_00000003.png 2\nILSVRC2012_val_00000001.JPEG 1\nILSVRC2012_val_00000002.JPEG n02000002\n");
        ImageSource s = ImageNetData.open(dir, synsets(), labels, 1 << 20);
        // the ground-truth file's order; image 4 is not listed and not read
        assertEquals(List.of("ILSVRC2012_val_00000003.png=n03000003", "ILSVRC2012_val_00000001.JPEG=n01000001",
                "ILSVRC2012_val_00000002.JPEG=n02000002"), labelled(s));
        assertEquals(4, s.image(0).width());
        assertEquals(0x30, (int) s.image(0).get(0, 0, 0));
    }

    @Test
    void flatFolderWithTheDevkitsOneBasedLabelPerLine() throws IOException {
        Path dir = flat();
        Path gt = Files.writeString(tmp.resolve("ILSVRC2012_validation_ground_truth.txt"), "2\n1\n3\n2\n");
        ImageSource s = ImageNetData.open(dir, synsets(), gt, 1 << 20);
        assertEquals(List.of("ILSVRC2012_val_00000001.JPEG=n01000001", "ILSVRC2012_val_00000002.JPEG=n02000002",
                "ILSVRC2012_val_00000003.png=n03000003", "ILSVRC2012_val_00000004.png=n01000001"), labelled(s));
    }

    @Test
    void badSynsetLists() throws IOException {
        Path dir = flat();
        Path labels = Files.writeString(tmp.resolve("val.txt"), "ILSVRC2012_val_00000001.JPEG 0\n");
        Path dup = Files.writeString(tmp.resolve("dup.txt"), "n01000001 a\nn02000002 b\nn01000001 c\n");
        assertTrue(fails(dir, dup, labels).getMessage().matches(".*dup.txt line 3: duplicate wnid n01000001 \\(also line 1\\).*"));
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n\n");
        assertTrue(fails(dir, empty, labels).getMessage().contains("empty.txt: no synsets"));
        Path slash = Files.writeString(tmp.resolve("slash.txt"), "../n01 x\n");
        assertTrue(fails(dir, slash, labels).getMessage().contains("slash.txt line 1: '../n01' is not a synset id"));
        assertTrue(fails(dir, tmp.resolve("nope.txt"), labels).getMessage().contains("--synsets " + tmp.resolve("nope.txt") + ": file not found"));
    }

    @Test
    void badPerSynsetFolders() throws IOException {
        png(tmp.resolve("a/n01000001/a.JPEG"), 4, 4, 0);
        png(tmp.resolve("a/n02000002/b.JPEG"), 4, 4, 0);
        // n03000003 listed but has no folder
        UserException missing = fails(tmp.resolve("a"), synsets(), null);
        assertTrue(missing.getMessage().contains("missing synset folder n03000003/"), missing.getMessage());
        png(tmp.resolve("a/n03000003/c.JPEG"), 4, 4, 0);
        png(tmp.resolve("a/n09999999/d.JPEG"), 4, 4, 0);
        UserException unknown = fails(tmp.resolve("a"), synsets(), null);
        assertTrue(unknown.getMessage().contains("n09999999: folder of unknown wnid n09999999"), unknown.getMessage());
        // a ground-truth file does not apply to folders
        Files.delete(tmp.resolve("a/n09999999/d.JPEG"));
        Files.delete(tmp.resolve("a/n09999999"));
        UserException both = fails(tmp.resolve("a"), synsets(), Files.writeString(tmp.resolve("l.txt"), "x.JPEG 0\n"));
        assertTrue(both.getMessage().contains("--labels applies to a flat folder"), both.getMessage());
    }

    @Test
    void badGroundTruthFiles() throws IOException {
        Path dir = flat();
        Path s = synsets();
        String[][] cases = {
            {"ILSVRC2012_val_00000001.JPEG 3\n", "line 1: label 3 out of range 0-2"},
            {"ILSVRC2012_val_00000001.JPEG -1\n", "line 1: label -1 out of range 0-2"},
            {"ILSVRC2012_val_00000001.JPEG n04000004\n", "line 1: unknown wnid n04000004"},
            {"ILSVRC2012_val_00000001.JPEG 0\n\nILSVRC2012_val_00000009.JPEG 1\n", "line 3: image ILSVRC2012_val_00000009.JPEG listed but missing"},
            {"ILSVRC2012_val_00000001.JPEG 0\nILSVRC2012_val_00000001.JPEG 1\n", "line 2: image ILSVRC2012_val_00000001.JPEG listed twice (also line 1)"},
            {"../secret.png 0\n", "line 1: image '../secret.png' is not a plain file name"},
            {"ILSVRC2012_val_00000001.JPEG 0\n2\n", "line 2: expected 'file label', got '2'"},
            {"1\n2\n3\n", "3 labels (one per line, the devkit's ground truth) but " + dir + " holds 4 images"},
            {"1\n2\n0\n1\n", "line 3: label 0 out of range 1-3"},
            {"", "no labels"},
        };
        for (String[] c : cases) {
            Path labels = Files.writeString(tmp.resolve("gt.txt"), c[0]);
            UserException e = fails(dir, s, labels);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("gt.txt"), c[0] + " -> " + e.getMessage());
        }
        Path labels = Files.writeString(tmp.resolve("gt.txt"), "ILSVRC2012_val_00000001.JPEG 0\n");
        assertTrue(fails(dir, null, labels).getMessage().contains("needs --synsets"));
        assertTrue(fails(dir, s, null).getMessage().contains("no per-synset folders"));
    }

    @Test
    void theSpecPassesTheFilesAndRefusesThemForOtherKinds() throws IOException {
        Path dir = flat();
        Path labels = Files.writeString(tmp.resolve("val.txt"), "ILSVRC2012_val_00000002.JPEG 0\n");
        ImageSource s = DatasetSpec.parse("imagenet:" + dir).open(synsets(), labels);
        assertEquals(List.of("ILSVRC2012_val_00000002.JPEG=n02000002"), labelled(s));
        UserException e = assertThrows(UserException.class, () -> DatasetSpec.parse("folder:" + dir).open(synsets(), null));
        assertTrue(e.getMessage().contains("--synsets applies to imagenet:DIR"), e.getMessage());
    }
}
