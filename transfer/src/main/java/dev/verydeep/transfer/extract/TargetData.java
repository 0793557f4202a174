package dev.verydeep.transfer.extract;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.transfer.store.ImageEntry;
import dev.verydeep.core.data.voc.VocDataset;
import dev.verydeep.core.data.voc.VocImage;
import dev.verydeep.core.data.voc.VocObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A target data set for descriptors: its images and, per image, the ground truth the store keeps. VOC
 * ({@code voc:DIR}) is read by {@link VocDataset}; single-label kinds ({@code caltech:DIR}, {@code folder:DIR},
 * Fashion-MNIST) by core's readers.
 */
public record TargetData(String spec, String kind, ImageSource images, List<String> classes, List<ImageEntry> entries) {

    /** Opens a data set spec; {@code vocSets} chooses VOC image sets (null: all of train, val, trainval, test present). */
    public static TargetData open(String specText, List<String> vocSets) {
        DatasetSpec spec = DatasetSpec.parse(specText);
        if (spec.kind() == DatasetSpec.Kind.VOC) {
            spec.check();
            if (vocSets != null && spec.vocSet().isPresent()) {
                throw new UserException(spec + ": give the image set either in the spec or by --voc-sets, not both");
            }
            List<String> sets = vocSets != null ? vocSets : spec.vocSet().map(List::of).orElse(null);
            VocDataset voc;
            try {
                voc = VocDataset.open(spec.path(), sets);
            } catch (UserException e) {
                throw new UserException(spec + ": " + e.getMessage(), e);
            }
            List<ImageEntry> entries = new ArrayList<>();
            for (VocImage im : voc.images()) {
                List<ImageEntry.Box> boxes = new ArrayList<>();
                for (VocObject o : im.objects()) {
                    boxes.add(new ImageEntry.Box(o.classIndex(), o.difficult(), o.xmin(), o.ymin(), o.xmax(), o.ymax()));
                }
                entries.add(new ImageEntry(im.id(), null, im.truth(), im.sets(), boxes));
            }
            return new TargetData(spec.toString(), "voc", voc, voc.classes(), entries);
        }
        if (vocSets != null) {
            throw new UserException("--voc-sets applies to voc: data sets only");
        }
        ImageSource src = spec.open();
        List<ImageEntry> entries = new ArrayList<>();
        for (int i = 0; i < src.size(); i++) {
            entries.add(ImageEntry.single(src.id(i), src.label(i)));
        }
        return new TargetData(spec.toString(), "single-label", src, src.classNames(), entries);
    }
}
