package dev.verydeep.junit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.api.Model;
import dev.verydeep.api.Protocol;
import dev.verydeep.api.Result;
import dev.verydeep.core.NumericEnvironment;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import dev.verydeep.golden.GoldenFile;
import dev.verydeep.golden.GoldenPin;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.runtime.eval.Method;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * The assertions on a real evaluation (the PyTorch-trained fixture on 100 images of the shipped sample): a golden file
 * pinned from the result with {@link GoldenPin} passes; moved values fail with the whole story: golden, tolerance,
 * measured, the spread and rule, the environment and library versions against the pinned ones.
 */
class GoldenAssertionsTest {
    static Result result;

    @TempDir
    Path tmp;

    @BeforeAll
    static void evaluate() {
        Model vgg = Model.convert(GoldenAssertionsTest.class.getResource("/dev/verydeep/golden/pytorch-fashion/vgg-fashion.onnx")).setCrop(64)
                .optPreprocessing(Preprocessing.torchvision()).build();
        result = Protocol.builder().setModels(vgg).setData("fashion-mnist-sample:test").optLimit(100).setMethod(Method.DENSE).setScales(64)
                .optThreads(1).build().evaluate();
    }

    /** A one-entry golden file (top-1 error in %, read from results.json) pinned from the result, as a team would pin its own. */
    private Path pinned(double tolerance) throws Exception {
        Path template = tmp.resolve("template.json");
        Json.write(template, Json.MAPPER.readTree("""
                {"format": 2, "source": "verydeep", "table": "t", "toleranceRule": "by hand", "entries": [
                  {"id": "top1", "metric": "top1Error", "value": 0, "unit": "%%", "tolerance": %s,
                   "measure": {"kind": "command", "commands": [["eval", "--out", "{out}/eval"]], "file": "eval/results.json",
                               "field": "/headline/top1_error", "scale": 100}}]}
                """.formatted(tolerance)));
        Path run = result.write(tmp.resolve("run/eval")).getParent();
        ObjectNode f = GoldenPin.pin(GoldenFile.load(template.toString()), run, "GoldenAssertionsTest");
        assertEquals(100 * result.top1Error(), f.at("/entries/0/value").asDouble(), 1e-12);
        assertEquals(NumericEnvironment.capture().cpuModel(), f.at("/entries/0/environment/cpuModel").asText());
        assertEquals("1.24.2", f.at("/entries/0/versions/onnxruntime").asText());
        assertEquals(java.util.List.of(), GoldenSchema.problems(f));
        Path out = tmp.resolve("golden.json");
        Json.write(out, f);
        return out;
    }

    @Test
    void aFilePinnedFromTheResultPassesInEveryForm() throws Exception {
        Path golden = pinned(0.5);
        assertDoesNotThrow(() -> GoldenAssertions.assertMatches(result, golden.toString(), "top1"));
        assertDoesNotThrow(() -> GoldenAssertions.assertMatches(result.json(), golden.toString(), "top1"));
        assertDoesNotThrow(() -> GoldenAssertions.assertMatchesRun(tmp.resolve("run"), golden.toString(), "top1"));
        UserException x = assertThrows(UserException.class, () -> GoldenAssertions.assertMatches(result, golden.toString(), "top5"));
        assertTrue(x.getMessage().contains("no entry 'top5' (entries: top1)"), x.getMessage());
        x = assertThrows(UserException.class, () -> GoldenAssertions.assertMatches(result, "nope.json", "top1"));
        assertTrue(x.getMessage().contains("golden file nope.json not found"), x.getMessage());
    }

    @Test
    void aMovedValueFailsWithGoldenToleranceMeasuredSpreadEnvironmentAndVersions() throws Exception {
        Path golden = pinned(0.5);
        ObjectNode f = (ObjectNode) Json.readTree(golden);
        ObjectNode e = (ObjectNode) f.path("entries").get(0);
        double measured = e.path("value").asDouble();
        e.put("value", measured + 3);
        ((ObjectNode) e.path("environment")).put("cpuModel", "Some Other CPU").put("ortOptimization", "basic");
        ((ObjectNode) e.path("versions")).put("onnxruntime", "1.20.0");
        e.set("spread", Json.MAPPER.readTree("{\"environments\": {\"as-is\": 1.0, \"ort-basic\": 1.2}, \"environmentRange\": 0.2, "
                + "\"resolution\": 0.3, \"rule\": \"tolerance = max(1.5 x environment range, resolution)\"}"));
        Json.write(golden, f);
        AssertionFailedError a = assertThrows(AssertionFailedError.class, () -> GoldenAssertions.assertMatches(result, golden.toString(), "top1"));
        String m = a.getMessage();
        System.out.println(m);
        for (String part : new String[] {"golden entry 'top1' of " + golden + " (top1Error): FAIL",
                String.format(java.util.Locale.ROOT, "golden     %s %%", GoldenMessageNum.of(measured + 3)),
                "tolerance  +-0.5 %", String.format(java.util.Locale.ROOT, "measured   %s %% (off by -3;", GoldenMessageNum.of(measured)),
                "tolerance rests on: values under 2 numeric environments {\"as-is\":1.0,\"ort-basic\":1.2}, range 0.2; resolution 0.3; rule: tolerance = max(1.5 x",
                "numeric environment, pinned vs here: cpu: pinned Some Other CPU, here " + NumericEnvironment.capture().cpuModel(),
                "ort-optimization: pinned basic, here all",
                "library versions, pinned vs here: onnxruntime: pinned 1.20.0, here 1.24.2",
                "measured by: verydeep eval --out {out}/eval -> eval/results.json /headline/top1_error x 100"}) {
            assertTrue(m.contains(part), "missing '" + part + "' in\n" + m);
        }
        assertEquals(measured + 3, (Double) a.getExpected().getValue(), 1e-12);
        assertEquals(measured, (Double) a.getActual().getValue(), 1e-12);
    }

    /** The message's number format, for building the expected lines. */
    static final class GoldenMessageNum {
        static String of(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "");
        }
    }
}
