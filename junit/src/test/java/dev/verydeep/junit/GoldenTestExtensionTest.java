package dev.verydeep.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.testing.TestEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** {@link GoldenTest} run through the JUnit Platform Launcher on a fixture class: one test per entry, named after it, and its failures. */
class GoldenTestExtensionTest {
    /** Runs only when launched by the test below. */
    static volatile boolean launched;
    static final String LAUNCHED_ONLY = "a fixture of oneTestPerEntryNamedAfterItAndFailuresThatSayWhy, run only by it";

    static JsonNode result(double top1) {
        return Json.MAPPER.valueToTree(Map.of("headline", Map.of("top1_error", top1)));
    }

    static class Fixture {
        @GoldenTest(file = "golden/extension-test.json")
        void everyEntry(GoldenRun golden) {
            TestEnvironment.skipUnless(launched, LAUNCHED_ONLY);
            assertEquals(golden.id().equals("pass") ? 20.0 : 30.0, golden.golden(), 0);
            golden.check(result(0.202));
        }

        @GoldenTest(file = "golden/extension-test.json", entries = "pass")
        void checksNothing(GoldenRun golden) {
            TestEnvironment.skipUnless(launched, LAUNCHED_ONLY);
        }

        @GoldenTest(file = "golden/extension-test.json", entries = "nope")
        void unknownEntry(GoldenRun golden) {
            TestEnvironment.skipUnless(launched, LAUNCHED_ONLY);
        }
    }

    @Test
    void oneTestPerEntryNamedAfterItAndFailuresThatSayWhy() {
        Map<String, String> outcomes = new TreeMap<>();
        List<String> all = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launched = true;
        try {
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Fixture.class)).build(), new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                    if (id.getSource().isPresent() && !id.isContainer() || r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                        String outcome = r.getStatus() + r.getThrowable().map(t -> ": " + t.getMessage()).orElse("");
                        outcomes.putIfAbsent(id.getDisplayName(), outcome);
                        all.add(outcome);
                    }
                }
            });
        } finally {
            launched = false;
        }
        List<String> names = new ArrayList<>(outcomes.keySet());
        assertTrue(names.containsAll(List.of("pass: top1Error 20.0 +- 0.5 %", "fail: top1Error 30.0 +- 0.5 %")), names.toString());
        assertEquals("SUCCESSFUL", outcomes.get("pass: top1Error 20.0 +- 0.5 %"), outcomes.toString());
        String fail = outcomes.get("fail: top1Error 30.0 +- 0.5 %");
        assertTrue(fail.startsWith("FAILED: golden entry 'fail' of golden/extension-test.json (top1Error): FAIL"), fail);
        assertTrue(fail.contains("golden     30 %") && fail.contains("tolerance  +-0.5 %") && fail.contains("measured   20.2 % (off by -9.8"), fail);
        assertTrue(fail.contains("tolerance rests on: no measured spread in the entry"), fail);
        assertTrue(all.stream().anyMatch(v -> v.contains("checked nothing: call GoldenRun.check(result)")), all.toString());
        assertTrue(all.stream().anyMatch(v -> v.contains("no entry 'nope' (entries: pass, fail)")), all.toString());
        assertEquals(4, all.size(), all.toString());
    }
}
