package dev.verydeep.spark;

import dev.verydeep.cli.EvalCommand;
import dev.verydeep.core.data.Subset;
import dev.verydeep.runtime.eval.EvalSettings;
import dev.verydeep.runtime.eval.Evaluation;
import dev.verydeep.runtime.eval.Part;
import dev.verydeep.runtime.eval.PartitionEvaluator;
import dev.verydeep.runtime.eval.PartialResults;
import dev.verydeep.runtime.eval.PosteriorBlocks;
import dev.verydeep.runtime.eval.PosteriorSet;
import dev.verydeep.runtime.eval.Skipped;
import java.util.Arrays;
import java.util.List;

/**
 * The thin adapter between a Spark partition and runtime's {@link PartitionEvaluator}, the evaluator the in-process
 * {@code Evaluator} runs too: one chunk of eval's partial results evaluated as one partition (so its batches are those of
 * the in-process run, chunk by chunk) by the executor's evaluator, and turned back into the {@link PartialResults.Chunk}
 * the in-process run stores. The only place the spark module touches the evaluator's API.
 */
final class EvalPartition {
    /** What a task did with one chunk. */
    record Done(int chunk, int images, boolean computed, double seconds, String executor, String device) implements java.io.Serializable {
    }

    private EvalPartition() {
    }

    /** Chunk {@code c}'s images ({@code first}, {@code count}), or null when the chunk is not stored yet. */
    static PartialResults.Chunk stored(PartialResults partial, EvalCommand.Plan plan, int classes, int c, int first, int count) {
        EvalSettings s = plan.settings();
        return partial.load(c, first, new PosteriorBlocks.Shape(plan.models().size(), s.method().parts().size(), s.scales().size(), count,
                classes));
    }

    /**
     * Computes chunk {@code c} of {@code plan} unless {@code partial} holds it, and commits it there (atomically: a
     * retried task rewrites the same file with the same bytes). {@code half} is called half way through its images.
     */
    static Done run(PartitionEvaluator ev, EvalCommand.Plan plan, PartialResults partial, int c, String executor, Runnable half) {
        long t0 = System.nanoTime();
        int chunkImages = partial.chunkImages();
        int first = c * chunkImages;
        int end = Math.min(plan.indices().length, first + chunkImages);
        String device = ev.devices().get(0).toString();
        if (stored(partial, plan, ev.classes(), c, first, end - first) != null) {
            return new Done(c, end - first, false, (System.nanoTime() - t0) / 1e9, executor, device);
        }
        int[] idx = Arrays.copyOfRange(plan.indices(), first, end);
        Evaluation e = ev.evaluate(new Subset(plan.source(), idx, "chunk " + c), (done, total) -> {
            if (done == total / 2) {
                half.run();
            }
        });
        partial.save(c, first, chunk(e, idx.length));
        return new Done(c, idx.length, true, (System.nanoTime() - t0) / 1e9, executor, device);
    }

    /** The evaluation of a chunk's {@code n} images as the in-process run stores it: a row per image, zeros for skipped ones. */
    static PartialResults.Chunk chunk(Evaluation e, int n) {
        PosteriorSet set = e.posteriors();
        int k = set.classes();
        String[] reasons = new String[n];
        for (Skipped s : e.skipped()) {
            reasons[s.index()] = s.reason(); // index into the chunk's subset
        }
        List<Part> parts = set.parts();
        List<Integer> scales = set.scales();
        int nets = set.models().size();
        PosteriorBlocks blocks = new PosteriorBlocks(new PosteriorBlocks.Shape(nets, parts.size(), scales.size(), n, k));
        for (int m = 0; m < nets; m++) {
            for (int p = 0; p < parts.size(); p++) {
                for (int s = 0; s < scales.size(); s++) {
                    float[] raw = set.raw(m, parts.get(p), scales.get(s));
                    float[] block = blocks.block(m, p, s); // a fresh block of this chunk, filled once here
                    for (int i = 0, r = 0; i < n; i++) {
                        if (reasons[i] == null) {
                            System.arraycopy(raw, k * r++, block, k * i, k);
                        }
                    }
                    blocks.addSeconds(m, p, s, set.seconds(List.of(m), List.of(parts.get(p)), List.of(scales.get(s))));
                }
            }
        }
        return new PartialResults.Chunk(blocks, reasons);
    }
}
