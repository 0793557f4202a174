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
            + "fashion-mnist:DIR:test, fashion-mnist-sample[:train|:test], folder:DIR, caltech:DIR, imagenet:DIR, voc:DIR[:SET], voc-action:DIR[:SET]; "
            + "any but voc and voc-action may end in :classes=0-4 or :classes=0,2,4 (a class subset, labels renumbered)";

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
    void vocLayoutIsCheckedBeforeReading() throws IOException {
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
        assertMessage("voc:" + year + ": " + year.resolve("ImageSets/Main") + ": none of [train, val, trainval, test] .txt image sets exists",
                voc::open);
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

    @Test
    void classSubsetsParseAndPrintCanonically() {
        DatasetSpec s = DatasetSpec.parse("fashion-mnist:train:classes=0-4");
        assertEquals("fashion-mnist:train:classes=0-4", s.toString());
        assertEquals(List.of(0, 1, 2, 3, 4), java.util.Arrays.stream(s.classes().orElseThrow()).boxed().toList());
        assertEquals(s, DatasetSpec.parse(s.toString()));
        assertEquals("fashion-mnist:train:classes=0,2,4", DatasetSpec.parse("fashion-mnist:classes=4,0,2").toString());
        assertEquals("fashion-mnist:test:classes=0-2,7", DatasetSpec.parse("fashion-mnist:test:classes= 2,0-1 ,7").toString());
        assertEquals("fashion-mnist:/data/fm:test:classes=5-9", DatasetSpec.parse("fashion-mnist:/data/fm:test:classes=5-9").toString());
        assertEquals("caltech:/data/c101:classes=3", DatasetSpec.parse("caltech:/data/c101:CLASSES=3").toString());
        assertEquals(Optional.empty(), DatasetSpec.parse("fashion-mnist").classes());
        assertEquals(DatasetSpec.parse("fashion-mnist:test"), DatasetSpec.parse("fashion-mnist:test:classes=1").allClasses());
    }

    @Test
    void badClassSubsetsSayWhatIsWrong() {
        String expected = " (expected classes=A-B or classes=I,J,... with class indices from 0, e.g. classes=0-4 or classes=0,2,4)";
        assertMessage("data set \"fashion-mnist:classes=\": empty class list" + expected, () -> DatasetSpec.parse("fashion-mnist:classes="));
        assertMessage("data set \"fashion-mnist:classes=4-0\": class range 4-0 is empty (0 < 4)" + expected,
                () -> DatasetSpec.parse("fashion-mnist:classes=4-0"));
        assertMessage("data set \"fashion-mnist:classes=-1\": \"-1\" is not a class index" + expected,
                () -> DatasetSpec.parse("fashion-mnist:classes=-1"));
        assertMessage("data set \"fashion-mnist:classes=a-b\": \"a\" is not a class index" + expected,
                () -> DatasetSpec.parse("fashion-mnist:classes=a-b"));
        assertMessage("data set \"fashion-mnist:classes=0,,1\": empty item in class list \"0,,1\"" + expected,
                () -> DatasetSpec.parse("fashion-mnist:classes=0,,1"));
        assertMessage("data set \"fashion-mnist:classes=0-4,3\": class 3 listed twice in \"0-4,3\"",
                () -> DatasetSpec.parse("fashion-mnist:classes=0-4,3"));
        assertMessage("data set \"fashion-mnist:classes=1:classes=2\": classes= given twice; " + FORMS,
                () -> DatasetSpec.parse("fashion-mnist:classes=1:classes=2"));
        assertMessage("data set \"voc:/data/VOC2007:classes=1\": classes= applies to single-label data sets, not voc (multi-label)",
                () -> DatasetSpec.parse("voc:/data/VOC2007:classes=1"));
        assertMessage("fashion-mnist:test:classes=8-10: class 10 does not exist: the data set has 10 classes (0-9: T-shirt/top, "
                + "Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot)",
                () -> DatasetSpec.parse("fashion-mnist:test:classes=8-10").open());
    }

    @Test
    void classSubsetsRenumberLabelsAndKeepNames() throws IOException {
        ImageSource all = DatasetSpec.parse("fashion-mnist:test").open();
        ImageSource sub = DatasetSpec.parse("fashion-mnist:test:classes=5-9").open();
        assertEquals(List.of("Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"), sub.classNames());
        assertEquals(5000, sub.size());
        int j = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.label(i) >= 5) {
                assertEquals(all.label(i) - 5, sub.label(j));
                assertEquals(all.id(i), sub.id(j));
                j++;
            }
        }
        assertTrue(sub.describe().endsWith(", classes 5-9 (Sandal, Shirt, Sneaker, Bag, Ankle boot; 5000 images)"), sub.describe());
        ImageSource odd = DatasetSpec.parse("fashion-mnist:test:classes=0,2,4").open();
        assertEquals(List.of("T-shirt/top", "Pullover", "Coat"), odd.classNames());
        assertEquals(3000, odd.size());
        for (int i = 0; i < odd.size(); i++) {
            assertEquals(new int[] {0, 2, 4}[odd.label(i)], all.label(Integer.parseInt(odd.id(i).substring("test/".length()))));
        }
        assertEquals(all.image(Integer.parseInt(odd.id(7).substring(5))).width(), odd.image(7).width());

        Path folder = tmp.resolve("pets");
        ImageFolderTest.png(folder.resolve("cat/1.png"), 2, 2, 0);
        ImageFolderTest.png(folder.resolve("dog/1.png"), 2, 2, 0);
        ImageFolderTest.png(folder.resolve("dog/2.png"), 2, 2, 0);
        ImageSource dogs = DatasetSpec.parse("folder:" + folder + ":classes=1").open();
        assertEquals(List.of("dog"), dogs.classNames());
        assertEquals(List.of("dog/1.png", "dog/2.png"), List.of(dogs.id(0), dogs.id(1)));
        assertEquals(0, dogs.label(1));
    }
}
