package com.example.vgg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs {@link WrongPreprocessingExample} through the JUnit Platform Launcher: it must fail, with the whole story in its message. */
class ExpectedFailureTest {
    @Test
    void theWrongPreprocessingFailsAndTheMessageSaysWhy() {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(WrongPreprocessingExample.class)).build(), listener);
        TestExecutionSummary s = listener.getSummary();
        assertEquals(1, s.getTestsFoundCount());
        assertEquals(1, s.getTestsFailedCount(), "the example must fail");
        Throwable t = s.getFailures().get(0).getException();
        assertTrue(t instanceof AssertionError, t.toString());
        String m = t.getMessage();
        System.out.println("WrongPreprocessingExample failed as it should:\n" + m);
        for (String part : List.of("golden entry 'vgg-fashion-dense-Q64-top5' of golden/vgg-fashion.json (top5Error", "golden     0.4 %",
                "tolerance  +-0 %", "measured   4.8 % (off by +4.4;", "tolerance rests on: values under 8 numeric environments", "rule: tolerance = max(",
                "numeric environment, pinned vs here: ", "library versions, pinned vs here: ", "onnxruntime",
                "measured by: verydeep convert ")) {
            assertTrue(m.contains(part), "missing '" + part + "' in:\n" + m);
        }
    }
}
