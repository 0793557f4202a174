package dev.verydeep.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph's lookup tables, built once: its initializers by name, the node that writes each tensor and the nodes
 * that read it; and the attribute readers the converter's matchers share.
 */
record GraphIndex(GraphProto graph, Map<String, TensorProto> init, Map<String, NodeProto> producer,
                  Map<String, List<NodeProto>> consumers) {

    static GraphIndex of(GraphProto g) {
        Map<String, TensorProto> init = new HashMap<>();
        g.getInitializerList().forEach(t -> init.put(t.getName(), t));
        Map<String, NodeProto> producer = new HashMap<>();
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            n.getOutputList().forEach(o -> producer.put(o, n));
            n.getInputList().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
        }
        return new GraphIndex(g, init, producer, consumers);
    }

    /** Graph inputs that are not initializers: the data the graph is fed. */
    List<ValueInfoProto> dataInputs() {
        return graph.getInputList().stream().filter(v -> !init.containsKey(v.getName())).toList();
    }

    List<NodeProto> readers(String tensor) {
        return consumers.getOrDefault(tensor, List.of());
    }

    static long intAttr(NodeProto n, String name, long dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getI();
    }

    static double floatAttr(NodeProto n, String name, double dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getF();
    }

    /** An INTS attribute, empty when absent. */
    static List<Long> ints(NodeProto n, String name) {
        AttributeProto a = attr(n, name);
        return a == null ? List.of() : a.getIntsList();
    }

    static AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
