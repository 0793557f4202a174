package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.Resize;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.onnx.Preprocessor;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decodes images and rescales them to each test scale on a small pool of daemon threads, ahead of the thread
 * that runs the nets, and hands them over in order ({@link #next}). The pool runs ahead by up to
 * {@code lookahead} images, enough to fill a batch while the nets run the previous one, but stops early while the
 * decoded images waiting hold more than {@link #HELD_BUDGET_BYTES}. An image that cannot be decoded, or whose
 * rescaled size exceeds the pixel budget, comes back with the reason instead of pixels.
 */
final class DecodePipeline implements AutoCloseable {
    /** Most bytes of rescaled images decoded and not yet taken (before the pool pauses). */
    static final long HELD_BUDGET_BYTES = 256L << 20;

    /** Image {@code slot} ({@code index} of the source): {@code width x height} as decoded, and rescaled to each scale, or why not. */
    record Decoded(int slot, int index, int width, int height, RgbImage[] scaled, String skipReason) {
        long bytes() {
            long b = 0;
            for (RgbImage i : scaled == null ? new RgbImage[0] : scaled) {
                b += 4L * i.data().length;
            }
            return b;
        }
    }

    private final ImageSource source;
    private final int[] indices;
    private final int[] slots;
    private final int[] scales;
    private final long maxPixels;
    private final int lookahead;
    private final ExecutorService pool;
    private final ArrayDeque<Future<Decoded>> ahead = new ArrayDeque<>();
    private final AtomicLong held = new AtomicLong();
    private int next;

    /**
     * @param indices the partition's images in the source; slot {@code i} is image {@code indices[i]}
     * @param slots   the slots to decode, in the order {@link #next} returns them
     */
    DecodePipeline(ImageSource source, int[] indices, int[] slots, int[] scales, long maxPixels, int threads, int lookahead) {
        this.source = source;
        this.indices = indices;
        this.slots = slots;
        this.scales = scales;
        this.maxPixels = maxPixels;
        this.lookahead = Math.max(lookahead, 2 * threads);
        AtomicInteger threadNo = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "verydeep-decode-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The next slot's image, in the order of the slots (blocks until it is decoded). */
    Decoded next() {
        fill();
        if (ahead.isEmpty()) {
            throw new IllegalStateException("no more images to decode");
        }
        Decoded d = take(ahead.poll());
        held.addAndGet(-d.bytes());
        fill();
        return d;
    }

    private void fill() {
        while (next < slots.length && ahead.size() < lookahead && (ahead.isEmpty() || held.get() < HELD_BUDGET_BYTES)) {
            int slot = slots[next++];
            ahead.add(pool.submit(() -> {
                Decoded d = decode(slot);
                held.addAndGet(d.bytes());
                return d;
            }));
        }
    }

    private Decoded decode(int slot) {
        int index = indices[slot];
        RgbImage img;
        try {
            img = source.image(index);
        } catch (UserException e) {
            String msg = e.getMessage();
            String id = safeId(source, index);
            return skip(slot, msg != null && msg.contains(id) ? msg : id + ": " + msg);
        }
        RgbImage[] out = new RgbImage[scales.length];
        for (int s = 0; s < scales.length; s++) {
            int[] size = Resize.isotropicSize(img.width(), img.height(), scales[s]);
            if ((long) size[0] * size[1] > maxPixels) {
                return skip(slot, safeId(source, index) + ": " + img.width() + "x" + img.height() + " rescaled to Q=" + scales[s]
                        + " is " + size[0] + "x" + size[1] + ", more than the budget of " + maxPixels + " pixels");
            }
            out[s] = Preprocessor.rescale(img, scales[s]);
        }
        return new Decoded(slot, index, img.width(), img.height(), out, null);
    }

    private Decoded skip(int slot, String reason) {
        return new Decoded(slot, indices[slot], 0, 0, null, reason);
    }

    /** The image's id, or {@code #index} when even the id cannot be read. */
    static String safeId(ImageSource source, int index) {
        try {
            return source.id(index);
        } catch (RuntimeException e) {
            return "#" + index;
        }
    }

    private static Decoded take(Future<Decoded> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("evaluation interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
