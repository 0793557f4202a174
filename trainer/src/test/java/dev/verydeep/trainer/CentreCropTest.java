package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.AugmentSettings;
import dev.verydeep.core.image.Augmenter;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.image.ColourStats;
import dev.verydeep.core.net.Head;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protocol 1's geometry: a net that predicts the ground truth exactly scores IoU 1 wherever the object fits the crop. */
class CentreCropTest {
    @TempDir
    Path tmp;

    @Test
    void anOracleScoresOneOnObjectsInsideTheCentralCropAndPcrReadsTheGroundTruthClass() throws Exception {
        ImageSource data = DatasetSpec.parse("voc:" + TinyVoc.write(tmp.resolve("voc"), 30, 5) + ":train").open();
        int crop = 32;
        int q = 40;
        Augmenter centre = new Augmenter(new AugmentSettings(crop, q, q, false, 0), ColourStats.of(new double[3], new double[3][3]));
        int[] next = {0};
        // PCR over 3 classes: the true box in the ground-truth class's 4 outputs, nonsense in the others.
        CentreCrop.Forward oracle = (inputs, n) -> {
            float[] out = new float[n * 12];
            java.util.Arrays.fill(out, 9f);
            for (int j = 0; j < n; j++, next[0]++) {
                int i = next[0];
                var img = data.image(i);
                int[] w = Augmenter.centreWindow(img.width(), img.height(), q, crop);
                Box inCrop = data.boxes(i).get(0).scale((double) w[0] / img.width(), (double) w[1] / img.height())
                        .translate(-w[2], -w[3]).clip(crop, crop);
                System.arraycopy(inCrop.encode(0, 0, crop), 0, out, j * 12 + 4 * data.label(i), 4);
            }
            return out;
        };
        CentreCrop.Localisation loc = CentreCrop.localisation(data, centre, q, 7, Head.PCR, oracle);
        assertEquals(30, loc.images());
        int inside = 0;
        double expected = 0;
        for (int i = 0; i < data.size(); i++) {
            var img = data.image(i);
            int[] w = Augmenter.centreWindow(img.width(), img.height(), q, crop);
            Box scaled = data.boxes(i).get(0).scale((double) w[0] / img.width(), (double) w[1] / img.height());
            Box clipped = scaled.translate(-w[2], -w[3]).clip(crop, crop).translate(w[2], w[3]);
            expected += clipped.iou(scaled);
            inside += clipped.iou(scaled) > 0.999 ? 1 : 0;
        }
        assertTrue(inside > 0, "some objects fit the crop");
        assertEquals(expected / 30, loc.meanIou(), 1e-5, "IoU of the crop-clipped truth with the truth");
        // The same outputs read as SCR take the first 4 (another class's or nonsense): much worse.
        next[0] = 0;
        CentreCrop.Localisation scr = CentreCrop.localisation(data, centre, q, 7, Head.SCR, oracle);
        assertTrue(scr.meanIou() < loc.meanIou() / 2, scr + " vs " + loc);
    }
}
