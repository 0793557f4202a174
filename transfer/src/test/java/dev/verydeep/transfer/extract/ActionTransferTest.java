package dev.verydeep.transfer.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.data.voc.VocActionDataset;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.DenseWindow;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import dev.verydeep.transfer.TestModels;
import dev.verydeep.transfer.make.FashionDatasets;
import dev.verydeep.transfer.protocol.TransferJob;
import dev.verydeep.transfer.store.DescriptorStore;
import dev.verydeep.transfer.store.ImageEntry;
import dev.verydeep.transfer.svm.SvmSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VOC-2012 action classification end to end on a generated fashion-action set (per-person entries, image + box
 * descriptors, the voc2012-action protocol), the dense window in the store settings, and format 1 stores.
 */
class ActionTransferTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path action;
    static Path caltech;

    @BeforeAll
    static void setUp() {
        model = TestModels.dense(tmp.resolve("m"), 1);
        FashionMnist test = FashionMnist.open(FashionMnist.defaultDir(), FashionMnist.Split.TEST);
        action = tmp.resolve("fashion-action");
        FashionDatasets.action(test, action, 40, 1);
        caltech = tmp.resolve("fashion-caltech");
        FashionDatasets.caltech(test, caltech, 4, 1);
    }

    static ExtractJob.Request request(String data, Path out, DenseWindow window, boolean boxes) {
        return new ExtractJob.Request(List.of(model), data, null, List.of(32, 48), Aggregate.AVERAGE, out, 16, Device.CPU, 1, 2, null,
                window, boxes);
    }

    @Test
    void generatedActionSetHasOnePersonPerItemAndOneActionEach() {
        VocActionDataset d = VocActionDataset.open(action, null);
        assertEquals(FashionDatasets.CLASS_NAMES.stream().sorted().toList(), d.actions());
        assertTrue(d.size() >= 2 * 40, "2-4 items per scene, got " + d.size());
        for (VocActionDataset.Person p : d.persons()) {
            assertEquals(1, Arrays.stream(p.truth()).filter(v -> v == 1).count(), p.id());
            assertEquals(d.actions().size() - 1, Arrays.stream(p.truth()).filter(v -> v == -1).count(), p.id());
            assertEquals("person", p.box().name());
        }
        assertEquals(d.persons().stream().filter(p -> p.sets().contains("train")).count()
                + d.persons().stream().filter(p -> p.sets().contains("val")).count(),
                d.persons().stream().filter(p -> p.sets().contains("trainval")).count());
        assertEquals(d.persons().stream().filter(p -> p.sets().contains("val")).count(), VocActionDataset.open(action, "val").size());
    }

    @Test
    void imageAndBoxDescriptorsStackAndTheProtocolScoresPersons() throws IOException {
        Path img = tmp.resolve("f-img");
        Path box = tmp.resolve("f-box");
        ExtractJob.Summary si = ExtractJob.run(request("voc-action:" + action, img, DenseWindow.CENTRED, false), Map.of());
        ExtractJob.Summary sb = ExtractJob.run(request("voc-action:" + action, box, DenseWindow.CENTRED, true), Map.of());
        assertEquals(si.images(), sb.images());
        assertEquals(2 * si.dim(), sb.dim());
        DescriptorStore.Descriptors di = DescriptorStore.read(img);
        DescriptorStore.Descriptors db = DescriptorStore.read(box);
        assertEquals(DescriptorStore.FORMAT, Json.readTree(box.resolve(DescriptorStore.INDEX)).get("format").asText());
        assertTrue(db.settings().withBoxes() && !di.settings().withBoxes());
        VocActionDataset persons = VocActionDataset.open(action, null);
        int dim = si.dim();
        float[] rowI = new float[dim];
        float[] rowB = new float[2 * dim];
        boolean sameImageDiffers = false;
        for (int i = 0; i < si.images(); i++) {
            ImageEntry e = db.images().get(i);
            assertEquals(persons.persons().get(i).id(), e.id());
            assertEquals(persons.persons().get(i).imageId(), e.image());
            assertEquals(persons.persons().get(i).box().xmin(), e.box().xmin());
            for (int k = 0; k < dim; k++) {
                rowI[k] = di.matrix().get(i, k);
            }
            for (int k = 0; k < 2 * dim; k++) {
                rowB[k] = db.matrix().get(i, k);
            }
            // the first half is the image-only descriptor, scaled so the stack has unit norm
            for (int k = 0; k < dim; k++) {
                assertEquals(rowI[k] / Math.sqrt(2), rowB[k], 1e-6, "entry " + i + " feature " + k);
            }
            double n = 0;
            for (float v : rowB) {
                n += v * v;
            }
            assertEquals(1, n, 1e-4);
            if (i > 0 && e.image().equals(db.images().get(i - 1).image())) {
                // two persons of one image: same image half, different box halves
                for (int k = 0; k < dim; k++) {
                    assertEquals(db.matrix().get(i - 1, k), rowB[k], 1e-6);
                    sameImageDiffers |= Math.abs(db.matrix().get(i - 1, dim + k) - rowB[dim + k]) > 1e-4;
                }
            }
        }
        assertTrue(sameImageDiffers, "box halves of persons in one image should differ");
        // the box half is the descriptor of the box crop
        try (ModelSession s = Sessions.open(model, Device.CPU, 1)) {
            Preprocessor pre = new Preprocessor(s.model().metadata().orElseThrow().preprocessing());
            try (Extractor one = new Extractor(List.of(s), List.of(pre), List.of(32, 48), Aggregate.AVERAGE, 1, 2);
                    Extractor two = new Extractor(List.of(s), List.of(pre), List.of(32, 48), Aggregate.AVERAGE, DenseWindow.CENTRED, true, 1, 2)) {
                VocActionDataset.Person p = persons.persons().get(3);
                var whole = persons.image(3);
                Box b = Box.fromVoc(p.box().xmin(), p.box().ymin(), p.box().xmax(), p.box().ymax());
                float[] crop = one.describe(Extractor.crop(whole, b));
                float[] both = two.describe(whole, b);
                for (int k = 0; k < dim; k++) {
                    assertEquals(crop[k] / Math.sqrt(2), both[dim + k], 1e-5);
                    assertEquals(db.matrix().get(3, dim + k), both[dim + k], 1e-5);
                }
            }
        }
        SvmSettings svm = SvmSettings.defaults().withCGrid(List.of(0.1, 10.0));
        for (DescriptorStore.Descriptors d : List.of(di, db)) {
            TransferJob.Outcome o = TransferJob.run(d, new TransferJob.Request(TransferJob.Protocol.VOC2012_ACTION, null, null, null, null,
                    null, null, svm, 1));
            double map = (Double) o.result().get("mAP");
            assertTrue(map > 0 && map <= 1, "mAP " + map);
            assertEquals(10, ((Map<?, ?>) o.result().get("perClassAp")).size());
            assertEquals("train", o.result().get("trainSet"));
            assertEquals("val", o.result().get("testSet"));
            assertEquals(d.settings().withBoxes() ? "whole image and person box, stacked" : "whole image only",
                    o.result().get("descriptor_of_entry"));
            assertTrue(o.lines().get(o.lines().size() - 1).contains("persons"), o.lines().toString());
        }
        // protocol and store kind must match
        UserException e = assertThrows(UserException.class, () -> TransferJob.run(db, new TransferJob.Request(TransferJob.Protocol.VOC2007,
                null, null, null, null, null, null, svm, 1)));
        assertTrue(e.getMessage().contains("holds voc-action descriptors") && e.getMessage().contains("needs a voc: data set"), e.getMessage());
        // boxes need per-box entries
        e = assertThrows(UserException.class, () -> ExtractJob.run(request("caltech:" + caltech, tmp.resolve("f-c"), DenseWindow.CENTRED, true),
                Map.of()));
        assertTrue(e.getMessage().contains("--with-boxes") && e.getMessage().contains("voc-action"), e.getMessage());
    }

    @Test
    void theDenseWindowIsAStoreSettingAndFormatOneStoresStillReadAndResume() throws IOException {
        Path full = tmp.resolve("f-full");
        Path centred = tmp.resolve("f-centred");
        ExtractJob.run(request("caltech:" + caltech, full, DenseWindow.FULL, false), Map.of());
        ExtractJob.run(request("caltech:" + caltech, centred, DenseWindow.CENTRED, false), Map.of());
        DescriptorStore.Descriptors f = DescriptorStore.read(full);
        DescriptorStore.Descriptors c = DescriptorStore.read(centred);
        assertEquals("full", f.settings().denseWindow());
        assertEquals("centred", c.settings().denseWindow());
        // fashion-caltech images are 28 x 28: at Q=48 the windows differ, so do the descriptors
        float[] a = new float[f.settings().dim()];
        float[] b = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            a[k] = f.matrix().get(0, k);
            b[k] = c.matrix().get(0, k);
        }
        assertFalse(Arrays.equals(a, b));
        UserException e = assertThrows(UserException.class,
                () -> ExtractJob.run(request("caltech:" + caltech, full, DenseWindow.CENTRED, false), Map.of()));
        assertTrue(e.getMessage().contains("refusing to append") && e.getMessage().contains("denseWindow (full in the store vs centred now)"),
                e.getMessage());

        // A format 1 store (before the window and per-box entries): its index has neither setting.
        ObjectNode index = (ObjectNode) Json.readTree(full.resolve(DescriptorStore.INDEX));
        index.put("format", "verydeep-descriptors/1");
        ((ObjectNode) index.get("settings")).remove(List.of("denseWindow", "withBoxes"));
        Files.writeString(full.resolve(DescriptorStore.INDEX), Json.toString(index));
        DescriptorStore.Descriptors old = DescriptorStore.read(full);
        assertEquals("full", old.settings().denseWindow());
        assertFalse(old.settings().withBoxes());
        assertArrayEquals(a, java.util.Arrays.copyOf(rowOf(old, 0), a.length));
        // resumed with the setting it was made with: nothing to do, and it stays format 1
        assertEquals(0, ExtractJob.run(request("caltech:" + caltech, full, DenseWindow.FULL, false), Map.of()).imagesComputed());
        assertEquals("verydeep-descriptors/1", Json.readTree(full.resolve(DescriptorStore.INDEX)).get("format").asText());
        // with the new default: refused
        e = assertThrows(UserException.class, () -> ExtractJob.run(request("caltech:" + caltech, full, DenseWindow.CENTRED, false), Map.of()));
        assertTrue(e.getMessage().contains("denseWindow"), e.getMessage());
        // an unknown format is refused by name
        index.put("format", "verydeep-descriptors/9");
        Files.writeString(full.resolve(DescriptorStore.INDEX), Json.toString(index));
        e = assertThrows(UserException.class, () -> DescriptorStore.read(full));
        assertTrue(e.getMessage().contains("found verydeep-descriptors/9"), e.getMessage());
    }

    static float[] rowOf(DescriptorStore.Descriptors d, int row) {
        float[] out = new float[d.settings().dim()];
        for (int k = 0; k < out.length; k++) {
            out[k] = d.matrix().get(row, k);
        }
        return out;
    }
}
