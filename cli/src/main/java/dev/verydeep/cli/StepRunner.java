package dev.verydeep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import dev.verydeep.trainer.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a plan of {@link Step}s through {@link Main#run}, each printed as the command it is, so a user can repeat any by
 * hand. A step that finished leaves a stamp ({@code .steps/NAME.json}: its command and the SHA-256 of its inputs); it is
 * skipped while its outputs exist, its command is unchanged and its inputs hash the same. So a killed plan continues
 * where it stopped (an interrupted training run resumes from its checkpoint) and a changed input re-runs what depends on it.
 */
final class StepRunner {
    /** Folder of the stamps, under the plan's output folder. */
    static final String STAMPS = ".steps";

    /** Where a step stands. */
    enum State { DONE, RESUME, STALE, TODO }

    /** A step's state and why. */
    record Status(State state, String why) {
    }

    private final Path stamps;
    private final PrintWriter out;
    private final PrintWriter err;

    StepRunner(Path planOut, PrintWriter out, PrintWriter err) {
        this.stamps = planOut.resolve(STAMPS);
        this.out = out;
        this.err = err;
    }

    Status status(Step s) {
        if (s.always()) {
            return new Status(State.TODO, "runs every time");
        }
        Path stamp = stamp(s);
        if (Files.isRegularFile(stamp)) {
            JsonNode j = Json.readTree(stamp);
            if (!j.path("command").asText().equals(s.command())) {
                return new Status(State.STALE, "its command changed since it ran");
            }
            for (Path in : s.inputs()) {
                String was = j.path("inputs").path(in.toString()).asText("");
                if (!Files.isRegularFile(in) || !Hashes.sha256(in).equals(was)) {
                    return new Status(State.STALE, "input " + in + " changed since it ran");
                }
            }
            for (Path o : s.outputs()) {
                if (!Files.exists(o)) {
                    return new Status(State.STALE, "output " + o + " is missing");
                }
            }
            return new Status(State.DONE, "finished " + j.path("finished").asText()
                    + (j.has("seconds") ? String.format(Locale.ROOT, " in %.0f s", j.path("seconds").asDouble()) : ""));
        }
        if (s.trainRun() != null && Files.isRegularFile(s.trainRun().resolve(RunFolder.RUN_JSON))) {
            return new Status(State.RESUME, "interrupted run in " + s.trainRun());
        }
        return new Status(State.TODO, "not run yet");
    }

    /** Prints the plan, one line per step with its state, then its command. */
    void printPlan(List<Step> plan) {
        int n = 0;
        Map<State, Integer> counts = new LinkedHashMap<>();
        for (Step s : plan) {
            Status st = status(s);
            counts.merge(st.state(), 1, Integer::sum);
            out.printf(Locale.ROOT, "%3d %-6s %-28s %s%n", ++n, st.state().name().toLowerCase(Locale.ROOT), s.name(), st.why());
            out.println("      $ " + (st.state() == State.RESUME ? "verydeep " + String.join(" ", s.resumeArgs()) : s.command()));
        }
        out.println(plan.size() + " steps: " + counts.toString().replaceAll("[{}]", "").toLowerCase(Locale.ROOT));
        out.flush();
    }

    /** Runs every step not done; throws a {@link UserException} naming the step that failed. */
    void run(List<Step> plan) {
        for (Step s : plan) {
            run(s);
        }
    }

    void run(Step s) {
        Status st = status(s);
        if (st.state() == State.DONE) {
            out.println("# " + s.name() + ": done (" + st.why() + "), skipped");
            out.flush();
            return;
        }
        if (st.state() == State.STALE) {
            out.println("# " + s.name() + ": " + st.why() + ", running it again");
            if (s.cleanOnRerun() != null && Files.exists(s.cleanOnRerun())) {
                try {
                    AtomicFiles.deleteRecursively(s.cleanOnRerun());
                } catch (IOException e) {
                    throw new UserException("cannot delete " + s.cleanOnRerun() + " before re-running step " + s.name() + ": " + e.getMessage(), e);
                }
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        for (Path in : s.inputs()) {
            if (!Files.isRegularFile(in)) {
                throw new UserException("step " + s.name() + ": input " + in + " does not exist (an earlier step did not write it)");
            }
            inputs.put(in.toString(), Hashes.sha256(in));
        }
        List<String> args = st.state() == State.RESUME ? s.resumeArgs() : s.args();
        out.println("$ verydeep " + String.join(" ", args));
        out.flush();
        long t0 = System.nanoTime();
        int code = Main.run(args.toArray(new String[0]), out, err);
        if (code != 0) {
            throw new UserException("step " + s.name() + " failed (exit " + code + "): verydeep " + String.join(" ", args)
                    + " (run the same command again to continue from this step)");
        }
        for (Path o : s.outputs()) {
            if (!Files.exists(o)) {
                throw new UserException("step " + s.name() + " finished but did not write " + o);
            }
        }
        Map<String, Object> stamp = new LinkedHashMap<>();
        stamp.put("step", s.name());
        stamp.put("command", s.command());
        stamp.put("inputs", inputs);
        stamp.put("finished", Instant.now().toString());
        // This run's wall time (a resumed training counts only its last part): where a long plan spends its hours.
        stamp.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        Json.write(stamp(s), stamp);
    }

    private Path stamp(Step s) {
        return stamps.resolve(s.name() + ".json");
    }
}
