package dev.verydeep.trainer;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.data.ImageScan;
import dev.verydeep.core.image.ColourStats;
import java.util.List;

/**
 * {@code run.json}: how a run was made. Written once when the run starts; a resumed run reads its
 * settings from here so it continues exactly as it began.
 *
 * @param classNames class names of the training data, index = label
 * @param colourStats training-set mean RGB (subtracted from every input) and RGB covariance eigen-decomposition (colour shift)
 * @param dataDescription what the training data resolved to (path, split, counts)
 * @param devices devices actually used; {@code deviceFallback} says why they differ from the request
 * @param initFromCopied tensor names taken from {@code initFrom}, with {@code initFromSha256} the hash of the file they came from
 * @param skippedImages images of the data set the decoder refused, left out of training (file and reason)
 * @param frozenTensors tensors that never change in this run ({@link TrainSettings.Finetune#FC}: every conv layer's); empty when all learn
 */
public record RunInfo(
        int format,
        TrainSettings settings,
        List<String> classNames,
        ColourStats colourStats,
        String dataDescription,
        int trainImages,
        int validationImages,
        List<String> devices,
        String deviceFallback,
        List<String> initFromCopied,
        String initFromSha256,
        Provenance provenance,
        List<ImageScan.Skipped> skippedImages,
        List<String> frozenTensors) {
    public static final int FORMAT = 1;

    public RunInfo {
        skippedImages = skippedImages == null ? List.of() : List.copyOf(skippedImages);
        frozenTensors = frozenTensors == null ? List.of() : List.copyOf(frozenTensors);
    }
}
