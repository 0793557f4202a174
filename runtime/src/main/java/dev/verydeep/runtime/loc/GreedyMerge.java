package dev.verydeep.runtime.loc;

import dev.verydeep.core.image.Box;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Greedy merging of box predictions, after OverFeat (Sermanet et al. 2014, section 4.3): repeatedly take the
 * pair of boxes with the best (lowest) match score and replace it by the confidence-weighted mean of the two,
 * until no pair matches within the threshold.
 *
 * <p>The rule implemented. OverFeat's match score is "the sum of the distance between centres of the two boxes
 * and the intersection area", which as written mixes units and grows with overlap; this class uses a
 * scale-free form of the same two ingredients:
 * <pre>
 *   match(a, b) = |centre(a) - centre(b)| / side(a, b)  +  (1 - IoU(a, b)),
 *   side(a, b)  = (width(a) + height(a) + width(b) + height(b)) / 4   (the mean side of the two boxes)
 * </pre>
 * Lower is closer: 0 for identical boxes. Two boxes are merged while the lowest match over all pairs is
 * {@code <= }{@value #THRESHOLD}. Merging {@code a} (confidence {@code wa}) and {@code b} ({@code wb}) gives the
 * box whose four coordinates are {@code (wa a + wb b) / (wa + wb)}, with confidence {@code wa + wb}.
 *
 * <p>Why threshold 1: {@code match <= 1} exactly when {@code IoU >= distance / side}, i.e. the boxes overlap
 * more than their centres are apart. Disjoint boxes (IoU 0, centres apart) are never merged, whatever their
 * size, so two objects side by side never collapse into one box covering both. Two equal squares shifted by up
 * to {@code sqrt(2) - 1 = 0.41} of their side are merged (their IoU is then >= 0.41, and their mean has IoU >=
 * 0.65 with each: both would pass the 0.5 criterion for an object where the mean is), and so are concentric
 * boxes of any sizes (distance 0, match {@code 1 - IoU < 1}): the jittered predictions that neighbouring cells,
 * flips, scales and nets make for one object end as one box, weighted by how many agree.
 *
 * <p>Deterministic whatever the input order: the input is sorted (coordinates, then confidence) before
 * anything else, equal match scores are resolved by that order (merged boxes come after every input box, in
 * the order they were made), and so is the final ranking's tie (see {@link #merge}).
 */
public final class GreedyMerge {
    /** Merge while the lowest match score is at most this. */
    public static final double THRESHOLD = 1.0;

    /** A box with a confidence (a weight in the merge; the merged box's is the sum). */
    public record Scored(Box box, double confidence) {
        public Scored {
            if (!(confidence > 0) || !Double.isFinite(confidence)) {
                throw new IllegalArgumentException("confidence must be positive and finite, got " + confidence);
            }
        }
    }

    /** A merged box: the weighted mean of {@code members} input boxes whose confidences sum to {@code confidence}. */
    public record Cluster(Box box, double confidence, int members) {
    }

    private static final Comparator<Scored> INPUT_ORDER = Comparator.<Scored>comparingDouble(s -> s.box().x0())
            .thenComparingDouble(s -> s.box().y0()).thenComparingDouble(s -> s.box().x1()).thenComparingDouble(s -> s.box().y1())
            .thenComparingDouble(Scored::confidence);

    private final double threshold;

    /** The merge with the documented {@link #THRESHOLD}. */
    public GreedyMerge() {
        this(THRESHOLD);
    }

    /** A merge with another threshold (0: merge identical boxes only; infinity: merge everything into one box). */
    public GreedyMerge(double threshold) {
        if (Double.isNaN(threshold) || threshold < 0) {
            throw new IllegalArgumentException("threshold must be >= 0, got " + threshold);
        }
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    /** The match score of two boxes (see the class comment); infinite when both are empty. */
    public static double match(Box a, Box b) {
        double side = (a.width() + a.height() + b.width() + b.height()) / 4;
        if (side <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double d = Math.hypot(a.centreX() - b.centreX(), a.centreY() - b.centreY());
        return d / side + (1 - a.iou(b));
    }

    private record Pair(double score, int a, int b) {
    }

    /**
     * Merges {@code boxes} (empty boxes are dropped first) and returns the clusters, best first: by confidence,
     * equal confidences in the order of their first member in the sorted input.
     */
    public List<Cluster> merge(List<Scored> boxes) {
        List<Scored> in = new ArrayList<>();
        for (Scored s : boxes) {
            if (s.box().area() > 0) {
                in.add(s);
            }
        }
        in.sort(INPUT_ORDER);
        int n = in.size();
        // Slots 0..n-1 hold the inputs, n.. the merged boxes in the order they are made; null = merged away.
        List<Cluster> slot = new ArrayList<>(2 * n);
        List<Integer> rank = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            slot.add(new Cluster(in.get(i).box(), in.get(i).confidence(), 1));
            rank.add(i);
        }
        PriorityQueue<Pair> queue = new PriorityQueue<>(Comparator.comparingDouble(Pair::score).thenComparingInt(Pair::a).thenComparingInt(Pair::b));
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                offer(queue, slot, i, j);
            }
        }
        while (!queue.isEmpty()) {
            Pair p = queue.poll();
            Cluster a = slot.get(p.a());
            Cluster b = slot.get(p.b());
            if (a == null || b == null) {
                continue; // one side was merged already: a stale pair
            }
            if (p.score() > threshold) {
                break;
            }
            slot.set(p.a(), null);
            slot.set(p.b(), null);
            int id = slot.size();
            slot.add(combine(a, b));
            rank.add(Math.min(rank.get(p.a()), rank.get(p.b())));
            for (int k = 0; k < id; k++) {
                if (slot.get(k) != null) {
                    offer(queue, slot, k, id);
                }
            }
        }
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < slot.size(); i++) {
            if (slot.get(i) != null) {
                alive.add(i);
            }
        }
        alive.sort(Comparator.<Integer>comparingDouble(i -> -slot.get(i).confidence()).thenComparingInt(rank::get));
        return alive.stream().map(slot::get).toList();
    }

    private void offer(PriorityQueue<Pair> queue, List<Cluster> slot, int i, int j) {
        double m = match(slot.get(i).box(), slot.get(j).box());
        if (m <= threshold) {
            queue.add(new Pair(m, i, j));
        }
    }

    private static Cluster combine(Cluster a, Cluster b) {
        double w = a.confidence() + b.confidence();
        double fa = a.confidence() / w;
        double fb = b.confidence() / w;
        Box x = a.box();
        Box y = b.box();
        return new Cluster(new Box(fa * x.x0() + fb * y.x0(), fa * x.y0() + fb * y.y0(), fa * x.x1() + fb * y.x1(), fa * x.y1() + fb * y.y1()),
                w, a.members() + b.members());
    }
}
