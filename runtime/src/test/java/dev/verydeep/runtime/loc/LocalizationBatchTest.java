package dev.verydeep.runtime.loc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.net.Head;
import dev.verydeep.runtime.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batching the box nets across images and decoding each image once (the classifier's pass hands its rescaled images
 * to the box nets) must not change a result: nets with random weights, whose every box depends on the image, on
 * noise images of several sizes (so several input shapes, batches of mixed images and part-filled batches).
 */
class LocalizationBatchTest {
    @TempDir
    static Path tmp;
    static Path voc;
    static Path scr;
    static Path pcr;
    static Path cls;

    private static final List<String> CLASSES = LocFixtures.dataClasses();
    private static final float[] BOX = {0.5f, 0.5f, 0.8f, 0.8f};

    @BeforeAll
    static void build() {
        List<LocFixtures.Scene> scenes = new ArrayList<>();
        int[][] sizes = {{64, 64}, {80, 64}, {64, 96}, {100, 70}, {64, 64}, {90, 90}, {72, 64}};
        for (int i = 0; i < sizes.length; i++) {
            int w = sizes[i][0];
            int h = sizes[i][1];
            scenes.add(new LocFixtures.Scene("img" + (i + 1), w, h, List.of(new LocFixtures.Obj("k" + (i % 10), w / 4, h / 4, 3 * w / 4, 3 * h / 4, false))));
        }
        voc = tmp.resolve("voc");
        LocFixtures.writeVoc(voc, CLASSES, "test", scenes);
        scr = LocFixtures.exportRandom(tmp.resolve("scr"), Head.SCR, CLASSES, BOX, 0.002f, 3).dense();
        pcr = LocFixtures.exportRandom(tmp.resolve("pcr"), Head.PCR, CLASSES, LocFixtures.pcrBias(CLASSES, java.util.Map.of(), BOX), 0.002f, 4).dense();
        cls = LocFixtures.exportRandom(tmp.resolve("cls"), Head.CLASSES, CLASSES, new float[CLASSES.size()], 1f, 5).dense();
    }

    private static LocSettings settings(Protocol p, boolean flip, List<Integer> scales, boolean strict, int batch) {
        return new LocSettings(p, scales, flip, true, GreedyMerge.THRESHOLD, 1, Device.CPU, strict, batch);
    }

    private static Localization.Result run(Path data, List<Path> loc, Path cls, LocSettings s) {
        return Localization.run(loc, cls, LocData.open("voc:" + data + ":test", 0), s, null);
    }

    /** A row without its seconds (timing, which may differ). */
    private static List<Object> numbers(LocRow r) {
        return List.of(r.nets(), r.scales(), r.images(), r.samples(), r.top5LocErrors(), r.gtLocErrors(), r.clsTop5Errors(), r.gtMeanIou());
    }

    private static void assertSameResults(Localization.Result expected, Localization.Result actual) {
        assertEquals(expected.rows().size(), actual.rows().size());
        for (int i = 0; i < expected.rows().size(); i++) {
            assertEquals(numbers(expected.rows().get(i)), numbers(actual.rows().get(i)), "row " + i);
        }
        // Records all the way down: every class, score, box coordinate and outcome, compared exactly.
        assertEquals(expected.images(), actual.images());
        assertEquals(expected.skipped(), actual.skipped());
    }

    private static Set<Box> boxes(Localization.Result r) {
        Set<Box> out = new HashSet<>();
        r.images().forEach(im -> im.predictions().stream().map(Localization.Prediction::box).filter(Objects::nonNull).forEach(out::add));
        return out;
    }

    @Test
    void theBatchSizeChangesNoResult() {
        List<Path> nets = List.of(scr, pcr);
        List<Integer> scales = List.of(40, 64);
        Localization.Result one = run(voc, nets, cls, settings(Protocol.FULL, true, scales, false, 1));
        // The test means something only if the boxes depend on the image and the merge has work to do.
        assertEquals(7, one.images().size());
        assertTrue(boxes(one).size() >= 7 * 5, "distinct predicted boxes: " + boxes(one).size());
        assertTrue(one.images().stream().flatMap(im -> im.predictions().stream()).anyMatch(p -> p.boxesMerged() > 1));
        for (int batch : new int[] {3, 64}) {
            assertSameResults(one, run(voc, nets, cls, settings(Protocol.FULL, true, scales, false, batch)));
        }
        Localization.Result crop = run(voc, List.of(pcr), null, settings(Protocol.CENTER_CROP_GT, false, List.of(40), false, 1));
        assertSameResults(crop, run(voc, List.of(pcr), null, settings(Protocol.CENTER_CROP_GT, false, List.of(40), false, 4)));
    }

    @Test
    void theClassifiersImagesGiveTheBoxesOfAnOwnDecode() {
        // Protocol 1 without a classifier decodes and rescales the images itself; with one, it takes the
        // classifier pass's. The boxes for the class given must be the same.
        LocSettings s = settings(Protocol.CENTER_CROP_GT, false, List.of(48), false, 64);
        Localization.Result own = run(voc, List.of(pcr), null, s);
        Localization.Result shared = run(voc, List.of(pcr), cls, s);
        assertEquals(own.images().size(), shared.images().size());
        for (int i = 0; i < own.images().size(); i++) {
            assertEquals(own.images().get(i).samples().stream().map(x -> List.of(x.gtBox(), x.gtIou(), x.gtCorrect())).toList(),
                    shared.images().get(i).samples().stream().map(x -> List.of(x.gtBox(), x.gtIou(), x.gtCorrect())).toList(), "image " + i);
        }
        assertEquals(numbers(own.rows().get(0)).subList(0, 6), numbers(shared.rows().get(0)).subList(0, 6));
    }

    @Test
    void aCorruptImageInTheMiddleOfABatchIsSkippedAndReported() throws IOException {
        Path broken = tmp.resolve("broken");
        copyTree(voc, broken);
        Files.writeString(broken.resolve("JPEGImages/img4.png"), "not a PNG");
        List<Path> nets = List.of(scr, pcr);
        List<Integer> scales = List.of(40, 64);
        Localization.Result clean = run(voc, nets, cls, settings(Protocol.FULL, true, scales, false, 64));
        Localization.Result full = run(broken, nets, cls, settings(Protocol.FULL, true, scales, false, 64));
        Localization.Result crop = run(broken, List.of(pcr), null, settings(Protocol.CENTER_CROP_GT, false, List.of(40), false, 64));
        for (Localization.Result r : List.of(full, crop)) {
            assertEquals(1, r.skipped().size());
            assertEquals("img4", r.skipped().get(0).id());
            assertEquals(3, r.skipped().get(0).index());
            assertTrue(r.skipped().get(0).reason().contains("img4.png"), r.skipped().get(0).reason());
            assertEquals(6, r.rows().get(r.rows().size() - 1).images());
        }
        // The images around it keep exactly the results they have in the clean set.
        List<Localization.ImageResult> expected = new ArrayList<>(clean.images());
        expected.remove(3);
        assertEquals(expected, full.images());
        for (Localization.Result r : List.of(full, crop)) {
            assertTrue(r.images().stream().noneMatch(im -> im.id().equals("img4")));
        }
        LocSettings strict = settings(Protocol.FULL, true, scales, true, 64);
        UserException e = assertThrows(UserException.class, () -> run(broken, nets, cls, strict));
        assertTrue(e.getMessage().contains("img4.png") && e.getMessage().contains("--strict"), e.getMessage());
        LocSettings strictCrop = settings(Protocol.CENTER_CROP_GT, false, List.of(40), true, 64);
        e = assertThrows(UserException.class, () -> run(broken, List.of(pcr), null, strictCrop));
        assertTrue(e.getMessage().contains("img4.png") && e.getMessage().contains("--strict"), e.getMessage());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
