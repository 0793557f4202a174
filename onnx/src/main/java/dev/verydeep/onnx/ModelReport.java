package dev.verydeep.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A summary of a model: graph inputs and outputs with their shapes (dynamic dims by name, {@code ?} when
 * unnamed), IR version, operator sets, a histogram of operators, parameter count, and metadata.
 *
 * @param file          the model file
 * @param irVersion     ONNX IR version
 * @param opsets        operator set versions by domain ({@code ai.onnx} for the default domain)
 * @param producer      producer name and version
 * @param inputs        graph inputs that are not initializers
 * @param outputs       graph outputs
 * @param ops           node count per operator, {@code domain:Op} for non-default domains
 * @param nodes         number of nodes in the main graph
 * @param initializers  number of initializers
 * @param parameters    elements in all initializers
 * @param parameterBytes bytes of those elements
 * @param metadata      {@code metadata_props} in file order
 */
public record ModelReport(Path file, long irVersion, Map<String, Long> opsets, String producer, List<Value> inputs,
                          List<Value> outputs, Map<String, Integer> ops, int nodes, int initializers, long parameters,
                          long parameterBytes, Map<String, String> metadata) {

    /** A graph input or output: name, element type and dims ({@code 3}, {@code N} or {@code ?}). */
    public record Value(String name, String type, List<String> dims) {
        @Override
        public String toString() {
            return name + " " + type + " [" + String.join(", ", dims) + "]";
        }
    }

    static ModelReport of(OnnxModel model) {
        ModelProto m = model.proto();
        GraphProto g = m.getGraph();
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            opsets.put(o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain(), o.getVersion());
        }
        Set<String> init = new HashSet<>();
        long params = 0;
        long bytes = 0;
        for (TensorProto t : g.getInitializerList()) {
            init.add(t.getName());
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= Math.max(d, 0);
            }
            params += n;
            DataTypeSize size = DataTypeSize.of(t.getDataType());
            bytes += n * size.bytes;
        }
        List<Value> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!init.contains(v.getName())) {
                inputs.add(value(v));
            }
        }
        List<Value> outputs = g.getOutputList().stream().map(ModelReport::value).toList();
        Map<String, Integer> ops = new TreeMap<>();
        for (NodeProto n : g.getNodeList()) {
            String op = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType() : n.getDomain() + ":" + n.getOpType();
            ops.merge(op, 1, Integer::sum);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (StringStringEntryProto e : m.getMetadataPropsList()) {
            meta.put(e.getKey(), e.getValue());
        }
        String producer = (m.getProducerName() + " " + m.getProducerVersion()).trim();
        return new ModelReport(model.path(), m.getIrVersion(), opsets, producer, inputs, outputs, ops, g.getNodeCount(),
                g.getInitializerCount(), params, bytes, meta);
    }

    private static Value value(ValueInfoProto v) {
        TypeProto t = v.getType();
        if (!t.hasTensorType()) {
            return new Value(v.getName(), t.getValueCase().name().toLowerCase(Locale.ROOT), List.of());
        }
        TypeProto.Tensor tt = t.getTensorType();
        TensorProto.DataType dt = TensorProto.DataType.forNumber(tt.getElemType());
        String type = dt == null ? "type" + tt.getElemType() : TensorData.typeName(dt);
        List<String> dims = new ArrayList<>();
        if (!tt.hasShape()) {
            return new Value(v.getName(), type, List.of("unknown rank"));
        }
        for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
            dims.add(d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
        }
        return new Value(v.getName(), type, dims);
    }

    private enum DataTypeSize {
        ONE(1), TWO(2), FOUR(4), EIGHT(8), SIXTEEN(16), UNKNOWN(0);
        final int bytes;

        DataTypeSize(int bytes) {
            this.bytes = bytes;
        }

        static DataTypeSize of(int dataType) {
            TensorProto.DataType t = TensorProto.DataType.forNumber(dataType);
            if (t == null) {
                return UNKNOWN;
            }
            return switch (t) {
                case COMPLEX128 -> SIXTEEN;
                case COMPLEX64 -> EIGHT;
                default -> TensorData.supports(t) ? switch (TensorData.elementSize(t)) {
                    case 1 -> ONE;
                    case 2 -> TWO;
                    case 4 -> FOUR;
                    default -> EIGHT;
                } : UNKNOWN;
            };
        }
    }

    /** The text {@code verydeep inspect} prints. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(file).append('\n');
        List<String> os = new ArrayList<>();
        opsets.forEach((d, v) -> os.add(d + " " + v));
        sb.append(String.format(Locale.ROOT, "  format:     ONNX IR %d, opset %s%s%n", irVersion, String.join(", ", os),
                producer.isEmpty() ? "" : ", producer " + producer));
        sb.append("  inputs:\n");
        for (Value v : inputs) {
            sb.append("    ").append(v).append('\n');
        }
        sb.append("  outputs:\n");
        for (Value v : outputs) {
            sb.append("    ").append(v).append('\n');
        }
        List<String> hist = new ArrayList<>();
        ops.forEach((op, n) -> hist.add(op + " " + n));
        sb.append(String.format(Locale.ROOT, "  ops:        %d nodes: %s%n", nodes, String.join(", ", hist)));
        sb.append(String.format(Locale.ROOT, "  parameters: %,d in %d initializers (%s)%n", parameters, initializers, human(parameterBytes)));
        if (metadata.isEmpty()) {
            sb.append("  metadata:   none\n");
        } else {
            sb.append("  metadata:\n");
            metadata.forEach((k, v) -> sb.append("    ").append(k).append(" = ").append(abbreviate(v)).append('\n'));
        }
        return sb.toString();
    }

    private static String abbreviate(String v) {
        String oneLine = v.replaceAll("[\\r\\n\\t]", " ").replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "... (" + v.length() + " chars)" : oneLine;
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
