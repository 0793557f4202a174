package dev.verydeep.spark;

import dev.verydeep.cli.EvalCommand;
import dev.verydeep.runtime.eval.Evaluation;
import dev.verydeep.runtime.eval.Evaluator;
import dev.verydeep.runtime.eval.Part;
import dev.verydeep.runtime.eval.PartialResults;
import dev.verydeep.runtime.eval.PosteriorBlocks;
import dev.verydeep.runtime.eval.PosteriorSet;
import dev.verydeep.runtime.eval.Skipped;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The thin adapter between a Spark partition and runtime's evaluator: one chunk of eval's partial results computed
 * with {@link Evaluator#evaluate} (a chunk is evaluated as one unit, so its batches are those of the in-process run) and
 * turned back into the {@link PartialResults.Chunk} the in-process run stores. The only place the spark module touches
 * the evaluator's API.
 */
final class EvalPartition {
    /** What a task did with one chunk. */
    record Done(int chunk, int images, boolean computed, double seconds, String executor, String device) implements java.io.Serializable {
    }

    private EvalPartition() {
    }

    /** Chunk {@code c}'s images ({@code first}, {@code count}), or null when the chunk is already stored. */
    static PartialResults.Chunk stored(PartialResults partial, Evaluator ev, int c, int first, int count) {
        return partial.load(c, first, new PosteriorBlocks.Shape(ev.models().size(), ev.settings().method().parts().size(),
                ev.settings().scales().size(), count, ev.classes()));
    }

    /**
     * Computes chunk {@code c} of {@code plan} unless {@code partial} holds it, and commits it there (atomically: a
     * retried task rewrites the same file with the same bytes). {@code half} is called half way through its images.
     */
    static Done run(Evaluator ev, EvalCommand.Plan plan, PartialResults partial, int c, String executor, Runnable half) {
        long t0 = System.nanoTime();
        int chunkImages = partial.chunkImages();
        int first = c * chunkImages;
        int end = Math.min(plan.indices().length, first + chunkImages);
        String device = ev.devices().get(0).toString();
        if (stored(partial, ev, c, first, end - first) != null) {
            return new Done(c, end - first, false, (System.nanoTime() - t0) / 1e9, executor, device);
        }
        int[] idx = Arrays.copyOfRange(plan.indices(), first, end);
        Evaluation e = ev.evaluate(plan.source(), idx, (done, total) -> {
            if (done == total / 2) {
                half.run();
            }
        }, null);
        partial.save(c, first, chunk(e, idx));
        return new Done(c, idx.length, true, (System.nanoTime() - t0) / 1e9, executor, device);
    }

    /** The evaluation of {@code idx} as the in-process run stores it: a row per image, zeros for skipped ones. */
    static PartialResults.Chunk chunk(Evaluation e, int[] idx) {
        PosteriorSet set = e.posteriors();
        int k = set.classes();
        Map<Integer, String> why = new HashMap<>();
        for (Skipped s : e.skipped()) {
            why.put(s.index(), s.reason());
        }
        String[] reasons = new String[idx.length];
        for (int i = 0; i < idx.length; i++) {
            reasons[i] = why.get(idx[i]);
        }
        List<Part> parts = set.parts();
        List<Integer> scales = set.scales();
        int nets = set.models().size();
        PosteriorBlocks blocks = new PosteriorBlocks(new PosteriorBlocks.Shape(nets, parts.size(), scales.size(), idx.length, k));
        for (int m = 0; m < nets; m++) {
            for (int p = 0; p < parts.size(); p++) {
                for (int s = 0; s < scales.size(); s++) {
                    float[] raw = set.raw(m, parts.get(p), scales.get(s));
                    float[] block = blocks.block(m, p, s); // a fresh block of this chunk, filled once here
                    for (int i = 0, r = 0; i < idx.length; i++) {
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
