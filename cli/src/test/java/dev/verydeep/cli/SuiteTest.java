package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.UserException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite's plan, and the step runner's skip / re-run / resume decisions on real (cheap) commands. */
class SuiteTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private StepRunner runner() {
        return new StepRunner(tmp, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** make-dataset fashion-caltech with 2 per class: a real verb that takes a second (full set or shipped sample). */
    private Step caltech(String name, Path dir, int perClass, List<Path> inputs) {
        Step s = Steps.makeDataset(name, "fashion-caltech", dir, "--per-class", Integer.toString(perClass));
        return new Step(s.name(), s.args(), inputs, s.outputs(), null, s.cleanOnRerun(), false);
    }

    @Test
    void finishedStepsAreSkippedAndAChangedInputRerunsWhatDependsOnIt() throws Exception {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        Path firstInfo = first.resolve(Steps.DATASET_INFO);
        List<Step> plan = List.of(caltech("first", first, 2, List.of()), caltech("second", second, 2, List.of(firstInfo)));
        StepRunner r = runner();
        r.run(plan);
        assertTrue(Files.isRegularFile(second.resolve(Steps.DATASET_INFO)), out.toString());
        assertTrue(Files.isRegularFile(tmp.resolve(StepRunner.STAMPS).resolve("second.json")));
        // the stamp records how long the step took, for the plan's timing
        var secs = dev.verydeep.core.io.Json.readTree(tmp.resolve(StepRunner.STAMPS).resolve("second.json")).path("seconds");
        assertTrue(secs.isNumber() && secs.asDouble() >= 0 && secs.asDouble() < 600, "seconds " + secs); // a fast step rounds to 0.0
        assertEquals(StepRunner.State.DONE, r.status(plan.get(1)).state());

        out.getBuffer().setLength(0);
        r.run(plan);
        assertEquals(2, out.toString().split("skipped", -1).length - 1, out.toString());
        assertFalse(out.toString().contains("$ verydeep"), out.toString());

        // the first step's output changes: the second is stale; its folder is cleared (make-dataset refuses an existing one)
        Files.writeString(firstInfo, Files.readString(firstInfo) + " ");
        StepRunner.Status st = r.status(plan.get(1));
        assertEquals(StepRunner.State.STALE, st.state());
        assertTrue(st.why().contains("input " + firstInfo + " changed"), st.why());
        out.getBuffer().setLength(0);
        r.run(plan);
        assertTrue(out.toString().contains("# second: input " + firstInfo + " changed since it ran, running it again"), out.toString());
        assertTrue(out.toString().contains("$ verydeep make-dataset fashion-caltech --out " + second), out.toString());
        assertEquals(StepRunner.State.DONE, r.status(plan.get(1)).state());

        // a changed command is stale too; a deleted output as well
        assertEquals(StepRunner.State.STALE, r.status(caltech("second", second, 3, List.of(firstInfo))).state());
        Files.delete(second.resolve(Steps.DATASET_INFO));
        assertTrue(r.status(plan.get(1)).why().contains("is missing"));
    }

    @Test
    void aFailedStepNamesItselfAndLeavesNoStamp() {
        Step bad = Step.of("bad", List.of("make-dataset", "no-such-kind", "--out", tmp.resolve("x").toString()), List.of(), List.of());
        StepRunner r = runner();
        UserException e = assertThrows(UserException.class, () -> r.run(List.of(bad)));
        assertTrue(e.getMessage().startsWith("step bad failed (exit 2): verydeep make-dataset no-such-kind"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve(StepRunner.STAMPS).resolve("bad.json")));
        assertTrue(err.toString().contains("unknown data set kind 'no-such-kind'"), err.toString());
        Step missingInput = Step.of("needs", List.of("describe", "--config", "A"), List.of(tmp.resolve("absent.vdw")), List.of());
        e = assertThrows(UserException.class, () -> r.run(missingInput));
        assertTrue(e.getMessage().contains("input " + tmp.resolve("absent.vdw") + " does not exist"), e.getMessage());
    }

    @Test
    void anInterruptedTrainingRunIsResumed() throws Exception {
        Path run = tmp.resolve("runs/A-37");
        Step train = Steps.train("train-A-37", run, tmp.resolve("runs/init"), List.of("--config", "A", "--epochs", "2"));
        assertEquals(List.of("train", "--config", "A", "--epochs", "2", "--init-from", tmp.resolve("runs/init").toString(),
                "--out", run.toString(), "--force", "--no-progress"), train.args());
        assertEquals(List.of("train", "--config", "A", "--epochs", "2", "--init-from", tmp.resolve("runs/init").toString(),
                "--no-progress", "--resume", run.toString()), train.resumeArgs());
        StepRunner r = runner();
        assertEquals(StepRunner.State.TODO, r.status(train).state());
        Files.createDirectories(run);
        Files.writeString(run.resolve("run.json"), "{}"); // what a killed run leaves: run.json, no stamp
        assertEquals(StepRunner.State.RESUME, r.status(train).state());
        r.printPlan(List.of(train));
        assertTrue(out.toString().contains("resume train-A-37"), out.toString());
        assertTrue(out.toString().contains("$ verydeep " + String.join(" ", train.resumeArgs())), out.toString());
    }

    @Test
    void thePlanCoversTheTablesAndEveryInputIsMadeByAnEarlierStep() {
        List<Step> plan = SuitePlan.build(tmp, SuitePlan.Settings.full());
        Set<String> names = new HashSet<>();
        Set<Path> made = new HashSet<>();
        for (Step s : plan) {
            assertTrue(names.add(s.name()), "duplicate step " + s.name());
            for (Path in : s.inputs()) {
                assertTrue(made.contains(in), s.name() + " reads " + in + " which no earlier step writes");
            }
            made.addAll(s.outputs());
        }
        for (String net : List.of("A-37", "A-LRN-37", "B-37", "C-37", "C-55", "C-jit", "D-37", "D-55", "D-jit", "E-37", "E-55", "E-jit")) {
            for (String step : List.of("train-", "export-", "verify-", "table3-")) {
                assertTrue(names.contains(step + net), step + net);
            }
        }
        for (String step : List.of("table4-B-37", "table4-E-jit", "table5-D-jit-multicrop", "table5-E-jit-both", "table6-D-E-dense",
                "table6-D-E-both", "train-D-src", "table11-D+E-caltech101", "table11-D-voc2007", "report")) {
            assertTrue(names.contains(step), step);
        }
        assertEquals("report", plan.get(plan.size() - 1).name());
        Step jit = plan.stream().filter(s -> s.name().equals("train-D-jit")).findFirst().orElseThrow();
        assertTrue(String.join(" ", jit.args()).contains("--scale-jitter 37:73"), jit.command());
        assertTrue(jit.inputs().contains(tmp.resolve("runs/D-55/weights.vdw")), "jittered D is fine-tuned from D at S=55");
        Step src = plan.stream().filter(s -> s.name().equals("train-D-src")).findFirst().orElseThrow();
        assertTrue(src.command().contains("fashion-mnist:train:classes=0-4"), "transfer source nets never see the target classes");
        Step caltech = plan.stream().filter(s -> s.name().equals("table11-D-caltech101")).findFirst().orElseThrow();
        assertTrue(caltech.command().contains("--splits 3 --train-per-class 30 --test-per-class 50"), caltech.command());
    }

    /** A reference folder holding (empty stand-ins for) the given nets' dense graphs: the plan only looks for them. */
    private Path fakeReference(String... nets) throws Exception {
        Path ref = tmp.resolve("reference");
        for (String n : nets) {
            Files.createDirectories(ref.resolve(n));
            Files.writeString(ref.resolve(n).resolve(Steps.DENSE), "");
        }
        return ref;
    }

    @Test
    void theReferencePlanEvaluatesThePresentNetsInTheSuiteLayoutWithoutTraining() throws Exception {
        Path ref = fakeReference("A-37", "D-37", "D-jit", "E-jit");
        Path out = tmp.resolve("out");
        List<Step> plan = SuitePlan.reference(out, ref, List.of("A-37", "D-37", "D-jit", "E-jit"), SuitePlan.Settings.reference());
        Set<String> names = new HashSet<>();
        Set<Path> made = new HashSet<>();
        for (Step s : plan) {
            assertTrue(names.add(s.name()), "duplicate step " + s.name());
            assertFalse(s.args().get(0).equals("train"), s.command());
            for (Path in : s.inputs()) {
                assertTrue(made.contains(in) || in.startsWith(ref), s.name() + " reads " + in + " which no earlier step writes");
            }
            made.addAll(s.outputs());
        }
        for (String step : List.of("table3-A-37", "table3-E-jit", "table4-A-37", "table4-D-jit", "table5-A-37-both", "table5-E-jit-multicrop",
                "table6-A-37-dense", "table6-A-D-37-dense", "table6-D-E-dense", "table6-D-E-both", "report")) {
            assertTrue(names.contains(step), step + " in " + names);
        }
        Step t3 = plan.stream().filter(s -> s.name().equals("table3-D-jit")).findFirst().orElseThrow();
        assertEquals(ref.resolve("D-jit").resolve(Steps.DENSE).toString(), t3.args().get(2));
        assertTrue(t3.command().contains("--method dense --scales 55 ") && !t3.command().contains("--limit"), "all images: " + t3.command());
        Step t5 = plan.stream().filter(s -> s.name().equals("table5-A-37-multicrop")).findFirst().orElseThrow();
        assertTrue(t5.command().contains("--scales 32,37,42") && t5.command().contains("--flip --limit 1000"), t5.command());
        // Table 11 from the S=37 nets present (A, D; no E here, so no D+E), descriptors at the fixed-S test scales
        assertTrue(names.containsAll(List.of("table11-A-caltech101", "table11-D-voc2007")) && !names.contains("table11-D+E-voc2007"), names.toString());
        Step extract = plan.stream().filter(s -> s.name().equals("extract-D-voc")).findFirst().orElseThrow();
        assertTrue(extract.command().contains("--scales 32,37,42 --aggregate average"), extract.command());
        assertEquals(ref.resolve("D-37").resolve(Steps.DENSE).toString(), extract.args().get(2));
        Step fixed = plan.stream().filter(s -> s.name().equals("table6-A-37-dense")).findFirst().orElseThrow();
        assertTrue(fixed.command().contains("--scales 32,37,42") && fixed.command().contains("--flip") && !fixed.command().contains("--limit"),
                fixed.command());
        assertEquals(List.of("report", out.toString(), "--reference", ref.toString(), "-o", out.resolve("report").toString()),
                plan.get(plan.size() - 1).args());
        // one fixed and one jittered net: nothing to fuse
        List<Step> two = SuitePlan.reference(out, ref, List.of("A-37", "D-jit"), SuitePlan.Settings.reference());
        assertTrue(two.stream().noneMatch(s -> s.name().startsWith("table6-")), two.toString());
        // jittered nets alone: no S=37 net, so no Table 11
        List<Step> jit = SuitePlan.reference(out, ref, List.of("D-jit", "E-jit"), SuitePlan.Settings.reference());
        assertTrue(jit.stream().noneMatch(s -> s.name().startsWith("table11-") || s.name().startsWith("make-")), jit.toString());
    }

    @Test
    void theControlAAgainIsEvaluatedInTables3And4OnlyNotFusedNorTransferred() throws Exception {
        List<String> nets = List.of("A-37", "A-LRN-37", "A-again-37", "B-37", "D-37", "E-37", "D-jit", "E-jit");
        Path ref = fakeReference(nets.toArray(new String[0]));
        Path out = tmp.resolve("out");
        List<Step> plan = SuitePlan.reference(out, ref, nets, SuitePlan.Settings.reference());
        Step t3 = plan.stream().filter(s -> s.name().equals("table3-A-again-37")).findFirst().orElseThrow();
        assertEquals(out.resolve("table3/A-again-37/results.json"), t3.outputs().get(0));
        assertEquals(ref.resolve("A-again-37").resolve(Steps.DENSE).toString(), t3.args().get(2));
        assertTrue(t3.command().contains("--method dense --scales 37 ") && !t3.command().contains("--flip"), t3.command());
        Step t4 = plan.stream().filter(s -> s.name().equals("table4-A-again-37")).findFirst().orElseThrow();
        assertEquals(out.resolve("table4/A-again-37/results.json"), t4.outputs().get(0));
        assertTrue(t4.command().contains("--method dense --scales 32,37,42 "), t4.command());
        // no Table 5, no fusion member, no transfer: every other step leaves it out, and no step name carries "A-again"
        // as a config (the fixed-S fusion is of A, A-LRN, B, D, E)
        for (Step s : plan) {
            if (!s.name().equals("table3-A-again-37") && !s.name().equals("table4-A-again-37") && !s.name().equals("report")) {
                assertFalse(s.command().contains("A-again"), s.name() + ": " + s.command());
            }
        }
        assertTrue(plan.stream().anyMatch(s -> s.name().equals("table6-A-A-LRN-B-D-E-37-dense")), plan.toString());
        assertTrue(plan.stream().anyMatch(s -> s.name().equals("table11-A-caltech101")), plan.toString());
        // the same plan without the control: the same steps less its two
        List<Step> family = SuitePlan.reference(out, ref, nets.stream().filter(n -> !n.equals("A-again-37")).toList(),
                SuitePlan.Settings.reference());
        assertEquals(family.size() + 2, plan.size());
    }

    @Test
    void theReferenceGoldenFileReadsOnlyFilesTheReferencePlanWrites() throws Exception {
        // golden-data/scripts/reference-golden.py wrote the file for the nets then in reference/ (more may have landed since)
        var golden = dev.verydeep.golden.GoldenFile.load("verydeep-fashion-reference.json");
        List<String> shipped = dev.verydeep.cli.testing.ReferenceGolden.nets(golden);
        Path ref = fakeReference(shipped.toArray(new String[0]));
        Set<Path> written = new HashSet<>();
        SuitePlan.reference(tmp, ref, shipped, SuitePlan.Settings.reference()).forEach(s -> written.addAll(s.outputs()));
        assertTrue(golden.entries().size() >= 8, "A-37 and D-37 at least");
        for (var e : golden.entries()) {
            Path file = tmp.resolve(e.path("measure").path("file").asText());
            assertTrue(written.contains(file), e.path("id").asText() + " reads " + file + ", which no step of the reference plan writes");
        }
    }

    @Test
    void referenceDryRunNamesTheMissingNetsAndWhatItsTransferIs() throws Exception {
        Path ref = fakeReference("A-37", "D-37");
        Path out = tmp.resolve("out");
        CliRun r = cli("suite", "--reference", "--reference-dir", ref.toString(), "--dry-run", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("reference nets in " + ref + ": A-37, D-37"), r.out());
        assertTrue(r.out().contains("not there yet (their rows are skipped): A-LRN-37, B-37, C-37, C-55, C-jit, D-55, D-jit, E-37, E-55, E-jit"),
                r.out());
        assertTrue(r.out().contains("control A-again-37 (A trained again from A-37's layers, as the deeper nets were) not there yet"), r.out());
        assertTrue(r.out().contains("Table 11 from the S=37 nets, which saw all 10 classes"), r.out());
        assertTrue(r.out().contains("table11-D-caltech101"), r.out());
        assertTrue(r.out().contains("table6-A-D-37-dense") && !r.out().contains("$ verydeep train "), r.out());
        assertFalse(Files.exists(out.resolve("table3")));

        CliRun missing = cli("suite", "--reference", "--reference-dir", tmp.resolve("nope").toString(), "--dry-run");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--reference-dir " + tmp.resolve("nope") + ": no such folder"), missing.err());
        Files.createDirectories(tmp.resolve("empty"));
        CliRun empty = cli("suite", "--reference", "--reference-dir", tmp.resolve("empty").toString(), "--dry-run");
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains(": no reference net in it (expected NET/model-dense.onnx"), empty.err());
        CliRun full = cli("suite", "--reference", "--full", "--dry-run");
        assertEquals(2, full.code());
        assertTrue(full.err().contains("--reference and --full cannot go together"), full.err());
        CliRun none = cli("suite", "--dry-run");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("give --full, --quick or --reference"), none.err());
        CliRun dirAlone = cli("suite", "--quick", "--reference-dir", ref.toString(), "--dry-run");
        assertEquals(2, dirAlone.code());
        assertTrue(dirAlone.err().contains("--reference-dir needs --reference"), dirAlone.err());
    }

    @Test
    void dryRunPrintsThePlanWithCommandsAndRunsNothing() {
        Path suite = tmp.resolve("suite");
        CliRun r = cli("suite", "--quick", "--dry-run", "--out", suite.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("train-A-37"), r.out());
        assertTrue(r.out().contains("$ verydeep train --config A --width 0.0625"), r.out());
        assertTrue(r.out().contains(SuitePlan.build(suite, SuitePlan.Settings.quick()).size() + " steps: todo="), r.out());
        assertFalse(Files.exists(suite.resolve("runs")));
        CliRun both = cli("suite", "--quick", "--full", "--dry-run");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
    }
}
