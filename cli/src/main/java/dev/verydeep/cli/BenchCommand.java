package dev.verydeep.cli;

import dev.verydeep.bench.BenchRunner;
import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verydeep bench [PATTERN]}: the JMH benchmarks of bench/. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the JMH benchmarks (each in a forked JVM): ORT session throughput (classifier, dense), dense vs 150-crop "
                + "cost per image, DJL vs ORT, a DJL training step, LIBLINEAR training (two feeds), and the SGEMM peak.",
                "Writes JMH's JSON and a summary (ms/op, ms/image, GFLOP/s, %% of the SGEMM peak) into --out."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN",
            description = "Regular expression over benchmark names, e.g. OrtSession or 'Sgemm|DjlVsOrt' (default: all).")
    String pattern;

    @Option(names = "--quick", description = "1 warm-up and 3 measured iterations of 1 s per parameter set.")
    boolean quick;

    @Option(names = "--out", defaultValue = "bench-results", description = "Folder for the JMH JSON and the summary. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=V1,V2", description = "Override a @Param, e.g. -p width=1 (full-size VGG-16), -p batch=1,8.")
    List<String> params;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        if (params != null) {
            for (String s : params) {
                int eq = s.indexOf('=');
                if (eq < 1 || eq == s.length() - 1) {
                    throw new UserException("-p '" + s + "': expected NAME=VALUE[,VALUE...]");
                }
                p.put(s.substring(0, eq), Arrays.asList(s.substring(eq + 1).split(",")));
            }
        }
        BenchRunner.run(pattern, quick, out, p, Provenance.capture(CommandLines.of(spec), Versions.all()), spec.commandLine().getOut());
        return 0;
    }
}
