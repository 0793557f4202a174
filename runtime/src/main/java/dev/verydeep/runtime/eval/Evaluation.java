package dev.verydeep.runtime.eval;

import dev.verydeep.runtime.DeviceSelection;
import java.util.List;
import java.util.Map;

/**
 * The outcome of evaluating a partition of images: the posteriors of the evaluated images, the images
 * skipped with their reasons, where each net ran, and the time and memory it took.
 *
 * @param posteriors    per net, part, scale and image
 * @param skipped       images not evaluated, in data-set order
 * @param devices       the device of each net's session
 * @param wallSeconds   elapsed time of the evaluation loop (decoding overlapped with inference), without warm-up
 * @param warmupSeconds time of the warm-up runs (one per net, scale and input form), before the loop
 * @param rssMb         resident set size (MB) sampled after every tenth of the images, keyed by images done
 * @param resumedImages images whose posteriors came from the partial results of an interrupted run (not timed
 *                      by {@code wallSeconds})
 */
public record Evaluation(PosteriorSet posteriors, List<Skipped> skipped, List<DeviceSelection> devices, double wallSeconds,
                         double warmupSeconds, Map<Integer, Long> rssMb, int resumedImages) {
    public Evaluation {
        skipped = List.copyOf(skipped);
        devices = List.copyOf(devices);
        rssMb = Map.copyOf(rssMb);
    }

    /** Images evaluated (or skipped) by this run, not taken from partial results. */
    public int computedImages() {
        return posteriors.images() + skipped.size() - resumedImages;
    }
}
