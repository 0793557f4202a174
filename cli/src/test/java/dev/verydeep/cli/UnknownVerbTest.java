package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.CliRun;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A mistyped or foreign verb: one line on stderr, exit 2, nothing run, and the nearest verb when there is one. */
class UnknownVerbTest {
    static void oneLine(CliRun r, String... words) {
        assertEquals(2, r.code(), r.toString());
        assertEquals("", r.out(), "nothing ran");
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String w : words) {
            assertTrue(r.err().contains(w), "'" + w + "' in: " + r.err());
        }
    }

    @Test
    void aMistypedVerbNamesTheNearestOne() {
        oneLine(cli("evl", "--model", "m.onnx", "--data", "fashion-mnist:test"), "verydeep: unknown verb 'evl'", "did you mean 'eval'?");
        oneLine(cli("--verbose", "tarin", "--config", "A"), "unknown verb 'tarin'", "did you mean 'train'?");
        oneLine(cli("golde", "check"), "did you mean 'golden'?");
        oneLine(cli("exprot", "runs/x"), "did you mean 'export'?");
    }

    @Test
    void aWordFarFromEveryVerbGetsNoGuess() {
        CliRun r = cli("frobnicate");
        oneLine(r, "unknown verb 'frobnicate'", "verydeep --help");
        assertTrue(!r.err().contains("did you mean"), r.err());
    }

    @Test
    void sparkIsRefusedSayingWhereItsVerbsLive() {
        oneLine(cli("spark", "eval", "--master", "x"), "'spark' is not a verb of this command", "spark module's own launcher");
    }

    @Test
    void knownVerbsAndTopLevelOptionsPassThrough() {
        assertEquals(0, cli("--help").code());
        assertEquals(0, cli("describe", "--config", "A").code());
        assertEquals(Optional.empty(), UnknownVerb.check(new String[] {"eval", "--model", "x"}, List.of("eval")));
        assertEquals(Optional.empty(), UnknownVerb.check(new String[] {}, List.of("eval")));
    }

    @Test
    void distanceCountsEditsAndSwaps() {
        assertEquals(1, UnknownVerb.distance("evl", "eval"));
        assertEquals(1, UnknownVerb.distance("tarin", "train"));
        assertEquals(0, UnknownVerb.distance("fuse", "fuse"));
        assertEquals(4, UnknownVerb.distance("", "eval"));
    }
}
