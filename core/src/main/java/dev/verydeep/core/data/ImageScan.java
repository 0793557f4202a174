package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Skip-and-report for runs that read every image many times (training) or must know their image list before
 * starting (extraction): each image of a file-backed source is decoded once, up front, and those the decoder
 * refuses are left out with their reason, or stop the run when strict. In-memory sources (Fashion-MNIST) cannot
 * hold an undecodable image and are not scanned.
 */
public final class ImageScan {
    /** An image left out: its id in the source and the decoder's reason (which names the file). */
    public record Skipped(String id, String reason) {
    }

    /** The readable images ({@code kept}, a view of the source), their indices in the source, and the skipped ones. */
    public record Result(ImageSource kept, int[] keptIndices, List<Skipped> skipped) {
    }

    private ImageScan() {
    }

    /** Decodes every image of {@code source} (in parallel) when it reads files; see the class comment. */
    public static Result scan(ImageSource source, boolean strict) {
        int n = source.size();
        if (!source.decodesFiles()) {
            return new Result(source, IntStream.range(0, n).toArray(), List.of());
        }
        String[] reasons = new String[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                source.image(i);
            } catch (UserException e) {
                String id = source.id(i);
                String m = e.getMessage();
                reasons[i] = m != null && m.contains(id) ? m : id + ": " + m;
            }
        });
        List<Skipped> skipped = new ArrayList<>();
        int[] kept = IntStream.range(0, n).filter(i -> reasons[i] == null).toArray();
        for (int i = 0; i < n; i++) {
            if (reasons[i] != null) {
                if (strict) {
                    throw new UserException(reasons[i] + " (stopping: --strict; without it the image is skipped and reported)");
                }
                skipped.add(new Skipped(source.id(i), reasons[i]));
            }
        }
        ImageSource view = skipped.isEmpty() ? source : new Subset(source, kept, "readable images, " + skipped.size() + " skipped");
        return new Result(view, kept, skipped);
    }

    /** "skipped N unreadable image(s), e.g. REASON", or null when none was skipped. */
    public static String summary(List<Skipped> skipped) {
        return skipped == null || skipped.isEmpty() ? null
                : "skipped " + skipped.size() + " unreadable image(s), e.g. " + skipped.get(0).reason();
    }
}
