package dev.verydeep.runtime;

import dev.verydeep.runtime.Comparison.Tolerance;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code verydeep verify} found: per model, per test data set, PASS or FAIL with every output's
 * errors and worst element.
 *
 * @param tolerance the tolerance used
 * @param models    one result per verified model file
 */
public record VerifyReport(Tolerance tolerance, List<ModelResult> models) {

    /** The sets of one model file, and the device they ran on. */
    public record ModelResult(Path model, DeviceSelection device, List<SetResult> sets) {
        public boolean passed() {
            return sets.stream().allMatch(SetResult::passed);
        }
    }

    /**
     * One test data set: its output comparisons, or an error that kept it from running (unreadable files,
     * input count, ORT refusing the inputs). Either way a FAIL unless every comparison passed.
     */
    public record SetResult(String name, List<Comparison> outputs, String error) {
        public static SetResult error(String name, String error) {
            return new SetResult(name, List.of(), error);
        }

        public boolean passed() {
            return error == null && !outputs.isEmpty() && outputs.stream().allMatch(Comparison::passed);
        }
    }

    public boolean passed() {
        return models.stream().allMatch(ModelResult::passed);
    }

    public long setCount() {
        return models.stream().mapToLong(m -> m.sets().size()).sum();
    }

    public long failedSets() {
        return models.stream().flatMap(m -> m.sets().stream()).filter(s -> !s.passed()).count();
    }

    /** The text {@code verydeep verify} prints. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (ModelResult m : models) {
            sb.append(String.format(Locale.ROOT, "verify %s on %s, %s%n", m.model(), m.device(), tolerance));
            for (SetResult s : m.sets()) {
                sb.append(String.format(Locale.ROOT, "  %s: %s%n", s.name(), s.passed() ? "PASS" : "FAIL"));
                if (s.error() != null) {
                    sb.append("    error: ").append(s.error()).append('\n');
                }
                for (Comparison c : s.outputs()) {
                    sb.append("    ").append(c.passed() ? "" : "FAIL ").append(c.render()).append('\n');
                }
            }
        }
        long failed = failedSets();
        sb.append(String.format(Locale.ROOT, "%s: %d test data sets, %d PASS, %d FAIL%n", failed == 0 ? "PASS" : "FAIL",
                setCount(), setCount() - failed, failed));
        return sb.toString();
    }
}
