package dev.verydeep.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NumericEnvironmentTest {
    @Test
    void atenCapabilityFollowsTheVariableElseTheBestTheCpuHas() {
        List<String> epyc = NumericEnvironment.isaOf("fpu sse4_1 sse4_2 avx avx2 fma f16c");
        assertEquals(List.of("sse4_1", "sse4_2", "avx", "avx2", "fma", "f16c"), epyc);
        assertEquals("avx2", NumericEnvironment.atenCapability(null, epyc));
        assertEquals("default", NumericEnvironment.atenCapability("DEFAULT", epyc));
        List<String> xeon = NumericEnvironment.isaOf("avx2 fma avx512f avx512bw avx512vl avx512dq avx512_vnni");
        assertEquals("avx512", NumericEnvironment.atenCapability("", xeon));
        // AVX-512 F alone (no BW/VL/DQ) is not enough for ATen's avx512 kernels.
        assertEquals("avx2", NumericEnvironment.atenCapability(null, NumericEnvironment.isaOf("avx2 fma avx512f")));
        assertEquals("default", NumericEnvironment.atenCapability(null, NumericEnvironment.isaOf("sse4_1 sse4_2")));
    }

    @Test
    void cpuInfoReadsTheFirstProcessorOnly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu avx2 fma\n\nprocessor\t: 1\nmodel name\t: other\n");
        assertEquals("AMD EPYC 7B13", NumericEnvironment.cpuInfo(f).get("model name"));
        assertEquals("fpu avx2 fma", NumericEnvironment.cpuInfo(f).get("flags"));
        assertTrue(NumericEnvironment.cpuInfo(dir.resolve("none")).isEmpty());
    }

    @Test
    void differencesNameEachFieldThatMoved() {
        NumericEnvironment pinned = new NumericEnvironment("Xeon", List.of("avx2", "avx512f"), "avx512", "unset", "unset", "unset", "all");
        NumericEnvironment here = new NumericEnvironment("EPYC", List.of("avx2"), "avx2", "unset", "unset", "unset", "all");
        assertEquals(List.of("cpu: pinned Xeon, here EPYC", "isa: pinned avx2 avx512f, here avx2", "aten: pinned avx512, here avx2"),
                pinned.differences(here));
        assertTrue(here.differences(here).isEmpty());
    }

    @Test
    void ortOptimizationParsesItsLevelsAndNamesTheVariableOnABadOne() {
        assertEquals(OrtOptimization.ALL, OrtOptimization.parse(null));
        assertEquals(OrtOptimization.BASIC, OrtOptimization.parse(" basic "));
        UserException e = assertThrows(UserException.class, () -> OrtOptimization.parse("fast"));
        assertTrue(e.getMessage().startsWith("VERYDEEP_ORT_OPTIMIZATION=fast: not an ONNX Runtime optimisation level"), e.getMessage());
    }
}
