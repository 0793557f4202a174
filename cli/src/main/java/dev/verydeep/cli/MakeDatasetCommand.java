package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.data.FashionMnistSample;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verydeep make-dataset}: deterministic transfer benchmarks from Fashion-MNIST's test split, and the shipped sample. */
@Command(name = "make-dataset", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a transfer benchmark made from the Fashion-MNIST test split, in a real layout (same seed, same bytes).",
            "fashion-mnist-sample: a stratified sample of the full Fashion-MNIST (--train-per-class, --test-per-class), IDX gzipped, "
                    + "with sample.json (checksums, chosen indices, this command): how golden-data's shipped sample was made.",
            "fashion-caltech: Caltech layout (a folder per class) of classes 5-9 (sandal, shirt, sneaker, bag, ankle_boot), PNG.",
            "fashion-voc: VOC devkit layout; scenes of 2-4 items of the 10 classes at random sizes (14-62 px) and positions, "
                    + "XML boxes (items under 16 px difficult), ImageSets/Main train/val/trainval/test and per-class files.",
            "fashion-action: VOC-2012 action layout; the same scenes, every item a person whose action is its class; "
                    + "ImageSets/Action/<set>.txt and <action>_<set>.txt (id, person index, 1/-1), <actions> in the XML.",
            "fashion-loc: the same scenes ILSVRC-localisation-like: one class per scene, one item (two in a quarter of the scenes); "
                    + "for train --data voc:DIR:trainval, train-loc and localize."})
final class MakeDatasetCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KIND", description = "fashion-caltech, fashion-voc, fashion-action, fashion-loc or fashion-mnist-sample.")
    String kind;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create (must not exist or be empty).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--per-class", defaultValue = "100", description = "fashion-caltech: images per class. Default: ${DEFAULT-VALUE}.")
    int perClass;

    @Option(names = "--images", defaultValue = "400", description = "fashion-voc, fashion-action, fashion-loc: number of scenes. Default: ${DEFAULT-VALUE}.")
    int images;

    @Option(names = "--train-per-class", defaultValue = "100", description = "fashion-mnist-sample: training images per class. Default: ${DEFAULT-VALUE}.")
    int trainPerClass;

    @Option(names = "--test-per-class", defaultValue = "50", description = "fashion-mnist-sample: test images per class. Default: ${DEFAULT-VALUE}.")
    int testPerClass;

    @Option(names = "--fashion-mnist", paramLabel = "DIR", description = "Fashion-MNIST folder (default: $VERYDEEP_FASHION_MNIST or the Debian path, "
            + "else the shipped sample, except for fashion-mnist-sample which needs the full set).")
    Path fashionDir;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (kind.equals("fashion-mnist-sample")) {
            FashionMnistSample.write(fashionDir != null ? fashionDir : FashionMnist.defaultDir(), out, trainPerClass, testPerClass, seed,
                    CommandLines.of(spec));
            spec.commandLine().getOut().println("wrote " + out + " (" + FashionMnistSample.INFO + " records how)");
            spec.commandLine().getOut().flush();
            return 0;
        }
        FashionMnist test = fashionDir != null ? FashionMnist.open(fashionDir, FashionMnist.Split.TEST) : FashionMnist.openDefault(FashionMnist.Split.TEST);
        switch (kind) {
            case "fashion-caltech" -> dev.verydeep.transfer.make.FashionDatasets.caltech(test, out, perClass, seed);
            case "fashion-voc" -> dev.verydeep.transfer.make.FashionDatasets.voc(test, out, images, seed);
            case "fashion-action" -> dev.verydeep.transfer.make.FashionDatasets.action(test, out, images, seed);
            case "fashion-loc" -> dev.verydeep.transfer.make.FashionDatasets.loc(test, out, images, seed);
            default -> throw new UserException("unknown data set kind '" + kind + "' (expected fashion-caltech, fashion-voc, fashion-action, fashion-loc or fashion-mnist-sample)");
        }
        String prefix = switch (kind) {
            case "fashion-voc", "fashion-loc" -> "voc:";
            case "fashion-action" -> "voc-action:";
            default -> "caltech:";
        };
        String spec2 = prefix + out.toAbsolutePath().normalize();
        spec.commandLine().getOut().println("wrote " + out + "; use --data " + spec2
                + (kind.equals("fashion-loc") ? ":trainval to train, " + spec2 + ":test to evaluate (" + spec2 + " alone reads every set)" : ""));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
