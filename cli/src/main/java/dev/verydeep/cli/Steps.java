package dev.verydeep.cli;

import dev.verydeep.runtime.eval.PosteriorSet;
import dev.verydeep.trainer.RunFolder;
import dev.verydeep.transfer.store.DescriptorStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builders of the {@link Step}s the demo and the suite are made of, with the inputs and outputs of each verb. */
final class Steps {
    static final String DENSE = "model-dense.onnx";
    static final String CLASSIFIER = "model.onnx";
    /** Where {@code make-dataset} records what it wrote: present only when the whole folder was written. */
    static final String DATASET_INFO = "verydeep-dataset.json";

    private Steps() {
    }

    /** {@code train ... --out RUN --force}; initialised from {@code initFrom} (a run folder) when not null. */
    static Step train(String name, Path run, Path initFrom, List<String> trainArgs) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(trainArgs);
        List<Path> inputs = List.of();
        if (initFrom != null) {
            args.addAll(List.of("--init-from", initFrom.toString()));
            inputs = List.of(initFrom.resolve(RunFolder.WEIGHTS));
        }
        args.addAll(List.of("--out", run.toString(), "--force", "--no-progress"));
        List<Path> outputs = new ArrayList<>(List.of(run.resolve(RunFolder.WEIGHTS)));
        if (trainArgs.contains("--eval-data")) {
            outputs.add(run.resolve("eval.json"));
        }
        return new Step(name, args, inputs, outputs, run, null, false);
    }

    /** {@code export RUN --force}: both ONNX forms and their test data. */
    static Step export(String name, Path run) {
        return Step.of(name, List.of("export", run.toString(), "--force"), List.of(run.resolve(RunFolder.WEIGHTS)),
                List.of(run.resolve(CLASSIFIER), run.resolve(DENSE)));
    }

    /** {@code verify MODEL}: ONNX Runtime against the outputs stored at export (the stamp is the only record). */
    static Step verify(String name, Path model) {
        return Step.of(name, List.of("verify", model.toString()), List.of(model), List.of());
    }

    /** {@code eval --model M[,M..] ... --out DIR --force --no-progress}. */
    static Step eval(String name, Path dir, List<Path> models, String... evalArgs) {
        List<String> args = new ArrayList<>(List.of("eval", "--model", join(models)));
        args.addAll(Arrays.asList(evalArgs));
        args.addAll(List.of("--out", dir.toString(), "--force", "--no-progress"));
        return Step.of(name, args, models, List.of(dir.resolve("results.json"), dir.resolve(PosteriorSet.FILE)));
    }

    /** {@code fuse EVAL EVAL.. --out DIR --force}: late fusion of saved posteriors. */
    static Step fuse(String name, Path dir, List<Path> evals) {
        List<String> args = new ArrayList<>(List.of("fuse"));
        evals.forEach(e -> args.add(e.toString()));
        args.addAll(List.of("--out", dir.toString(), "--force"));
        return Step.of(name, args, evals.stream().map(e -> e.resolve(PosteriorSet.FILE)).toList(), List.of(dir.resolve("results.json")));
    }

    /** {@code make-dataset KIND --out DIR ...}; the folder is deleted before a re-run (the command refuses an existing one). */
    static Step makeDataset(String name, String kind, Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("make-dataset", kind, "--out", dir.toString()));
        args.addAll(Arrays.asList(more));
        return new Step(name, args, List.of(), List.of(dir.resolve(DATASET_INFO)), null, dir, false);
    }

    /** {@code extract --model M[,M..] --data SPEC --scales Q,.. --out STORE}; a stale store is deleted, an interrupted one resumed. */
    static Step extract(String name, Path store, List<Path> models, String data, Path dataInfo, String scales, String aggregate) {
        List<Path> inputs = new ArrayList<>(models);
        inputs.add(dataInfo);
        return new Step(name, List.of("extract", "--model", join(models), "--data", data, "--scales", scales, "--aggregate", aggregate,
                "--out", store.toString()), inputs, List.of(store.resolve(DescriptorStore.INDEX)), null, store, false);
    }

    /** {@code transfer --features STORE --protocol P ... --out FILE}. */
    static Step transfer(String name, Path store, Path result, String protocol, String... more) {
        List<String> args = new ArrayList<>(List.of("transfer", "--features", store.toString(), "--protocol", protocol));
        args.addAll(Arrays.asList(more));
        args.addAll(List.of("--out", result.toString()));
        return Step.of(name, args, List.of(store.resolve(DescriptorStore.INDEX)), List.of(result));
    }

    /**
     * {@code report ROOT.. [--reference REF].. -o DIR}: always re-run (it is cheap and reads everything); the nets of the
     * {@code references} folders (shipped reference nets) are labelled as such.
     */
    static Step report(List<Path> roots, List<Path> references, Path dir) {
        List<String> args = new ArrayList<>(List.of("report"));
        roots.forEach(r -> args.add(r.toString()));
        references.forEach(r -> args.addAll(List.of("--reference", r.toString())));
        args.addAll(List.of("-o", dir.toString()));
        return new Step("report", args, List.of(), List.of(dir.resolve("report.html")), null, null, true);
    }

    private static String join(List<Path> models) {
        return String.join(",", models.stream().map(Path::toString).toList());
    }
}
