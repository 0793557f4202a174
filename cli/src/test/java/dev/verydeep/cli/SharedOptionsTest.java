package dev.verydeep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.net.DenseWindow;
import dev.verydeep.runtime.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options several verbs repeat come from one mixin each, so their name, description and default are written
 * once; here every verb that has one parses it to the same value.
 */
class SharedOptionsTest {
    /** What each verb needs besides the shared options to parse (nothing is run, so nothing need exist). */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "eval", List.of("--model", "m.onnx", "--data", "fashion-mnist:test"),
            "extract", List.of("--model", "m.onnx", "--data", "caltech:d", "--scales", "37", "--out", "feats"),
            "localize", List.of("--loc", "l.onnx", "--data", "voc:d", "--scales", "37", "--protocol", "full"),
            "fuse", List.of("a", "b"),
            "verify", List.of("m.onnx"),
            "train", List.of(),
            "train-loc", List.of());

    /** A mixin, the verbs that have it, its options as given to each, and what they must parse to, given or not. */
    private record Shared<T>(Class<T> type, Set<String> verbs, List<String> given, BiConsumer<T, String> checkGiven,
            BiConsumer<T, String> checkDefault) {
        void check(CommandSpec spec, String verb, boolean given) {
            T mixin = find(spec, type);
            assertNotNull(mixin, verb + " has no " + type.getSimpleName());
            (given ? checkGiven : checkDefault).accept(mixin, verb);
        }
    }

    private static final List<Shared<?>> SHARED = List.of(
            new Shared<>(RuntimeOptions.class, Set.of("eval", "extract", "localize", "verify"), List.of("--threads", "3", "--device", "cuda:1"),
                    (r, verb) -> {
                        assertEquals(3, r.threads, verb);
                        assertEquals(Device.parse("cuda:1"), r.device, verb);
                    },
                    (r, verb) -> {
                        assertEquals(0, r.threads, verb);
                        assertEquals(Device.CPU, r.device, verb);
                    }),
            new Shared<>(OutputFolder.class, Set.of("eval", "fuse", "localize"), List.of("--out", "o", "--force"),
                    (o, verb) -> {
                        assertEquals(Path.of("o"), o.out, verb);
                        assertTrue(o.force, verb);
                    },
                    (o, verb) -> {
                        assertNull(o.out, verb);
                        assertFalse(o.force, verb);
                    }),
            new Shared<>(StrictOption.class, Set.of("eval", "localize"), List.of("--strict"),
                    (s, verb) -> assertTrue(s.strict, verb), (s, verb) -> assertFalse(s.strict, verb)),
            new Shared<>(ProgressOption.class, Set.of("eval", "localize", "train", "train-loc"), List.of("--no-progress"),
                    (p, verb) -> assertTrue(p.noProgress, verb), (p, verb) -> assertFalse(p.noProgress, verb)),
            new Shared<>(DenseWindowOption.class, Set.of("eval", "extract", "localize"), List.of("--dense-window", "full"),
                    (d, verb) -> assertEquals(DenseWindow.FULL, d.window(), verb),
                    (d, verb) -> assertEquals(DenseWindow.CENTRED, d.window(), verb)));

    @Test
    void eachSharedMixinIsUsedByTheExpectedVerbs() {
        for (Shared<?> s : SHARED) {
            Set<String> users = new TreeSet<>();
            for (Map.Entry<String, CommandLine> verb : new CommandLine(new Main()).getSubcommands().entrySet()) {
                if (find(verb.getValue().getCommandSpec(), s.type()) != null) {
                    users.add(verb.getKey());
                }
            }
            assertEquals(new TreeSet<>(s.verbs()), users, s.type().getSimpleName());
        }
    }

    @Test
    void aVerbWithDeviceDenseWindowOrNoProgressTakesItFromTheMixin() {
        // --out, --force, --threads and --strict mean other things in some verbs (train, export, suite, ...); these do not.
        Map<String, Class<?>> owner = Map.of("--device", RuntimeOptions.class, "--dense-window", DenseWindowOption.class,
                "--no-progress", ProgressOption.class);
        for (Map.Entry<String, CommandLine> verb : new CommandLine(new Main()).getSubcommands().entrySet()) {
            CommandSpec spec = verb.getValue().getCommandSpec();
            owner.forEach((option, mixin) -> {
                if (spec.findOption(option) != null) {
                    assertNotNull(find(spec, mixin), verb.getKey() + " declares its own " + option);
                }
            });
        }
    }

    @Test
    void sharedOptionsParseToTheSameValuesInEveryVerb() {
        for (String verb : REQUIRED.keySet()) {
            List<String> args = new ArrayList<>(List.of(verb));
            args.addAll(REQUIRED.get(verb));
            List<Shared<?>> its = SHARED.stream().filter(s -> s.verbs().contains(verb)).toList();
            its.forEach(s -> args.addAll(s.given()));
            CommandSpec spec = parse(args);
            its.forEach(s -> s.check(spec, verb, true));
        }
    }

    @Test
    void sharedOptionsHaveTheSameDefaultsInEveryVerb() {
        for (String verb : REQUIRED.keySet()) {
            List<String> args = new ArrayList<>(List.of(verb));
            args.addAll(REQUIRED.get(verb));
            CommandSpec spec = parse(args);
            SHARED.stream().filter(s -> s.verbs().contains(verb)).forEach(s -> s.check(spec, verb, false));
        }
    }

    /** The verb's spec after parsing {@code args} (verb first) in a fresh command line. */
    private static CommandSpec parse(List<String> args) {
        return new CommandLine(new Main()).parseArgs(args.toArray(String[]::new)).subcommand().commandSpec();
    }

    /** The verb's mixin of this type, also inside its mixins (train's ProgressOption is in TrainFlags), or null. */
    private static <T> T find(CommandSpec spec, Class<T> type) {
        for (CommandSpec m : spec.mixins().values()) {
            if (type.isInstance(m.userObject())) {
                return type.cast(m.userObject());
            }
            T inner = find(m, type);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }
}
