package dev.verydeep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own backend node tests, as shipped by Debian's libonnx-testdata 1.12, for the operators a VGG
 * uses: {@code verify} on each test folder (model.onnx + test_data_set_0) must PASS. This tests our
 * TensorProto reading (raw and typed, float/int64/uint8/bool), input/output matching and comparison.
 *
 * <p>Selection: folders named {@code test_<op>} or {@code test_<op>_*} where {@code <op>} is the operator
 * in lower case, or in ONNX's snake case for ReduceMean ({@code test_reduce_mean_*}). This also takes in
 * {@code test_conv*} relatives (ConvInteger, ConvTranspose), {@code test_matmulinteger} and
 * {@code test_maxpool_with_argmax_*}, and the {@code *_expanded} softmax function bodies; they run too. None
 * is skipped: the random dropout tests are inference-mode (ratio given, no training_mode), so their
 * output is the input.
 */
class OnnxNodeTestsTest {
    static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");
    static final List<String> OPS = List.of("Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "Gemm", "MatMul", "Relu",
            "Softmax", "LRN", "Dropout", "Flatten", "Reshape", "ReduceMean", "Concat");

    static String prefix(String op) {
        return op.equals("ReduceMean") ? "test_reduce_mean" : "test_" + op.toLowerCase(Locale.ROOT);
    }

    static List<Path> selected(String op) throws IOException {
        try (Stream<Path> s = Files.list(NODE_TESTS)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix(op)) && Files.isDirectory(p)).sorted().toList();
        }
    }

    @Test
    void everySelectedNodeTestPasses() throws IOException {
        assertTrue(Files.isDirectory(NODE_TESTS), NODE_TESTS + " missing: run bin/install-test-deps (libonnx-testdata)");
        Verifier v = Verifier.builder().optIntraOpThreads(1).build();
        Map<String, Integer> perOp = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        int sets = 0;
        for (String op : OPS) {
            List<Path> tests = selected(op);
            perOp.put(op, tests.size());
            for (Path t : tests) {
                VerifyReport r = v.verify(t);
                sets += (int) r.setCount();
                if (!r.passed()) {
                    failed.add(r.render());
                }
            }
        }
        int total = perOp.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("ONNX node tests verified per op: " + perOp + ", total " + total + " tests, " + sets + " data sets");
        assertEquals(List.of(), failed);
        // Debian libonnx-testdata 1.12.0: the counts per op, so that a missing or changed package shows.
        assertEquals(Map.ofEntries(Map.entry("AveragePool", 13), Map.entry("Concat", 12), Map.entry("Conv", 16),
                Map.entry("Dropout", 6), Map.entry("Flatten", 9), Map.entry("Gemm", 11), Map.entry("GlobalAveragePool", 2),
                Map.entry("LRN", 2), Map.entry("MatMul", 4), Map.entry("MaxPool", 15), Map.entry("ReduceMean", 8),
                Map.entry("Relu", 1), Map.entry("Reshape", 10), Map.entry("Softmax", 14)), perOp);
        assertEquals(123, total);
    }
}
