package dev.verydeep.runtime.loc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verydeep.core.image.Box;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.net.Head;
import dev.verydeep.runtime.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dense graph's cells, through ONNX Runtime, land on the windows they see. */
class BoxPredictorTest {
    @TempDir
    Path tmp;

    private static Set<String> keys(List<LocBox> boxes) {
        Set<String> out = new TreeSet<>();
        for (LocBox b : boxes) {
            Box x = b.box();
            out.add(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%.4f", x.x0(), x.y0(), x.x1(), x.y1()));
        }
        return out;
    }

    private static List<LocBox> predict(Path model, boolean centred, int q, RgbImage img) {
        LocSettings s = new LocSettings(Protocol.FULL, List.of(q), true, centred, GreedyMerge.THRESHOLD, 1, Device.CPU, false);
        try (LocNet net = LocNet.open(model, s, LocFixtures.dataClasses())) {
            return new BoxPredictor(List.of(net), s).predict(img).get(0).get(0);
        }
    }

    @Test
    void everyCellAndItsMirrorGiveTheirWindow() {
        Path scr = LocFixtures.export(tmp.resolve("scr"), Head.SCR, LocFixtures.dataClasses(), LocFixtures.FULL_WINDOW).dense();
        // 200 x 140 at Q = 70: 100 x 70 (factor 2). Full window: the graph uses the top-left 96 x 64 pixels, 3 x 2 cells
        // at (32 j, 32 i); mirrored, it uses the top-left of the mirrored image, whose cells are the windows at
        // x = 100 - 32 - 32 j = 68, 36, 4 of the image.
        RgbImage img = new RgbImage(200, 140, new float[3 * 200 * 140]);
        List<LocBox> boxes = predict(scr, false, 70, img);
        assertEquals(12, boxes.size());
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 2; i++) {
            for (int x : new int[] {0, 32, 64, 68, 36, 4}) {
                expected.add(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%.4f", 2.0 * x, 2.0 * 32 * i, 2.0 * (x + 32), 2.0 * (32 * i + 32)));
            }
        }
        assertEquals(expected, keys(boxes));
        // Centred: the window is the central 96 x 64 at (2, 3); its mirror covers the same pixels, so the same windows.
        List<LocBox> centred = predict(scr, true, 70, img);
        Set<String> c = new TreeSet<>();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                c.add(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%.4f", 2.0 * (2 + 32 * j), 2.0 * (3 + 32 * i), 2.0 * (34 + 32 * j),
                        2.0 * (35 + 32 * i)));
            }
        }
        assertEquals(12, centred.size());
        assertEquals(c, keys(centred));
    }
}
