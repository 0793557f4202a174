package dev.verydeep.runtime;

import dev.verydeep.core.UserException;
import dev.verydeep.onnx.OnnxModel;
import dev.verydeep.onnx.OnnxModels;
import dev.verydeep.onnx.TensorData;
import dev.verydeep.onnx.TestDataSets;
import dev.verydeep.onnx.TestDataSets.TestDataSet;
import dev.verydeep.runtime.Comparison.Tolerance;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code verydeep verify}: runs a model in ONNX Runtime on its stored test data sets and compares every
 * output with the expected one ({@link Comparison}).
 *
 * <p>Given a model file, its sets are found by {@link TestDataSets#find} ({@code model.onnx} owns
 * {@code test_data_set_N}, {@code model-dense.onnx} owns {@code test_data_set_dense_N}). Given a folder
 * (the ONNX model-zoo and backend-test layout, or an export run folder), every {@code .onnx} file in it
 * that has sets is verified. Inputs are matched to graph inputs by name when every {@code input_i.pb}
 * carries a graph input's name, else by position; outputs likewise.
 */
public final class Verifier {
    private final Tolerance tolerance;
    private final Device device;
    private final boolean strictDevice;
    private final int intraOpThreads;

    private Verifier(Builder b) {
        this.tolerance = b.tolerance;
        this.device = b.device;
        this.strictDevice = b.strictDevice;
        this.intraOpThreads = b.intraOpThreads;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Tolerance tolerance() {
        return tolerance;
    }

    /** Verifies a model file or a folder; a path with nothing to verify is a {@link UserException}. */
    public VerifyReport verify(Path path) {
        if (Files.isDirectory(path)) {
            List<Path> models = modelsIn(path);
            if (models.isEmpty()) {
                throw new UserException(path + ": no .onnx model in this folder");
            }
            List<VerifyReport.ModelResult> results = new ArrayList<>();
            List<String> without = new ArrayList<>();
            for (Path m : models) {
                List<Path> sets = TestDataSets.find(m);
                if (sets.isEmpty()) {
                    without.add(m.getFileName().toString());
                } else {
                    results.add(verifyModel(m, sets));
                }
            }
            if (results.isEmpty()) {
                throw new UserException(path + ": no test data sets for " + String.join(", ", without)
                        + " (expected test_data_set_N folders next to model.onnx)");
            }
            return new VerifyReport(tolerance, results);
        }
        if (!Files.exists(path)) {
            throw new UserException(path + ": no such file or folder");
        }
        List<Path> sets = TestDataSets.find(path);
        if (sets.isEmpty()) {
            throw new UserException(path + ": no test data sets next to it (looked for "
                    + TestDataSets.prefixFor(path) + "N folders in " + path.toAbsolutePath().getParent() + ")");
        }
        return new VerifyReport(tolerance, List.of(verifyModel(path, sets)));
    }

    private static List<Path> modelsIn(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.onnx")) {
            ds.forEach(p -> {
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            });
        } catch (IOException e) {
            throw new UserException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().equals("model.onnx"))
                .thenComparing(p -> p.getFileName().toString()));
        return out;
    }

    /** Verifies one model against the given set folders. */
    public VerifyReport.ModelResult verifyModel(Path modelFile, List<Path> sets) {
        OnnxModel model = OnnxModels.load(modelFile);
        try (ModelSession session = Sessions.open(model, device, intraOpThreads, strictDevice)) {
            List<String> inputs = session.inputNames();
            List<String> outputs = session.outputNames();
            List<VerifyReport.SetResult> results = new ArrayList<>();
            for (Path dir : sets) {
                results.add(verifySet(session, inputs, outputs, dir));
            }
            return new VerifyReport.ModelResult(modelFile, session.device(), results);
        }
    }

    private VerifyReport.SetResult verifySet(ModelSession session, List<String> inputNames, List<String> outputNames, Path dir) {
        String name = dir.getFileName().toString();
        TestDataSet set;
        try {
            set = TestDataSets.read(dir);
        } catch (UserException e) {
            return VerifyReport.SetResult.error(name, e.getMessage());
        }
        List<String> in = match(set.inputs(), inputNames);
        if (in == null) {
            return VerifyReport.SetResult.error(name, set.inputs().size() + " input files for " + inputNames.size()
                    + " model inputs " + inputNames);
        }
        List<String> out = match(set.outputs(), outputNames);
        if (out == null) {
            return VerifyReport.SetResult.error(name, set.outputs().size() + " output files for " + outputNames.size()
                    + " model outputs " + outputNames);
        }
        Map<String, TensorData> feed = new LinkedHashMap<>();
        for (int i = 0; i < in.size(); i++) {
            feed.put(in.get(i), set.inputs().get(i));
        }
        Map<String, TensorData> got;
        try {
            got = session.run(feed);
        } catch (UserException e) {
            return VerifyReport.SetResult.error(name, e.getMessage());
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            comparisons.add(Comparison.of(out.get(i), set.outputs().get(i), got.get(out.get(i)), tolerance));
        }
        return new VerifyReport.SetResult(name, comparisons, null);
    }

    /** Graph names for the tensors: by their names when all match, else by position; null if too many. */
    private static List<String> match(List<TensorData> tensors, List<String> graphNames) {
        if (tensors.size() > graphNames.size()) {
            return null;
        }
        Set<String> names = Set.copyOf(graphNames);
        boolean byName = tensors.stream().allMatch(t -> names.contains(t.name()))
                && tensors.stream().map(TensorData::name).distinct().count() == tensors.size();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            out.add(byName ? tensors.get(i).name() : graphNames.get(i));
        }
        return out;
    }

    /** set/opt builder. */
    public static final class Builder {
        private Tolerance tolerance = Tolerance.DEFAULT;
        private Device device = Device.CPU;
        private boolean strictDevice;
        private int intraOpThreads;

        public Builder optTolerance(Tolerance tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** Fail instead of falling back to CPU when CUDA is unavailable. */
        public Builder optStrictDevice(boolean strict) {
            this.strictDevice = strict;
            return this;
        }

        /** ORT intra-op threads; 0 (default) lets ORT choose. */
        public Builder optIntraOpThreads(int threads) {
            this.intraOpThreads = threads;
            return this;
        }

        public Verifier build() {
            return new Verifier(this);
        }
    }
}
