package dev.verydeep.transfer.make;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.data.ImageFolder;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.data.voc.VocDataset;
import dev.verydeep.core.data.voc.VocImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionDatasetsTest {
    @TempDir
    static Path tmp;
    static FashionMnist test;

    @BeforeAll
    static void load() {
        test = FashionMnist.open(FashionMnist.defaultDir(), FashionMnist.Split.TEST);
    }

    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(p -> m.put(root.relativize(p).toString(), Hashes.sha256(p)));
        }
        return m;
    }

    @Test
    void caltechIsDeterministicAndReadable() throws IOException {
        FashionDatasets.caltech(test, tmp.resolve("c1"), 12, 7);
        FashionDatasets.caltech(test, tmp.resolve("c2"), 12, 7);
        FashionDatasets.caltech(test, tmp.resolve("c3"), 12, 8);
        assertEquals(hashes(tmp.resolve("c1")), hashes(tmp.resolve("c2")));
        assertTrue(!hashes(tmp.resolve("c1")).equals(hashes(tmp.resolve("c3"))), "another seed, other images");
        ImageFolder f = ImageFolder.open(tmp.resolve("c1"));
        assertEquals(java.util.List.of("ankle_boot", "bag", "sandal", "shirt", "sneaker"), f.classNames());
        assertEquals(60, f.size());
        assertEquals(28, f.image(0).width());
        UserException e = assertThrows(UserException.class, () -> FashionDatasets.caltech(test, tmp.resolve("c1"), 12, 7));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
    }

    @Test
    void vocIsDeterministicAndReadable() throws IOException {
        FashionDatasets.voc(test, tmp.resolve("v1"), 24, 3);
        FashionDatasets.voc(test, tmp.resolve("v2"), 24, 3);
        assertEquals(hashes(tmp.resolve("v1")), hashes(tmp.resolve("v2")));
        VocDataset voc = VocDataset.open(tmp.resolve("v1"));
        assertEquals(FashionDatasets.CLASS_NAMES.stream().sorted().toList(), voc.classes());
        assertEquals(24, voc.size());
        assertEquals(12, voc.sets().get("test").size());
        assertEquals(12, voc.sets().get("trainval").size());
        int objects = 0;
        boolean difficult = false;
        for (VocImage im : voc.images()) {
            assertTrue(im.objects().size() >= 2 && im.objects().size() <= 4, im.id() + ": " + im.objects().size() + " objects");
            objects += im.objects().size();
            difficult |= im.objects().stream().anyMatch(o -> o.difficult());
            assertEquals(im.width(), voc.image(voc.images().indexOf(im)).width());
        }
        assertTrue(objects >= 48);
        assertTrue(difficult, "some tiny items are difficult");
    }

    @Test
    void locIsDeterministicSingleClassAndReadsWithBoxes() throws IOException {
        FashionDatasets.loc(test, tmp.resolve("l1"), 40, 3);
        FashionDatasets.loc(test, tmp.resolve("l2"), 40, 3);
        FashionDatasets.loc(test, tmp.resolve("l3"), 40, 4);
        assertEquals(hashes(tmp.resolve("l1")), hashes(tmp.resolve("l2")));
        assertTrue(!hashes(tmp.resolve("l1")).equals(hashes(tmp.resolve("l3"))), "another seed, other scenes");
        VocDataset voc = VocDataset.open(tmp.resolve("l1"));
        assertEquals(FashionDatasets.CLASS_NAMES.stream().sorted().toList(), voc.classes());
        assertEquals(40, voc.size());
        assertEquals(20, voc.sets().get("test").size());
        assertEquals(20, voc.sets().get("trainval").size());
        int twos = 0;
        java.util.Set<String> classes = new java.util.HashSet<>();
        for (VocImage im : voc.images()) {
            assertTrue(im.objects().size() == 1 || im.objects().size() == 2, im.id() + ": " + im.objects().size() + " objects");
            assertEquals(1, im.objects().stream().map(o -> o.name()).distinct().count(), im.id() + ": one class per scene");
            twos += im.objects().size() == 2 ? 1 : 0;
            classes.add(im.objects().get(0).name());
            assertTrue(im.width() >= 112 && im.width() <= 144 && im.height() >= 84 && im.height() <= 108, im.id());
        }
        assertTrue(twos >= 3 && twos <= 20, "about a quarter of the scenes hold two items: " + twos);
        assertTrue(classes.size() >= 8, "scenes of most classes: " + classes);
        // The trainer's reader: one label per image, boxes in continuous coordinates inside the image.
        var single = dev.verydeep.core.data.DatasetSpec.parse("voc:" + tmp.resolve("l1") + ":trainval").open();
        assertEquals(20, single.size());
        for (int i = 0; i < single.size(); i++) {
            String id = single.id(i);
            VocImage im = voc.images().stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
            assertEquals(voc.classes().indexOf(im.objects().get(0).name()), single.label(i));
            for (var b : single.boxes(i)) {
                assertTrue(b.x0() >= 0 && b.y0() >= 0 && b.width() >= 1 && b.height() >= 1, b.toString());
            }
        }
        String info = Files.readString(tmp.resolve("l1/verydeep-dataset.json"));
        assertTrue(info.contains("fashion-loc"), info);
    }
}
