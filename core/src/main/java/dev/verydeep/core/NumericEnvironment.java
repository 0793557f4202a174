package dev.verydeep.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What decides a result's last bits on this machine: the CPU and the vector instructions it offers, the kernel
 * family PyTorch's ATen dispatches to, the ISA cap of oneDNN, MKL's reproducibility mode, OpenMP's thread count and
 * ONNX Runtime's graph optimisation level. Another machine (or these variables set otherwise) picks other kernels,
 * sums in another order, and a training trajectory moves with it; a golden FAIL prints the pinned environment
 * beside this one so that a platform difference can be told from a regression.
 *
 * <p>{@code atenCapability} is what ATen uses: {@code ATEN_CPU_CAPABILITY} when set, else the best the CPU supports
 * (avx512 needs AVX-512 F, BW, VL and DQ; avx2 needs AVX2 and FMA), as ATen's own dispatch decides.
 */
public record NumericEnvironment(
        String cpuModel,
        List<String> isa,
        String atenCapability,
        String onednnMaxCpuIsa,
        String mklCbwr,
        String ompNumThreads,
        String ortOptimization) {

    /** Environment variables that change numerics; the spread tool sets them, provenance records them. */
    public static final List<String> VARIABLES = List.of("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "MKL_CBWR",
            "OMP_NUM_THREADS", OrtOptimization.VARIABLE);

    /** The vector extensions that decide which kernels PyTorch, oneDNN, MKL and ONNX Runtime's MLAS run. */
    static final List<String> RELEVANT_FLAGS = List.of("sse4_1", "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
            "avx512vl", "avx512dq", "avx512_vnni", "avx512_bf16", "amx_tile", "avx_vnni");

    /** This process's environment. */
    public static NumericEnvironment capture() {
        Map<String, String> cpu = cpuInfo(Path.of("/proc/cpuinfo"));
        List<String> isa = isaOf(cpu.getOrDefault("flags", ""));
        return new NumericEnvironment(cpu.getOrDefault("model name", System.getProperty("os.arch")), isa,
                atenCapability(System.getenv("ATEN_CPU_CAPABILITY"), isa), orUnset(System.getenv("ONEDNN_MAX_CPU_ISA")),
                orUnset(System.getenv("MKL_CBWR")), orUnset(System.getenv("OMP_NUM_THREADS")), OrtOptimization.fromEnvironment().label());
    }

    /** The relevant ISA flags among a {@code /proc/cpuinfo} flags line, in {@link #RELEVANT_FLAGS} order. */
    static List<String> isaOf(String flagsLine) {
        Set<String> flags = Set.of(flagsLine.trim().split("\\s+"));
        return RELEVANT_FLAGS.stream().filter(flags::contains).toList();
    }

    /** The kernel family ATen dispatches to: the variable when set, else the best the CPU supports. */
    static String atenCapability(String variable, List<String> isa) {
        if (variable != null && !variable.isBlank()) {
            return variable.trim().toLowerCase(java.util.Locale.ROOT);
        }
        if (isa.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"))) {
            return "avx512";
        }
        return isa.containsAll(List.of("avx2", "fma")) ? "avx2" : "default";
    }

    /** Field-by-field differences, "name: pinned A, here B", empty when the two agree. */
    public List<String> differences(NumericEnvironment here) {
        List<String> out = new ArrayList<>();
        Map<String, Object> a = fields();
        Map<String, Object> b = here.fields();
        a.forEach((k, v) -> {
            if (!String.valueOf(v).equals(String.valueOf(b.get(k)))) {
                out.add(k + ": pinned " + v + ", here " + b.get(k));
            }
        });
        return out;
    }

    private Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel);
        m.put("isa", String.join(" ", isa));
        m.put("aten", atenCapability);
        m.put("onednn-isa", onednnMaxCpuIsa);
        m.put("mkl-cbwr", mklCbwr);
        m.put("omp-threads", ompNumThreads);
        m.put("ort-optimization", ortOptimization);
        return m;
    }

    private static String orUnset(String v) {
        return v == null || v.isBlank() ? "unset" : v.trim();
    }

    /** The first processor's "key: value" lines of a cpuinfo file; empty where there is none (not Linux). */
    static Map<String, String> cpuInfo(Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() && !m.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    m.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc here: the model falls back to the architecture, the ISA list is empty
        }
        return m;
    }
}
