package dev.verydeep.bench;

import dev.verydeep.core.net.NetDescription;
import java.util.Map;

/**
 * What one op of each benchmark does: how many images it covers and how many multiply-adds it performs
 * (from {@link NetDescription#multiplyAdds()}; 2 FLOP each), so the summary can report time per image and
 * achieved GFLOP/s. Unknown benchmarks have no work model (GFLOP/s left blank).
 *
 * @param images         images per op (0: not an image benchmark)
 * @param multiplyAdds   multiply-adds per op (0: unknown)
 * @param note           how the count was made, when it is an estimate
 */
public record Work(double images, double multiplyAdds, String note) {
    public static final Work NONE = new Work(0, 0, null);

    public double flop() {
        return 2 * multiplyAdds;
    }

    /** The work of one op of {@code benchmark} (a JMH benchmark name, {@code ...Class.method}) with {@code params}. */
    public static Work of(String benchmark, Map<String, String> p) {
        String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
        cls = cls.substring(cls.lastIndexOf('.') + 1);
        switch (cls) {
            case "OrtSessionBench" -> {
                NetDescription net = net(p, 1000);
                int batch = Integer.parseInt(p.get("batch"));
                int q = Integer.parseInt(p.get("q"));
                long per = p.get("form").equals("dense") ? BenchNets.denseMultiplyAdds(net, q, q) : net.multiplyAdds();
                return new Work(batch, (double) batch * per, null);
            }
            case "DjlVsOrtBench" -> {
                int batch = Integer.parseInt(p.get("batch"));
                return new Work(batch, (double) batch * net(p, 1000).multiplyAdds(), null);
            }
            case "ProtocolCostBench" -> {
                return new Work(1, ProtocolCostBench.multiplyAdds(net(p, 1000), p.get("method")), null);
            }
            case "TrainStepBench" -> {
                int batch = Integer.parseInt(p.get("batch"));
                NetDescription net = net(p, Integer.parseInt(p.get("classes")));
                return new Work(batch, 3.0 * batch * net.multiplyAdds(), "3x forward");
            }
            case "SgemmBench" -> {
                double n = Double.parseDouble(p.get("n"));
                return new Work(0, n * n * n, null);
            }
            default -> {
                return NONE;
            }
        }
    }

    private static NetDescription net(Map<String, String> p, int classes) {
        int fcWidth = Integer.parseInt(p.getOrDefault("fcWidth", "0")); // only TrainStepBench has the parameter
        return BenchNets.net(p.get("config"), Double.parseDouble(p.get("width")), fcWidth, Integer.parseInt(p.get("crop")),
                classes);
    }
}
