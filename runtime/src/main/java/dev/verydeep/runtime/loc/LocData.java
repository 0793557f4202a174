package dev.verydeep.runtime.loc;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.voc.VocDataset;
import dev.verydeep.core.data.voc.VocImage;
import dev.verydeep.core.data.voc.VocObject;
import dev.verydeep.core.image.Box;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The images a localisation test reads: one image set of a VOC devkit folder, {@code voc:DIR[:SET]} (SET
 * defaults to {@code test}), optionally its first {@code limit} images.
 *
 * <p>Samples: every (image, class) pair with at least one non-difficult object of the class is one sample,
 * so an image with objects of several classes counts once per class. Difficult objects are ignored as VOC
 * does: a class present only as difficult objects makes no sample, and a box matching a difficult object of the
 * sample's class is not counted wrong (all boxes of the class are ground truth for the IoU test).
 *
 * @param spec   the data set as given, canonical ({@code voc:/abs/dir:set})
 * @param voc    the set read
 * @param set    the image set's name
 * @param images the images tested, in set order
 * @param inSet  images in the set (before the limit)
 */
public record LocData(String spec, VocDataset voc, String set, List<VocImage> images, int inSet) {
    public static final String DEFAULT_SET = "test";

    /** Opens {@code voc:DIR[:SET]}, the first {@code limit} images ({@code 0}: all). */
    public static LocData open(String text, int limit) {
        String t = text == null ? "" : text.strip();
        if (!t.toLowerCase(Locale.ROOT).startsWith("voc:")) {
            throw new UserException("--data '" + text + "': localisation reads a VOC devkit folder with boxes, voc:DIR[:SET] (e.g. voc:gen/fashion-voc:test)");
        }
        if (limit < 0) {
            throw new UserException("--limit must be 0 (all) or positive, got " + limit);
        }
        DatasetSpec spec = DatasetSpec.parse(t); // voc:DIR or voc:DIR:SET, as for train
        spec.check();
        String set = spec.imageSet().orElse(DEFAULT_SET);
        String base = "voc:" + spec.path(); // the spec without its set, for names and messages
        Path sets = spec.path().resolve("ImageSets/Main");
        if (!Files.isRegularFile(sets.resolve(set + ".txt"))) {
            throw new UserException("--data " + text + ": no image set '" + set + "' (" + sets.resolve(set + ".txt") + " is missing); name one as voc:DIR:SET");
        }
        VocDataset voc;
        try {
            voc = VocDataset.open(spec.path(), List.of(set));
        } catch (UserException e) {
            throw new UserException(base + ": " + e.getMessage(), e);
        }
        List<VocImage> byId = new ArrayList<>();
        java.util.Map<String, VocImage> index = new java.util.HashMap<>();
        voc.images().forEach(im -> index.put(im.id(), im));
        for (String id : voc.sets().get(set)) {
            byId.add(index.get(id));
        }
        int n = limit > 0 ? Math.min(limit, byId.size()) : byId.size();
        return new LocData(base + ":" + set, voc, set, List.copyOf(byId.subList(0, n)), byId.size());
    }

    public List<String> classes() {
        return voc.classes();
    }

    /** The classes of {@code im} that make samples (a non-difficult object), in class order. */
    public static List<Integer> sampleClasses(VocImage im) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < im.truth().length; c++) {
            if (im.truth()[c] == 1) {
                out.add(c);
            }
        }
        return out;
    }

    /** Ground-truth boxes of class {@code c} in {@code im} (difficult ones included, see the class comment). */
    public static List<Box> boxes(VocImage im, int c) {
        List<Box> out = new ArrayList<>();
        for (VocObject o : im.objects()) {
            if (o.classIndex() == c) {
                out.add(Box.fromVoc(o.xmin(), o.ymin(), o.xmax(), o.ymax()));
            }
        }
        return out;
    }

    /** The highest IoU of {@code b} with any of {@code truth} (0 when {@code b} is null or there is none). */
    public static double bestIou(Box b, List<Box> truth) {
        double best = 0;
        if (b != null) {
            for (Box t : truth) {
                best = Math.max(best, b.iou(t));
            }
        }
        return best;
    }
}
