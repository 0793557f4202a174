package dev.verydeep.trainer;

import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link TrainSettings#initFrom()}: which tensors a new net takes from a trained one.
 * <ul>
 * <li>Same config and shapes (fine-tuning, e.g. jittered S from fixed S): every tensor.</li>
 * <li>From a classifier into a box-regression net of the same config (Appendix A): every tensor but fc8's,
 * which starts random (the paper's initialisation of new layers).</li>
 * <li>From config A (or A-LRN) into a deeper config: the paper's recipe, the first four conv layers
 * of A (conv1_1, conv2_1, conv3_1, conv3_2) into the layers of the same name, and the three FC
 * layers; the other layers stay random. With {@link TrainSettings.InitLayers#PAPER}, the same subset
 * into any config, A included.</li>
 * </ul>
 * Anything else is refused with the reason.
 */
public final class WeightTransfer {
    private WeightTransfer() {
    }

    /** The tensors to copy from {@code source} into a net described by {@code target}, by name ({@link TrainSettings.InitLayers#AUTO}). */
    public static Map<String, NetWeights.Tensor> select(NetWeights source, NetDescription target) {
        return select(source, target, TrainSettings.InitLayers.AUTO);
    }

    /** The tensors to copy from {@code source} into a net described by {@code target}, by name. */
    public static Map<String, NetWeights.Tensor> select(NetWeights source, NetDescription target, TrainSettings.InitLayers layers) {
        NetDescription src = source.net();
        if (src.width() != target.width() || src.fcWidth() != target.fcWidth() || src.crop() != target.crop()
                || src.classes() != target.classes()) {
            throw new SettingException("initFrom", ": the source net (" + src.label() + ") must have the same width, FC width, crop and classes as "
                    + target.label());
        }
        List<String> names = new ArrayList<>();
        boolean newHead = src.head() != target.head();
        if (newHead && (src.head().isBox() || src.config() != target.config())) {
            throw new SettingException("initFrom", ": a " + target.head().id() + " box-regression net starts from a classifier of the same config, not from "
                    + src.label());
        }
        // A box net keeps the whole classifier whatever is asked: the paper's subset is for classifiers.
        boolean paperSubset = layers == TrainSettings.InitLayers.PAPER && !newHead;
        if (paperSubset && src.config() != Config.A && src.config() != Config.A_LRN) {
            throw new SettingException("initLayers", "paper: the paper's layers come from config A (or A-LRN), not from " + src.label());
        }
        if (src.config() == target.config() && !paperSubset) {
            for (Layer l : target.layers()) {
                if (newHead && l.name().equals("fc8")) {
                    continue;
                }
                if (l.kind() == Layer.Kind.CONV || l.kind() == Layer.Kind.FC) {
                    names.add(NetWeights.weightName(l));
                    names.add(NetWeights.biasName(l));
                }
            }
        } else if (src.config() == Config.A || src.config() == Config.A_LRN) {
            List<Layer> targetLayers = target.layers();
            List<Layer> take = new ArrayList<>(src.convLayers().subList(0, 4));
            take.addAll(src.fcLayers());
            for (Layer l : take) {
                Layer t = targetLayers.stream().filter(x -> x.name().equals(l.name())).findFirst().orElse(null);
                if (t == null || t.kernel() != l.kernel() || t.inChannels() != l.inChannels() || t.outChannels() != l.outChannels()) {
                    throw new SettingException("initFrom", ": layer " + l.name() + " of " + src.label() + " does not fit " + target.label()
                            + (t == null ? " (no such layer)" : " (" + l.kernel() + "x" + l.kernel() + " " + l.inChannels() + "->"
                            + l.outChannels() + " vs " + t.kernel() + "x" + t.kernel() + " " + t.inChannels() + "->" + t.outChannels() + ")"));
                }
                names.add(NetWeights.weightName(l));
                names.add(NetWeights.biasName(l));
            }
        } else {
            throw new SettingException("initFrom", ": a " + target.config() + " net can start from a trained " + target.config()
                    + " net (fine-tuning) or from config A (the paper's recipe), not from " + src.config());
        }
        Map<String, NetWeights.Tensor> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, source.get(n));
        }
        return out;
    }
}
