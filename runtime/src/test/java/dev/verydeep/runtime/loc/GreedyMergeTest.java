package dev.verydeep.runtime.loc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verydeep.core.image.Box;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GreedyMergeTest {
    private static GreedyMerge.Scored s(double x0, double y0, double x1, double y1) {
        return new GreedyMerge.Scored(new Box(x0, y0, x1, y1), 1);
    }

    private static void assertBox(Box expected, Box actual) {
        assertEquals(expected.x0(), actual.x0(), 1e-9);
        assertEquals(expected.y0(), actual.y0(), 1e-9);
        assertEquals(expected.x1(), actual.x1(), 1e-9);
        assertEquals(expected.y1(), actual.y1(), 1e-9);
    }

    @Test
    void aClusterCollapsesToItsMean() {
        List<GreedyMerge.Scored> in = List.of(s(10, 10, 30, 30), s(12, 9, 31, 29), s(9, 11, 29, 32), s(11, 12, 32, 31));
        List<GreedyMerge.Cluster> out = new GreedyMerge().merge(in);
        assertEquals(1, out.size());
        assertEquals(4, out.get(0).members());
        assertEquals(4.0, out.get(0).confidence(), 0);
        assertBox(new Box(10.5, 10.5, 30.5, 30.5), out.get(0).box());
    }

    @Test
    void twoClustersStayTwoTheLargerFirst() {
        List<GreedyMerge.Scored> in = List.of(s(60, 10, 80, 30), s(10, 10, 30, 30), s(61, 11, 81, 31), s(11, 10, 31, 30), s(10, 11, 30, 31));
        List<GreedyMerge.Cluster> out = new GreedyMerge().merge(in);
        assertEquals(2, out.size());
        assertEquals(3, out.get(0).members());
        assertBox(new Box(31 / 3.0, 31 / 3.0, 91 / 3.0, 91 / 3.0), out.get(0).box());
        assertEquals(2, out.get(1).members());
        assertBox(new Box(60.5, 10.5, 80.5, 30.5), out.get(1).box());
    }

    @Test
    void touchingBoxesOfAnySizeAreNotMerged() {
        // IoU 0 and centres apart: match > 1.
        assertEquals(2, new GreedyMerge().merge(List.of(s(0, 0, 100, 100), s(100, 0, 200, 100))).size());
        assertEquals(2.0, GreedyMerge.match(new Box(0, 0, 100, 100), new Box(100, 0, 200, 100)), 1e-12);
    }

    @Test
    void concentricBoxesMerge() {
        assertEquals(0.75, GreedyMerge.match(new Box(0, 0, 4, 4), new Box(1, 1, 3, 3)), 1e-12);
        assertEquals(1, new GreedyMerge().merge(List.of(s(0, 0, 4, 4), s(1, 1, 3, 3))).size());
    }

    @Test
    void thresholdBoundaryIsInclusive() {
        // side = (3 + 1 + 3 + 1) / 4 = 2, centre distance 1, IoU = 2 / 4: match = 0.5 + 0.5 = 1 exactly.
        Box a = new Box(0, 0, 3, 1);
        Box b = new Box(1, 0, 4, 1);
        assertEquals(1.0, GreedyMerge.match(a, b), 0);
        List<GreedyMerge.Scored> in = List.of(new GreedyMerge.Scored(a, 1), new GreedyMerge.Scored(b, 1));
        assertEquals(1, new GreedyMerge().merge(in).size());
        assertEquals(2, new GreedyMerge(Math.nextDown(1.0)).merge(in).size());
        // Just beyond: shifted a little further.
        assertEquals(2, new GreedyMerge().merge(List.of(new GreedyMerge.Scored(a, 1), s(1.001, 0, 4.001, 1))).size());
    }

    @Test
    void confidencesWeightTheMean() {
        List<GreedyMerge.Cluster> out = new GreedyMerge().merge(List.of(new GreedyMerge.Scored(new Box(0, 0, 20, 20), 3),
                new GreedyMerge.Scored(new Box(4, 0, 24, 20), 1)));
        assertEquals(1, out.size());
        assertEquals(4.0, out.get(0).confidence(), 0);
        assertBox(new Box(1, 0, 21, 20), out.get(0).box());
    }

    @Test
    void emptyBoxesAreDropped() {
        assertEquals(List.of(), new GreedyMerge().merge(List.of(s(5, 5, 5, 9))));
        assertEquals(1, new GreedyMerge().merge(List.of(s(5, 5, 5, 9), s(0, 0, 3, 3))).size());
    }

    @Test
    void theClosestPairMergesFirst() {
        // a-b match 0.145, b-c 0.65, a-c 0.76; at threshold 0.7 a and b merge first, and their mean is then 0.706
        // from c: c stays alone (merging b and c first would have given another result).
        List<GreedyMerge.Cluster> out = new GreedyMerge(0.7).merge(List.of(s(0, 0, 10, 10), s(0.5, 0, 10.5, 10), s(3, 0, 13, 10)));
        assertEquals(2, out.size());
        assertEquals(2, out.get(0).members());
        assertBox(new Box(0.25, 0, 10.25, 10), out.get(0).box());
    }

    @Test
    void resultDoesNotDependOnInputOrder() {
        Random r = new Random(3);
        List<GreedyMerge.Scored> in = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double cx = 20 + 40 * r.nextInt(3) + 6 * r.nextGaussian();
            double cy = 30 + 6 * r.nextGaussian();
            double w = 20 + 5 * r.nextGaussian();
            double h = 25 + 5 * r.nextGaussian();
            in.add(new GreedyMerge.Scored(new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), 0.5 + r.nextInt(3)));
        }
        in.add(in.get(0)); // an exact duplicate
        List<GreedyMerge.Cluster> expected = new GreedyMerge().merge(in);
        for (int k = 0; k < 20; k++) {
            List<GreedyMerge.Scored> shuffled = new ArrayList<>(in);
            Collections.shuffle(shuffled, new Random(k));
            assertEquals(expected, new GreedyMerge().merge(shuffled));
        }
        assertEquals(in.size(), expected.stream().mapToInt(GreedyMerge.Cluster::members).sum());
    }
}
