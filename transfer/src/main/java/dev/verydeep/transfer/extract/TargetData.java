package dev.verydeep.transfer.extract;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.ImageScan;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.data.voc.VocActionDataset;
import dev.verydeep.core.data.voc.VocDataset;
import dev.verydeep.core.data.voc.VocImage;
import dev.verydeep.core.data.voc.VocObject;
import dev.verydeep.core.image.Box;
import dev.verydeep.transfer.store.ImageEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A target data set for descriptors: its images and, per image, the ground truth the store keeps. VOC
 * ({@code voc:DIR}) is read by {@link VocDataset}; single-label kinds ({@code caltech:DIR}, {@code folder:DIR},
 * Fashion-MNIST) by core's readers; VOC actions ({@code voc-action:DIR[:SET]}) by {@link VocActionDataset}, one
 * entry per person. {@code boxes}: per entry, the box whose crop is described with the image
 * (null for data sets whose entries are whole images).
 */
public record TargetData(String spec, String kind, ImageSource images, List<String> classes, List<ImageEntry> entries, List<Box> boxes) {

    /** The images the decoder accepts, with their entries, and those it refuses (see {@link ImageScan}). */
    public record Readable(TargetData data, List<ImageScan.Skipped> skipped) {
    }

    /** Leaves out the images the decoder refuses (or stops at the first one when {@code strict}). */
    public Readable readable(boolean strict) {
        ImageScan.Result scan = ImageScan.scan(images, strict);
        if (scan.skipped().isEmpty()) {
            return new Readable(this, List.of());
        }
        List<ImageEntry> kept = new ArrayList<>();
        List<Box> keptBoxes = boxes == null ? null : new ArrayList<>();
        for (int i : scan.keptIndices()) {
            kept.add(entries.get(i));
            if (keptBoxes != null) {
                keptBoxes.add(boxes.get(i));
            }
        }
        return new Readable(new TargetData(spec, kind, scan.kept(), classes, kept, keptBoxes == null ? null : List.copyOf(keptBoxes)),
                scan.skipped());
    }

    /** Opens a data set spec; {@code vocSets} chooses VOC image sets (null: all of train, val, trainval, test present). */
    public static TargetData open(String specText, List<String> vocSets) {
        DatasetSpec spec = DatasetSpec.parse(specText);
        if (spec.kind() == DatasetSpec.Kind.VOC_ACTION) {
            if (vocSets != null) {
                throw new UserException("--voc-sets applies to voc: data sets; name the set in the spec: voc-action:DIR:SET");
            }
            return action(spec);
        }
        if (spec.kind() == DatasetSpec.Kind.VOC) {
            spec.check();
            if (vocSets != null && spec.imageSet().isPresent()) {
                throw new UserException(spec + ": give the image set either in the spec or by --voc-sets, not both");
            }
            List<String> sets = vocSets != null ? vocSets : spec.imageSet().map(List::of).orElse(null);
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
            return new TargetData(spec.toString(), "voc", voc, voc.classes(), entries, null);
        }
        if (vocSets != null) {
            throw new UserException("--voc-sets applies to voc: data sets only");
        }
        return singleLabel(spec);
    }

    /** One entry per annotated person: its action labels, sets, image and box. */
    private static TargetData action(DatasetSpec spec) {
        spec.check();
        VocActionDataset voc;
        try {
            voc = VocActionDataset.open(spec.path(), spec.imageSet().orElse(null));
        } catch (UserException e) {
            throw new UserException(spec + ": " + e.getMessage(), e);
        }
        List<ImageEntry> entries = new ArrayList<>();
        List<Box> boxes = new ArrayList<>();
        for (VocActionDataset.Person p : voc.persons()) {
            VocObject o = p.box();
            entries.add(new ImageEntry(p.id(), null, p.truth(), p.sets(), null, p.imageId(),
                    new ImageEntry.Box(-1, o.difficult(), o.xmin(), o.ymin(), o.xmax(), o.ymax())));
            boxes.add(Box.fromVoc(o.xmin(), o.ymin(), o.xmax(), o.ymax()));
        }
        return new TargetData(spec.toString(), "voc-action", voc, voc.actions(), entries, List.copyOf(boxes));
    }

    private static TargetData singleLabel(DatasetSpec spec) {
        ImageSource src = spec.open();
        List<ImageEntry> entries = new ArrayList<>();
        for (int i = 0; i < src.size(); i++) {
            entries.add(ImageEntry.single(src.id(i), src.label(i)));
        }
        return new TargetData(spec.toString(), "single-label", src, src.classNames(), entries, null);
    }
}
