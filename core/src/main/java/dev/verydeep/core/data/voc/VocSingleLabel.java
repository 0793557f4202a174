package dev.verydeep.core.data.voc;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.data.LabelledImages;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A VOC data set read the ILSVRC-localisation way: every image shows objects of one class, which is its
 * label, and {@link #boxes} are those objects' boxes. This is how the trainer reads {@code voc:DIR[:SET]}
 * (classification on the same images, then box regression). An image with objects of several classes, or
 * none, is an error naming its annotation file: such data needs the multi-label (transfer) reader.
 */
public final class VocSingleLabel extends LabelledImages {
    private final VocDataset voc;
    private final String set;
    private final List<List<Box>> boxes;

    private VocSingleLabel(VocDataset voc, String set, int[] labels, List<List<Box>> boxes) {
        super(labels, voc.classes());
        this.voc = voc;
        this.set = set;
        this.boxes = boxes;
    }

    /** Reads image set {@code set} of the devkit folder {@code root} ({@code null}: every default set present). */
    public static VocSingleLabel open(Path root, String set) {
        VocDataset voc = VocDataset.open(root, set == null ? null : List.of(set));
        int[] labels = new int[voc.size()];
        List<List<Box>> boxes = new ArrayList<>();
        for (int i = 0; i < voc.size(); i++) {
            VocImage im = voc.images().get(i);
            Path ann = voc.root().resolve("Annotations").resolve(im.id() + ".xml");
            List<String> classes = im.objects().stream().map(VocObject::name).distinct().toList();
            if (classes.isEmpty()) {
                throw new UserException(ann + ": no objects, so no class (single-label training needs one class per image)");
            }
            if (classes.size() > 1) {
                throw new UserException(ann + ": objects of " + classes.size() + " classes (" + String.join(", ", classes)
                        + "); single-label training needs one class per image (e.g. make-dataset fashion-loc)");
            }
            labels[i] = im.objects().get(0).classIndex();
            boxes.add(im.objects().stream().map(o -> Box.fromVoc(o.xmin(), o.ymin(), o.xmax(), o.ymax())).toList());
        }
        return new VocSingleLabel(voc, set, labels, List.copyOf(boxes));
    }

    /** The multi-label reader underneath (annotations, sets). */
    public VocDataset voc() {
        return voc;
    }

    @Override
    public RgbImage image(int i) {
        return voc.image(i);
    }

    @Override
    public String id(int i) {
        return voc.id(i);
    }

    @Override
    public List<Box> boxes(int i) {
        return boxes.get(i);
    }

    @Override
    public String describe() {
        return "voc:" + voc.root() + (set == null ? "" : ":" + set) + " (" + size() + " images, " + classNames().size()
                + " classes, one class per image)";
    }

    @Override
    public String toString() {
        return describe();
    }
}
