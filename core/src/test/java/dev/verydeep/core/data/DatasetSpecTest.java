package dev.verydeep.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSpecTest {
    @TempDir
    Path tmp;

    private static final String FORMS = "valid forms: fashion-mnist, fashion-mnist:train, fashion-mnist:test, fashion-mnist:DIR, "
            + "fashion-mnist:DIR:test, folder:DIR, caltech:DIR, imagenet:DIR, voc:DIR";

    private static void assertMessage(String expected, Runnable r) {
        UserException e = assertThrows(UserException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void fashionMnistForms() {
        DatasetSpec plain = DatasetSpec.parse("fashion-mnist");
        assertEquals(DatasetSpec.Kind.FASHION_MNIST, plain.kind());
        assertEquals(Optional.of(FashionMnist.Split.TRAIN), plain.split());
        assertEquals(FashionMnist.defaultDir(), plain.path());
        assertFalse(plain.hasDirectory());
        assertEquals("fashion-mnist:train", plain.toString());
        assertEquals(plain, DatasetSpec.parse("fashion-mnist:train"));
        assertEquals("fashion-mnist:test", DatasetSpec.parse("fashion-mnist:test").toString());
        assertEquals(DatasetSpec.fashionMnist(FashionMnist.Split.TEST), DatasetSpec.parse(" fashion-mnist:TEST "));

        DatasetSpec dir = DatasetSpec.parse("fashion-mnist:/data/fm");
        assertEquals(Path.of("/data/fm"), dir.path());
        assertTrue(dir.hasDirectory());
        assertEquals(Optional.of(FashionMnist.Split.TRAIN), dir.split());
        assertEquals("fashion-mnist:/data/fm:train", dir.toString());
        DatasetSpec dirTest = DatasetSpec.parse("fashion-mnist:/data/fm/:test");
        assertEquals(Path.of("/data/fm"), dirTest.path());
        assertEquals(Optional.of(FashionMnist.Split.TEST), dirTest.split());
        assertEquals("fashion-mnist:/data/fm:test", dirTest.toString());
        // A folder named like a split needs a path prefix.
        assertEquals(Path.of("test").toAbsolutePath(), DatasetSpec.parse("fashion-mnist:./test").path());
        // Relative directories become absolute in the canonical text.
        assertEquals("fashion-mnist:" + Path.of("fm").toAbsolutePath() + ":test", DatasetSpec.parse("fashion-mnist:fm:test").toString());
    }

    @Test
    void folderForms() {
        for (String kind : List.of("folder", "caltech", "imagenet", "voc")) {
            DatasetSpec s = DatasetSpec.parse(kind + ":/data/x/../set");
            assertEquals(kind, s.kind().text());
            assertEquals(Path.of("/data/set"), s.path());
            assertEquals(Optional.empty(), s.split());
            assertEquals(kind + ":/data/set", s.toString());
            assertEquals(s, DatasetSpec.parse(s.toString()));
            assertEquals(s.hashCode(), DatasetSpec.parse(s.toString()).hashCode());
        }
        assertEquals("folder:/a:b", DatasetSpec.parse("folder:/a:b").toString());
    }

    @Test
    void syntaxErrorsListTheValidForms() {
        assertMessage("data set \"mnist\": unknown kind \"mnist\"; " + FORMS, () -> DatasetSpec.parse("mnist"));
        assertMessage("data set \"/data/pets\": unknown kind \"/data/pets\"; " + FORMS, () -> DatasetSpec.parse("/data/pets"));
        assertMessage("data set \"cifar:/x\": unknown kind \"cifar\"; " + FORMS, () -> DatasetSpec.parse("cifar:/x"));
        assertMessage("data set \"folder\": missing directory (expected folder:DIR); " + FORMS, () -> DatasetSpec.parse("folder"));
        assertMessage("data set \"folder:\": empty directory; " + FORMS, () -> DatasetSpec.parse("folder:"));
        assertMessage("empty data set; " + FORMS, () -> DatasetSpec.parse(" "));
    }

    @Test
    void foldersThatDoNotResolveSayWhatWasExpected() throws IOException {
        Path x = tmp.resolve("x");
        assertMessage("folder:" + x + ": " + x + " does not exist (expected a folder with one sub-folder per class)",
                () -> DatasetSpec.parse("folder:" + x).open());
        assertMessage("imagenet:" + x + ": " + x + " does not exist (expected one sub-folder per synset, e.g. n01440764)",
                () -> DatasetSpec.parse("imagenet:" + x).open());
        Path file = Files.writeString(tmp.resolve("file"), "");
        assertMessage("caltech:" + file + ": " + file + " is not a folder (expected the Caltech layout: one sub-folder per category, "
                + "e.g. 101_ObjectCategories)", () -> DatasetSpec.parse("caltech:" + file).check());
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        assertMessage("folder:" + flat + ": " + flat + " has no sub-folders (expected a folder with one sub-folder per class)",
                () -> DatasetSpec.parse("folder:" + flat).open());
        Path oneEmpty = tmp.resolve("oneEmpty");
        ImageFolderTest.png(oneEmpty.resolve("a/1.png"), 2, 2, 0);
        Files.createDirectories(oneEmpty.resolve("b"));
        assertMessage("folder:" + oneEmpty + ": " + oneEmpty.resolve("b") + ": class folder has no images (expected files ending in "
                + ".jpg, .jpeg, .png, .bmp or .gif)", () -> DatasetSpec.parse("folder:" + oneEmpty).open());
    }

    @Test
    void caltechCountsBackgroundAsAClassAndImagenetReadsSynsets() throws IOException {
        Path caltech = tmp.resolve("101_ObjectCategories");
        ImageFolderTest.png(caltech.resolve("BACKGROUND_Google/image_0001.jpg"), 4, 3, 0x808080);
        ImageFolderTest.png(caltech.resolve("Faces/image_0001.jpg"), 4, 3, 0x808080);
        ImageFolderTest.png(caltech.resolve("accordion/image_0001.jpg"), 4, 3, 0x808080);
        ImageSource c = DatasetSpec.parse("caltech:" + caltech).open();
        assertEquals(List.of("BACKGROUND_Google", "Faces", "accordion"), c.classNames());
        assertEquals("caltech:" + caltech + " (3 images, 3 classes)", c.describe());

        Path imagenet = tmp.resolve("train");
        ImageFolderTest.png(imagenet.resolve("n01440764/n01440764_10026.JPEG"), 5, 5, 0);
        ImageFolderTest.png(imagenet.resolve("n01443537/n01443537_10007.JPEG"), 5, 5, 0);
        ImageSource in = DatasetSpec.parse("imagenet:" + imagenet).open();
        assertEquals(List.of("n01440764", "n01443537"), in.classNames());
        assertEquals("n01443537/n01443537_10007.JPEG", in.id(1));
    }

    @Test
    void vocLayoutIsCheckedAndReadingIsLeftToTheTransferModule() throws IOException {
        Path devkit = tmp.resolve("VOCdevkit");
        Path year = devkit.resolve("VOC2007");
        Files.createDirectories(year.resolve("JPEGImages"));
        Files.createDirectories(devkit.resolve("VOC2012"));
        String expected = " (expected the devkit folder of one VOC year, holding JPEGImages/, Annotations/ and ImageSets/Main/, "
                + "e.g. VOCdevkit/VOC2007)";
        assertMessage("voc:" + year + ": " + year + " lacks Annotations/, ImageSets/Main/" + expected,
                () -> DatasetSpec.parse("voc:" + year).check());
        assertMessage("voc:" + devkit + ": " + devkit + " lacks JPEGImages/, Annotations/, ImageSets/Main/" + expected
                + "; did you mean voc:" + year + " or voc:" + devkit.resolve("VOC2012") + "?", () -> DatasetSpec.parse("voc:" + devkit).check());
        assertMessage("voc:" + tmp.resolve("none") + ": " + tmp.resolve("none") + " does not exist" + expected,
                () -> DatasetSpec.parse("voc:" + tmp.resolve("none")).open());
        Files.createDirectories(year.resolve("Annotations"));
        Files.createDirectories(year.resolve("ImageSets/Main"));
        DatasetSpec voc = DatasetSpec.parse("voc:" + year);
        voc.check();
        assertMessage("voc:" + year + ": voc data sets are read by the transfer module (not built yet)", voc::open);
    }

    @Test
    void fashionMnistOpensThroughTheSpec() {
        ImageSource test = DatasetSpec.parse("fashion-mnist:" + FashionMnist.defaultDir() + ":test").open();
        assertEquals(10000, test.size());
        assertEquals("test/0", test.id(0));
        Path none = tmp.resolve("none");
        assertMessage("fashion-mnist:" + none + ":train: Fashion-MNIST not found in " + none + " (expected train-images-idx3-ubyte.gz and "
                + "train-labels-idx1-ubyte.gz): install the Debian package dataset-fashion-mnist (apt-get install "
                + "dataset-fashion-mnist) or pass fashion-mnist:DIR", () -> DatasetSpec.parse("fashion-mnist:" + none).open());
    }
}
