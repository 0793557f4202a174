package dev.verydeep.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.onnx.TensorData;
import dev.verydeep.runtime.Comparison.Tolerance;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    static TensorData f(float... v) {
        return TensorData.ofFloats("y", new long[] {v.length}, v);
    }

    @Test
    void allCloseRule() {
        Tolerance t = new Tolerance(1e-3, 1e-5);
        assertTrue(Comparison.of("y", f(1000f), f(1000.9f), t).passed(), "within rtol x |expected|");
        assertFalse(Comparison.of("y", f(1000f), f(1001.1f), t).passed());
        assertTrue(Comparison.of("y", f(0f), f(9e-6f), t).passed(), "within atol at zero");
        Comparison c = Comparison.of("y", f(0f), f(2e-5f), t);
        assertFalse(c.passed());
        assertEquals(Double.POSITIVE_INFINITY, c.maxRel());
        assertTrue(c.render().contains("max rel Infinity"), c.render());
    }

    @Test
    void nanAndInfinity() {
        Tolerance t = Tolerance.DEFAULT;
        assertTrue(Comparison.of("y", f(Float.NaN, Float.POSITIVE_INFINITY), f(Float.NaN, Float.POSITIVE_INFINITY), t).passed());
        Comparison c = Comparison.of("y", f(1f, Float.NaN), f(1f, 2f), t);
        assertFalse(c.passed());
        assertArrayEquals(new long[] {1}, c.worstIndex());
        assertFalse(Comparison.of("y", f(Float.NEGATIVE_INFINITY), f(Float.POSITIVE_INFINITY), t).passed());
    }

    @Test
    void worstElementIsFurthestBeyondItsTolerance() {
        // Absolute error is larger at index 0, but index 2 is further beyond its (smaller) tolerance.
        Comparison c = Comparison.of("y", f(100f, 1f, 0.01f), f(100.05f, 1f, 0.0102f), new Tolerance(1e-3, 1e-5));
        assertArrayEquals(new long[] {2}, c.worstIndex());
        assertEquals(0.01f, c.worstExpected(), 0);
        assertEquals(1, c.failures());
        assertEquals(0.05, c.maxAbs(), 1e-5);
    }

    @Test
    void emptyOutputsAndMissingOutputs() {
        TensorData empty = TensorData.ofFloats("y", new long[] {0, 4}, new float[0]);
        Comparison e = Comparison.of("y", empty, empty, Tolerance.DEFAULT);
        assertTrue(e.passed());
        assertTrue(e.render().contains("empty"));
        assertFalse(Comparison.of("y", f(1f), null, Tolerance.DEFAULT).passed());
    }
}
