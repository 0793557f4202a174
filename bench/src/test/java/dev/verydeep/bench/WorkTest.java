package dev.verydeep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkTest {
    @Test
    void denseWorkAtTheCropIsTheClassifiersAndGrowsWithTheMap() {
        NetDescription d = NetDescription.paper(Config.D);
        assertEquals(d.multiplyAdds(), BenchNets.denseMultiplyAdds(d, 224, 224));
        // Q = 256: 8x8 map -> 2x2 positions of FC1 (7x7), conv work x (256/224)^2.
        long conv = d.convLayers().stream().mapToLong(l -> l.multiplyAdds()).sum();
        long fc = d.fcLayers().stream().mapToLong(l -> l.multiplyAdds()).sum();
        assertEquals(conv * (256.0 * 256) / (224 * 224) + 4 * fc, BenchNets.denseMultiplyAdds(d, 256, 256), 20);
    }

    @Test
    void workOfEachBenchmark() {
        Work w = Work.of("dev.verydeep.bench.OrtSessionBench.run",
                Map.of("config", "D", "width", "1", "crop", "224", "form", "classifier", "q", "256", "batch", "4", "threads", "0"));
        assertEquals(4, w.images());
        assertEquals(4 * 15_470_264_320.0, w.multiplyAdds());
        NetDescription small = BenchNets.net("D", 0.25, 64, 1000);
        Work p = Work.of("dev.verydeep.bench.ProtocolCostBench.image",
                Map.of("config", "D", "width", "0.25", "crop", "64", "method", "multicrop", "cropBatch", "50"));
        assertEquals(150.0 * small.multiplyAdds(), p.multiplyAdds());
        assertEquals(List.of(73, 110, 146), ProtocolCostBench.scales(64));
        assertEquals(2048.0 * 2048 * 2048, Work.of("x.SgemmBench.matmul", Map.of("n", "2048", "engine", "ort")).multiplyAdds());
        assertEquals(Work.NONE, Work.of("x.Other.run", Map.of()));
    }

    @Test
    void trainStepWorkFollowsTheFcWidth() {
        // The reference nets' shape: width 3/8 with FC 512 (the default would be 4096 x 3/8 = 1536).
        Map<String, String> p = Map.of("config", "A", "width", "0.375", "fcWidth", "512", "crop", "32", "classes", "10",
                "batch", "128", "threads", "2");
        NetDescription reference = BenchNets.net("A", 0.375, 512, 32, 10);
        assertEquals(512, reference.fcWidth());
        assertEquals(1_664_282, reference.parameterCount()); // A-37 of the second recipe (reference/README.md)
        assertEquals(3.0 * 128 * reference.multiplyAdds(), Work.of("x.TrainStepBench.step", p).multiplyAdds());
        NetDescription paperRatio = BenchNets.net("A", 0.375, 0, 32, 10);
        assertEquals(1536, paperRatio.fcWidth());
    }

    @Test
    void summaryRelatesEveryRowToTheSgemmPeak() {
        String t = BenchRunner.table(List.of(new BenchRunner.Row("SgemmBench.matmul", "engine=ort n=2048", 100, 1, Double.NaN, 171.8, null),
                new BenchRunner.Row("OrtSessionBench.run", "batch=1", 200, 2, 200, 154.7, null)));
        assertTrue(t.contains("| OrtSessionBench.run | batch=1 | 200.000 ± 2.000 | 200.000 | 154.7 | 90% |"), t);
        assertTrue(t.contains("Peak: 171.8 GFLOP/s"), t);
    }
}
