package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.io.FaultPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The posteriors of a partition of images, filled chunk by chunk. With {@link PartialResults}, each computed chunk
 * is kept on disk as it completes, and chunks already there (from an interrupted run with the same fingerprint)
 * are taken instead of being computed (chunks are written on a thread of their own, {@link #complete}); without,
 * the partition is one chunk and nothing is kept. Holds each
 * image's skip reason, so that the result lists skipped images and leaves them out of the {@link PosteriorSet}.
 */
final class ResumableAccumulator implements AutoCloseable {
    private final PosteriorBlocks.Shape shape;
    private final PartialResults partial;
    private final int chunkImages;
    /** All images' blocks when there are several chunks; with one, its blocks are taken as they are ({@link #single}). */
    private final PosteriorBlocks all;
    private PosteriorBlocks single;
    private final String[] reasons;
    private final boolean[] stored;
    private int resumed;
    private ExecutorService writer;
    private Future<?> writing;

    /** Blocks for {@code shape.images()} images; takes the chunks {@code partial} (may be null) holds. */
    ResumableAccumulator(PosteriorBlocks.Shape shape, PartialResults partial) {
        this.shape = shape;
        this.partial = partial;
        int n = shape.images();
        this.chunkImages = partial == null ? Math.max(1, n) : partial.chunkImages();
        this.all = chunks() == 1 ? null : new PosteriorBlocks(shape);
        this.reasons = new String[n];
        this.stored = new boolean[chunks()];
        if (partial != null) {
            for (int c = 0; c < chunks(); c++) {
                PartialResults.Chunk ch = partial.load(c, first(c), shape.withImages(end(c) - first(c)));
                if (ch != null) {
                    take(c, ch);
                }
            }
        }
    }

    private void take(int c, PartialResults.Chunk ch) {
        put(c, ch.posteriors());
        System.arraycopy(ch.skipReasons(), 0, reasons, first(c), ch.skipReasons().length);
        stored[c] = true;
        resumed += end(c) - first(c);
    }

    private void put(int c, PosteriorBlocks blocks) {
        if (all == null) {
            single = blocks;
        } else {
            all.put(first(c), blocks);
        }
    }

    int chunks() {
        int n = shape.images();
        return (n + chunkImages - 1) / chunkImages;
    }

    int first(int chunk) {
        return chunk * chunkImages;
    }

    int end(int chunk) {
        return Math.min(shape.images(), first(chunk) + chunkImages);
    }

    /** Whether chunk {@code c} came from the partial results of an interrupted run. */
    boolean isStored(int c) {
        return stored[c];
    }

    /** Images taken from partial results. */
    int resumedImages() {
        return resumed;
    }

    /** The slots of the chunks still to compute, in order. */
    int[] slotsToCompute() {
        return IntStream.range(0, chunks()).filter(c -> !stored[c]).flatMap(c -> IntStream.range(first(c), end(c))).toArray();
    }

    /** Empty blocks for chunk {@code c}'s images (slot {@code first(c)} is image 0 of them). */
    PosteriorBlocks newChunk(int c) {
        return new PosteriorBlocks(shape.withImages(end(c) - first(c)));
    }

    /**
     * Takes a computed chunk and keeps it in the partial results; {@code reasons}: per image a skip reason or null.
     * The chunk is written on a thread of its own (the file is forced to disk), overlapping the next chunk's work;
     * first the previous chunk's write is awaited, so at most one is under way, they land in order, and none is
     * written after one failed.
     */
    void complete(int c, PosteriorBlocks blocks, String[] chunkReasons) {
        put(c, blocks);
        System.arraycopy(chunkReasons, 0, reasons, first(c), chunkReasons.length);
        if (partial == null) {
            return;
        }
        awaitWrites();
        if (writer == null) {
            writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "verydeep-chunk-writer");
                t.setDaemon(true);
                return t;
            });
        }
        int first = first(c);
        writing = writer.submit(() -> save(c, first, blocks, chunkReasons));
    }

    private void save(int c, int first, PosteriorBlocks blocks, String[] chunkReasons) {
        try {
            partial.save(c, first, new PartialResults.Chunk(blocks, chunkReasons));
        } catch (UserException e) {
            throw new UserException(e.getMessage() + "; the posteriors of the first " + first + " images are kept in "
                    + partial.dir() + ": run the same command again to continue", e);
        }
        FaultPoints.reached("eval.chunk-written");
    }

    /** Waits for the chunk being written, if any; its failure is thrown here. */
    void awaitWrites() {
        Future<?> w = writing;
        writing = null;
        if (w == null) {
            return;
        }
        try {
            w.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("evaluation interrupted while keeping partial results in " + partial.dir());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Lets a chunk being written finish (a run that stops keeps what it finished), then ends the writer. */
    @Override
    public void close() {
        if (writer != null) {
            writer.shutdown();
            try {
                writer.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The skipped images with their reasons, in slot order. */
    List<Skipped> skipped(ImageSource source, int[] indices) {
        List<Skipped> out = new ArrayList<>();
        for (int i = 0; i < reasons.length; i++) {
            if (reasons[i] != null) {
                out.add(new Skipped(indices[i], DecodePipeline.safeId(source, indices[i]), reasons[i]));
            }
        }
        return out;
    }

    /** The posteriors of the images not skipped, with their ids and labels, in slot order. */
    PosteriorSet posteriors(ImageSource source, int[] indices, List<ModelInfo> models, EvalSettings settings, List<String> classNames) {
        int[] rows = IntStream.range(0, reasons.length).filter(i -> reasons[i] == null).toArray();
        String[] ids = new String[rows.length];
        int[] labels = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            ids[r] = source.id(indices[rows[r]]);
            labels[r] = source.label(indices[rows[r]]);
        }
        PosteriorBlocks blocks = all != null ? all : single != null ? single : new PosteriorBlocks(shape);
        return new PosteriorSet(models, settings.method().parts(), settings.scales(), settings.flip(), classNames, ids, labels,
                blocks.select(rows));
    }
}
