package dev.verydeep.bench;

/**
 * The plain JMH runner: {@code java -cp <bench jar and its dependencies> dev.verydeep.bench.BenchMain [JMH options]}
 * takes JMH's own command line ({@code -l} lists, {@code -p width=1}, {@code -rf json -rff out.json}, ...).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
