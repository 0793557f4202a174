package dev.verydeep.report;

import dev.verydeep.report.ResultTree.Evaluation;
import java.util.Map;

/**
 * Per-image top-1 outcomes of an evaluation or fusion, read from the files beside its {@code results.json} (the saved
 * posteriors) by a reader that knows their format: the report itself runs no net and reads no engine's files, so the
 * command line passes one in. The findings use them for the paired (McNemar) uncertainty of a difference of two error
 * rates on the same images.
 */
@FunctionalInterface
public interface PerImage {
    /** Reads nothing: the findings fall back to the binomial uncertainty of each rate. */
    PerImage NONE = (e, member) -> null;

    /**
     * Image id to whether the top-1 class is the label, for the headline row ({@code member} -1: all nets, methods and
     * scales) or for one member net of a fusion (its index in the result's {@code models}, or for a {@code fuse} result
     * in the order of its member rows), over all its methods and scales; null when the files do not record it (or do not
     * match the hashes {@code results.json} recorded).
     */
    Map<String, Boolean> top1Correct(Evaluation e, int member);
}
