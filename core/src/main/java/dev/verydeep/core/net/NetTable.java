package dev.verydeep.core.net;

import java.util.Locale;

/** Renders a net description as the layer table {@code verydeep describe} prints. */
public final class NetTable {
    private NetTable() {
    }

    public static String render(NetDescription net) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s  (%d weight layers, input 3x%dx%d, FC1 as %dx%d conv in the dense form)%n",
                net.label(), net.config().weightLayers(), net.crop(), net.crop(), net.fcKernel(), net.fcKernel()));
        String fmt = "%-8s %-7s %-6s %-14s %15s %18s%n";
        sb.append(String.format(Locale.ROOT, fmt, "layer", "kind", "kernel", "output", "parameters", "multiply-adds"));
        for (Layer l : net.layers()) {
            String kernel = switch (l.kind()) {
                case CONV -> l.kernel() + "x" + l.kernel();
                case MAXPOOL -> "2x2/2";
                case LRN -> "n=" + l.kernel();
                case FC -> l.kernel() == 1 ? "-" : l.kernel() + "x" + l.kernel();
            };
            String out = l.kind() == Layer.Kind.FC ? String.valueOf(l.outChannels()) : l.outShape();
            sb.append(String.format(Locale.ROOT, fmt, l.name(), l.kind().name().toLowerCase(Locale.ROOT), kernel, out,
                    grouped(l.parameters()), grouped(l.multiplyAdds())));
        }
        sb.append(String.format(Locale.ROOT, "total: %s parameters (%s), %s multiply-adds (%s, %s FLOP) per %dx%d image%n",
                grouped(net.parameterCount()), human(net.parameterCount(), true), grouped(net.multiplyAdds()),
                human(net.multiplyAdds(), false), human(2 * net.multiplyAdds(), false), net.crop(), net.crop()));
        return sb.toString();
    }

    /** 138M, 0.45M; 15.47G, 2.88M: the paper rounds parameters to millions, multiply-adds to 0.01G. */
    private static String human(long v, boolean millions) {
        if (millions) {
            return v >= 10_000_000 ? String.format(Locale.ROOT, "%.0fM", v / 1e6) : String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        return v >= 1_000_000_000 ? String.format(Locale.ROOT, "%.2fG", v / 1e9) : String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }

    private static String grouped(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
