package dev.verydeep.runtime.loc;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.net.Head;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.OnnxModel;
import dev.verydeep.onnx.OnnxModels;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import dev.verydeep.runtime.eval.ModelInfo;
import java.math.BigDecimal;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A localisation net's session: its head (SCR or PCR), preprocessing and crop from its metadata, its box
 * output ({@code boxes_map} of the dense graph, or {@code boxes} of the classifier form, centre crop only), and
 * which data-set class each of its PCR classes is.
 */
final class LocNet implements AutoCloseable {
    final ModelSession session;
    final ModelInfo info;
    final Head head;
    final Preprocessor pre;
    final int crop;
    /** PCR: data-set class of each net class (-1: not in the data set). */
    final int[] classOf;
    private final String input;
    private final String output;

    private LocNet(ModelSession session, ModelInfo info, Head head, Preprocessor pre, int crop, int[] classOf, String input, String output) {
        this.session = session;
        this.info = info;
        this.head = head;
        this.pre = pre;
        this.crop = crop;
        this.classOf = classOf;
        this.input = input;
        this.output = output;
    }

    /** The metadata of a model, checked to be a box net ({@code --loc}) before a session is opened. */
    static ModelMetadata boxNetMetadata(Path path) {
        ModelMetadata meta = OnnxModels.load(path).metadata().orElseThrow(() -> new UserException("--loc " + path
                + ": no verydeep metadata, so no box head; give a localisation net exported by verydeep export from a train-loc run"));
        if (meta.net() == null || !meta.net().head().isBox()) {
            throw new UserException("--loc " + path + " is a classifier (head classes), not a box net; --loc takes localisation nets "
                    + "(exported from a train-loc run, outputs " + OnnxExporter.BOXES_MAP + " or " + OnnxExporter.BOXES + "), --cls the classifier");
        }
        return meta;
    }

    /** The metadata of a model, checked to be a classifier ({@code --cls}). */
    static ModelMetadata classifierMetadata(Path path) {
        OnnxModel model = OnnxModels.load(path);
        ModelMetadata meta = model.metadata().orElseThrow(() -> new UserException("--cls " + path
                + ": no verydeep metadata (classes, preprocessing, crop); export the net with verydeep export or convert it with verydeep convert"));
        if (meta.net() != null && meta.net().head().isBox()) {
            throw new UserException("--cls " + path + " is a box net (head " + meta.net().head().id() + "), not a classifier; "
                    + "give it as --loc and a classification net as --cls");
        }
        if (model.proto().getGraph().getOutputList().stream().noneMatch(o -> o.getName().equals(OnnxExporter.SCORES_MAP))) {
            throw new UserException("--cls " + path + " has no '" + OnnxExporter.SCORES_MAP + "' output (the classifier form has a fixed "
                    + meta.crop() + "x" + meta.crop() + " input); localize needs the dense graph (" + OnnxExporter.DENSE_FILE + ", or verydeep convert)");
        }
        return meta;
    }

    static LocNet open(Path path, LocSettings s, List<String> dataClasses) {
        ModelMetadata meta = boxNetMetadata(path);
        NetDescription net = meta.net();
        for (int q : s.scales()) {
            if (q < meta.crop()) {
                throw new UserException("--scales: Q=" + q + " is smaller than the crop " + meta.crop() + " of " + path
                        + "; the image's smaller side becomes Q, and the net needs at least a crop-sized input");
            }
        }
        int[] classOf = new int[0];
        if (net.head() == Head.PCR) {
            classOf = ClassMatch.map(meta.classNames(), dataClasses);
            List<String> missing = new ArrayList<>();
            for (int d = 0; d < dataClasses.size(); d++) {
                final int dd = d;
                if (Arrays.stream(classOf).noneMatch(c -> c == dd)) {
                    missing.add(dataClasses.get(d));
                }
            }
            if (!missing.isEmpty()) {
                throw new UserException("--loc " + path + ": a per-class regression net without a box for the data set's class(es) " + missing
                        + " (its classes: " + meta.classNames() + ")");
            }
        }
        ModelSession session = Sessions.open(path, s.device(), s.intraOpThreads(), s.strict());
        try {
            List<String> inputs = session.inputNames();
            if (inputs.size() != 1) {
                throw new UserException("--loc " + path + ": expected one image input, the model has " + inputs);
            }
            List<String> outputs = session.outputNames();
            String output;
            if (outputs.contains(OnnxExporter.BOXES_MAP)) {
                output = OnnxExporter.BOXES_MAP;
            } else if (outputs.contains(OnnxExporter.BOXES)) {
                if (s.protocol() == Protocol.FULL) {
                    throw new UserException("--loc " + path + " is the classifier form (output '" + OnnxExporter.BOXES + "', fixed "
                            + meta.crop() + "x" + meta.crop() + " input); --protocol full needs the dense graph (" + OnnxExporter.DENSE_FILE + ")");
                }
                output = OnnxExporter.BOXES;
            } else {
                throw new UserException("--loc " + path + ": no box output (expected '" + OnnxExporter.BOXES_MAP + "' or '" + OnnxExporter.BOXES
                        + "'; the model has " + outputs + ")");
            }
            String label = net.config().label() + (net.width() == 1.0 ? "" : " w" + BigDecimal.valueOf(net.width()).stripTrailingZeros().toPlainString())
                    + " " + net.head().id();
            ModelInfo info = new ModelInfo(label, meta.trainScale() == null ? "-" : meta.trainScale().toString(), path.toString(),
                    Hashes.sha256(session.model().bytes()));
            return new LocNet(session, info, net.head(), new Preprocessor(meta.preprocessing()), meta.crop(), classOf, inputs.get(0), output);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The output of one run: values and shape. */
    record Output(float[] values, long[] shape) {
        int rows() {
            return shape.length == 4 ? (int) shape[2] : 1;
        }

        int cols() {
            return shape.length == 4 ? (int) shape[3] : 1;
        }

        /** Offset of input {@code i}'s map. */
        int at(int i) {
            return Math.toIntExact(values.length / shape[0] * i);
        }
    }

    /** Runs the net on {@code values} shaped {@code [n, 3, h, w]}; checks the box output's shape. */
    Output run(float[] values, long[] shape) {
        int channels = head.outputs(Math.max(1, classOf.length));
        try (OnnxTensor t = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(values), shape);
                OrtSession.Result r = session.session().run(Map.of(input, t), Set.of(output))) {
            OnnxValue v = r.get(0);
            if (!(v instanceof OnnxTensor o)) {
                throw new UserException(info.path() + ": output '" + output + "' is not a tensor");
            }
            long[] os = o.getInfo().getShape();
            if (!((os.length == 2 || os.length == 4) && os[0] == shape[0] && os[1] == channels)) {
                throw new UserException(info.path() + ": output '" + output + "' has shape " + Arrays.toString(os) + ", expected [" + shape[0]
                        + ", " + channels + (os.length == 4 ? ", h, w]" : "]") + " for a " + head.id() + " head");
            }
            FloatBuffer fb = o.getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return new Output(out, os);
        } catch (OrtException e) {
            throw new UserException(info.path() + ": ONNX Runtime failed on an input of shape " + Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
