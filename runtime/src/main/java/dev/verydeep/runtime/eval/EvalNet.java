package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.ModelSession;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * One net of an evaluation: its open session (not owned: whoever opened it closes it), what the result files say
 * of it, its metadata and preprocessing, and its image input and class score output ({@code scores_map} of a
 * dense graph or {@code scores} of a classifier). {@link #of} checks the session can be evaluated with the
 * settings; {@link #checkTogether} that several nets can be fused.
 */
record EvalNet(ModelSession session, ModelInfo info, ModelMetadata meta, Preprocessor pre, String input, String output, boolean dense) {

    static EvalNet of(ModelSession session, EvalSettings s) {
        Path path = session.model().path();
        ModelMetadata meta = session.model().metadata().orElseThrow(() -> new UserException(path
                + ": no verydeep metadata (classes, preprocessing, crop); export the net with verydeep export or convert it with verydeep convert"));
        List<String> inputs = session.inputNames();
        if (inputs.size() != 1) {
            throw new UserException(path + ": expected one image input, the model has " + inputs);
        }
        List<String> outputs = session.outputNames();
        boolean dense = outputs.contains(OnnxExporter.SCORES_MAP);
        if (!dense && !outputs.contains(OnnxExporter.SCORES)) {
            throw new UserException(path + ": no class score output (expected '" + OnnxExporter.SCORES_MAP + "' of a dense graph or '"
                    + OnnxExporter.SCORES + "' of a classifier; the model has " + outputs + ")");
        }
        if (!dense && s.method().parts().contains(Part.DENSE)) {
            throw new UserException(path + " is a classifier with a fixed " + meta.crop() + "x" + meta.crop()
                    + " input; dense evaluation needs the fully convolutional graph (" + OnnxExporter.DENSE_FILE
                    + ", or verydeep convert), or use --method multicrop");
        }
        ModelInfo info = new ModelInfo(label(meta, path), meta.trainScale() == null ? "-" : meta.trainScale().toString(),
                path.toString(), Hashes.sha256(session.model().bytes()));
        Preprocessor pre = new Preprocessor(s.preprocessing() != null ? s.preprocessing() : meta.preprocessing());
        return new EvalNet(session, info, meta, pre, inputs.get(0), dense ? OnnxExporter.SCORES_MAP : OnnxExporter.SCORES, dense);
    }

    /** "A w0.125" from the metadata's net, else the file name without {@code .onnx}. */
    private static String label(ModelMetadata meta, Path path) {
        if (meta.net() == null) {
            String f = path.getFileName().toString();
            return f.endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
        }
        double w = meta.net().width();
        return meta.net().config().label() + (w == 1.0 ? "" : " w" + BigDecimal.valueOf(w).stripTrailingZeros().toPlainString());
    }

    /** Fused nets share classes and crop; every test scale is at least the crop. */
    static void checkTogether(List<EvalNet> nets, EvalSettings s) {
        EvalNet first = nets.get(0);
        for (EvalNet n : nets) {
            if (n.classes() != first.classes()) {
                throw new UserException("--model: cannot fuse " + first.info().path() + " (" + first.classes() + " classes) with "
                        + n.info().path() + " (" + n.classes() + " classes)");
            }
            if (n.crop() != first.crop()) {
                throw new UserException("--model: " + first.info().path() + " has crop " + first.crop() + " but " + n.info().path()
                        + " has crop " + n.crop() + "; fused nets must share the crop (the multi-crop windows and scales are shared)");
            }
        }
        int c = first.crop();
        for (int q : s.scales()) {
            if (q < c) {
                throw new UserException("--scales " + s.scales().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")
                        + ": Q=" + q + " is smaller than the crop " + c + " of " + first.info().path()
                        + "; the image's smaller side becomes Q, and both dense and multi-crop evaluation need Q >= " + c);
            }
        }
    }

    int crop() {
        return meta.crop();
    }

    int classes() {
        return meta.classNames().size();
    }
}
