package dev.verydeep.onnx;

import static dev.verydeep.onnx.GraphIndex.intAttr;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verydeep.core.UserException;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The {@code Reshape} dialect of {@link HeadMatchers}: a flatten to [N, -1], either to a constant shape
 * {@code [-1 or 0 or a batch size, F]} or {@code x.view(x.size(0), -1)} as torch.onnx writes it,
 * {@code Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])}. The shape nodes join the head.
 */
final class FlattenReshape {
    private FlattenReshape() {
    }

    /** Checks {@code n} and returns its entry in the head pattern. */
    static String match(NodeProto n, HeadMatchers.Head h) {
        if (n.getInputCount() != 2) {
            throw new UserException("Reshape '" + n.getName() + "' has " + n.getInputCount() + " inputs; expected data and shape");
        }
        long[] shape = h.consts.longs(n.getInput(1), "shape of Reshape '" + n.getName() + "'");
        return shape != null ? constantShape(n, shape, h) : shapeOfX(n, h);
    }

    private static String constantShape(NodeProto n, long[] shape, HeadMatchers.Head h) {
        long allowZero = intAttr(n, "allowzero", 0);
        if (shape.length != 2 || shape[1] == 0 || (shape[0] == 0 && allowZero != 0) || (shape[0] != -1 && shape[0] != 0 && shape[1] == -1)) {
            throw new UserException("found Reshape '" + n.getName() + "' to " + Arrays.toString(shape)
                    + "; expected a flatten to [N, -1] (shape [-1, F], [0, -1] or [N, F])");
        }
        NodeProto p = h.g.producer().get(n.getInput(1));
        if (p != null) {
            h.nodes.add(p);
        }
        return "Reshape(" + Arrays.toString(shape) + ")";
    }

    /** x.view(x.size(0), -1): Concat(axis 0) of Unsqueeze(Gather(Shape(x), 0)) and [-1]. */
    private static String shapeOfX(NodeProto n, HeadMatchers.Head h) {
        Set<NodeProto> shapeNodes = Collections.newSetFromMap(new IdentityHashMap<>());
        String why = why(n, h, shapeNodes);
        if (why != null) {
            throw new UserException("found Reshape '" + n.getName() + "' that is not a flatten to [N, -1]: " + why);
        }
        h.nodes.addAll(shapeNodes);
        return "Shape/Gather/Unsqueeze/Concat -> Reshape([N, -1])";
    }

    /** Why the shape input is not x.view(x.size(0), -1), or null when it is (its nodes then in {@code shapeNodes}). */
    private static String why(NodeProto n, HeadMatchers.Head h, Set<NodeProto> shapeNodes) {
        NodeProto concat = h.g.producer().get(n.getInput(1));
        if (concat == null || !concat.getOpType().equals("Concat") || concat.getInputCount() != 2 || intAttr(concat, "axis", 0) != 0) {
            return "its shape is " + (concat == null ? "a graph input" : concat.getOpType() + " '" + concat.getName() + "'")
                    + ", not Concat(axis 0) of two parts";
        }
        shapeNodes.add(concat);
        long[] rest = h.consts.longs(concat.getInput(1), "second part of the shape of Reshape '" + n.getName() + "'");
        NodeProto un = h.g.producer().get(concat.getInput(0));
        if (rest == null || !Arrays.equals(rest, new long[] {-1})) {
            return "the second part of its shape is not the constant [-1]";
        }
        if (un == null || !un.getOpType().equals("Unsqueeze")) {
            return "the first part of its shape is not Unsqueeze(Gather(Shape(x), 0))";
        }
        shapeNodes.add(un);
        NodeProto gather = h.g.producer().get(un.getInput(0));
        long[] idx = gather == null || gather.getInputCount() != 2 ? null
                : h.consts.longs(gather.getInput(1), "index of Gather '" + gather.getName() + "'");
        NodeProto shp = gather == null ? null : h.g.producer().get(gather.getInput(0));
        if (gather == null || !gather.getOpType().equals("Gather") || intAttr(gather, "axis", 0) != 0 || idx == null
                || idx.length != 1 || idx[0] != 0 || shp == null || !shp.getOpType().equals("Shape")
                || !shp.getInput(0).equals(n.getInput(0)) || shp.getAttributeCount() != 0) {
            return "the first part of its shape is not Unsqueeze(Gather(Shape(x), 0)) of the reshaped tensor x";
        }
        shapeNodes.add(gather);
        shapeNodes.add(shp);
        for (String c : List.of(concat.getInput(1), gather.getInput(1), un.getInputCount() > 1 ? un.getInput(1) : "")) {
            NodeProto p = h.g.producer().get(c);
            if (p != null && p.getOpType().equals("Constant")) {
                shapeNodes.add(p);
            }
        }
        return null;
    }
}
