package dev.verydeep.core.data.voc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.data.Splits;
import dev.verydeep.core.image.Box;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code voc:DIR[:SET]} read single-label with boxes, as the trainer reads localisation data. */
class VocSingleLabelTest {
    @TempDir
    Path root;

    private void layout(String objects1) throws IOException {
        VocDatasetTest t = new VocDatasetTest();
        t.root = root;
        t.layout(VocDatasetTest.ann(objects1));
        Files.writeString(root.resolve("ImageSets/Main/val.txt"), "a2\n");
    }

    @Test
    void labelIsTheOneClassAndBoxesAreItsObjectsInContinuousCoordinates() throws IOException {
        layout(VocDatasetTest.object("cat", 0, 2, 3, 20, 30) + VocDatasetTest.object("cat", 0, 25, 1, 40, 10));
        ImageSource src = DatasetSpec.parse("voc:" + root).open();
        assertEquals(List.of("cat", "dog"), src.classNames());
        assertEquals(2, src.size());
        assertEquals(0, src.label(0));
        assertEquals(1, src.label(1));
        assertEquals(List.of(new Box(1, 2, 20, 30), new Box(24, 0, 40, 10)), src.boxes(0));
        assertEquals(List.of(new Box(0, 0, 10, 10)), src.boxes(1));
        // A subset (the trainer's validation split) keeps the boxes of its images.
        Splits.Split2 split = Splits.trainValidation(src, 0.5, 1);
        for (ImageSource part : List.of(split.train(), split.validation())) {
            for (int i = 0; i < part.size(); i++) {
                assertEquals(part.label(i) == 0 ? 2 : 1, part.boxes(i).size());
            }
        }
    }

    @Test
    void aSetNamedInTheSpecReadsOnlyThatSet() throws IOException {
        layout(VocDatasetTest.object("cat", 0, 2, 3, 20, 30));
        DatasetSpec spec = DatasetSpec.parse("voc:" + root + ":val");
        assertEquals("val", spec.imageSet().orElseThrow());
        assertEquals(root.toAbsolutePath().normalize(), spec.path());
        assertEquals(spec, DatasetSpec.parse(spec.toString()));
        ImageSource val = spec.open();
        assertEquals(1, val.size());
        assertEquals("a2", val.id(0));
        assertTrue(val.describe().contains(":val"), val.describe());
        assertTrue(DatasetSpec.parse("voc:" + root).imageSet().isEmpty());
        UserException e = assertThrows(UserException.class, () -> DatasetSpec.parse("voc:" + root + ":nosuchset").open());
        assertTrue(e.getMessage().contains("nosuchset.txt"), e.getMessage());
    }

    @Test
    void anImageWithSeveralClassesIsAnErrorNamingIt() throws IOException {
        layout(VocDatasetTest.object("cat", 0, 2, 3, 20, 30) + VocDatasetTest.object("dog", 0, 25, 1, 40, 10));
        Files.writeString(root.resolve("ImageSets/Main/dog_train.txt"), "a1  1\na2  0\n");
        UserException e = assertThrows(UserException.class, () -> DatasetSpec.parse("voc:" + root).open());
        assertTrue(e.getMessage().contains("a1.xml") && e.getMessage().contains("2 classes (cat, dog)"), e.getMessage());
    }
}
