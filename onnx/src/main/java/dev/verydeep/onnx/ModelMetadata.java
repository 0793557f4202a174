package dev.verydeep.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.Head;
import dev.verydeep.core.net.LrnParams;
import dev.verydeep.core.net.NetDescription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the runtime needs to evaluate an ONNX file, carried inside it as {@code metadata_props}
 * (no side files): the net description, class names, preprocessing profile, crop, training scale and
 * provenance. Values are JSON strings under the {@code verydeep.*} keys below. Reading treats them as
 * data: every value is parsed and checked, and a bad one is a {@link UserException} naming the key.
 *
 * @param net           the net description ({@code null} for a foreign model converted here)
 * @param classNames    one name per class, in score order
 * @param preprocessing how pixels become the input
 * @param crop          the training crop (the classifier's fixed input side)
 * @param trainScale    training scale S, fixed or jittered ({@code null} when unknown)
 * @param provenance    where the model comes from: run id, git commit, data, seed, ... (string values)
 */
public record ModelMetadata(NetDescription net, List<String> classNames, Preprocessing preprocessing, int crop,
                            TrainScale trainScale, Map<String, String> provenance) {

    public static final String KEY_FORMAT = "verydeep.format";
    public static final String KEY_NET = "verydeep.net";
    public static final String KEY_CLASSES = "verydeep.classes";
    public static final String KEY_PREPROCESSING = "verydeep.preprocessing";
    public static final String KEY_CROP = "verydeep.crop";
    public static final String KEY_TRAIN_SCALES = "verydeep.train_scales";
    public static final String KEY_PROVENANCE = "verydeep.provenance";
    /** Written by the exporter next to the above: {@code classifier} or {@code dense}. */
    public static final String KEY_FORM = "verydeep.form";
    /** Version of this metadata layout. */
    public static final String FORMAT_VERSION = "1";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelMetadata {
        if (classNames == null || classNames.isEmpty()) {
            throw new UserException("model metadata needs class names");
        }
        classNames = List.copyOf(classNames);
        if (preprocessing == null) {
            throw new UserException("model metadata needs a preprocessing profile");
        }
        if (crop < 1) {
            throw new UserException("model metadata: crop must be positive, got " + crop);
        }
        if (net != null && net.classes() != classNames.size()) {
            throw new UserException("model metadata: the net has " + net.classes() + " classes but "
                    + classNames.size() + " class names are given");
        }
        if (net != null && net.crop() != crop) {
            throw new UserException("model metadata: the net's crop is " + net.crop() + " but crop " + crop + " is given");
        }
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code metadata_props} entries, in a fixed order. */
    public Map<String, String> toProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(KEY_FORMAT, FORMAT_VERSION);
        if (net != null) {
            p.put(KEY_NET, write(netToJson(net)));
        }
        ArrayNode classes = JSON.createArrayNode();
        classNames.forEach(classes::add);
        p.put(KEY_CLASSES, write(classes));
        p.put(KEY_PREPROCESSING, write(preprocessingToJson(preprocessing)));
        p.put(KEY_CROP, String.valueOf(crop));
        if (trainScale != null) {
            ObjectNode s = JSON.createObjectNode();
            s.put("min", trainScale.min());
            s.put("max", trainScale.max());
            s.put("jittered", trainScale.isJittered());
            p.put(KEY_TRAIN_SCALES, write(s));
        }
        ObjectNode prov = JSON.createObjectNode();
        provenance.forEach(prov::put);
        p.put(KEY_PROVENANCE, write(prov));
        return p;
    }

    /** The entries as protobuf {@code metadata_props}. */
    public List<StringStringEntryProto> toProtos() {
        List<StringStringEntryProto> out = new ArrayList<>();
        toProperties().forEach((k, v) -> out.add(StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
        return out;
    }

    /** Reads the metadata of a model written by verydeep; a model without it is a {@link UserException}. */
    public static ModelMetadata read(ModelProto model) {
        return readOptional(model).orElseThrow(() -> new UserException(
                "the model has no verydeep metadata (key " + KEY_FORMAT + "); it was not written by verydeep export or convert"));
    }

    /** Reads the metadata if the model has any ({@link #KEY_FORMAT} present). */
    public static Optional<ModelMetadata> readOptional(ModelProto model) {
        Map<String, String> props = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        if (!props.containsKey(KEY_FORMAT)) {
            return Optional.empty();
        }
        return Optional.of(fromProperties(props));
    }

    /** Parses and checks the {@code verydeep.*} entries. */
    public static ModelMetadata fromProperties(Map<String, String> props) {
        String format = props.get(KEY_FORMAT);
        if (!FORMAT_VERSION.equals(format)) {
            throw new UserException("metadata " + KEY_FORMAT + " is '" + format + "', this version reads " + FORMAT_VERSION);
        }
        NetDescription net = props.containsKey(KEY_NET) ? guarded(KEY_NET, () -> netFromJson(parse(KEY_NET, props.get(KEY_NET)))) : null;
        List<String> classes = guarded(KEY_CLASSES, () -> {
            JsonNode n = parse(KEY_CLASSES, required(props, KEY_CLASSES));
            if (!n.isArray()) {
                throw new IllegalArgumentException("expected a JSON array of class names");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode c : n) {
                if (!c.isTextual()) {
                    throw new IllegalArgumentException("class names must be strings, found " + c.getNodeType());
                }
                out.add(c.asText());
            }
            return out;
        });
        Preprocessing pre = guarded(KEY_PREPROCESSING, () -> preprocessingFromJson(parse(KEY_PREPROCESSING, required(props, KEY_PREPROCESSING))));
        int crop = guarded(KEY_CROP, () -> Integer.parseInt(required(props, KEY_CROP).trim()));
        TrainScale scale = !props.containsKey(KEY_TRAIN_SCALES) ? null : guarded(KEY_TRAIN_SCALES, () -> {
            JsonNode n = parse(KEY_TRAIN_SCALES, props.get(KEY_TRAIN_SCALES));
            return new TrainScale(intField(n, "min"), intField(n, "max"));
        });
        Map<String, String> prov = guarded(KEY_PROVENANCE, () -> {
            Map<String, String> m = new LinkedHashMap<>();
            if (props.containsKey(KEY_PROVENANCE)) {
                JsonNode n = parse(KEY_PROVENANCE, props.get(KEY_PROVENANCE));
                if (!n.isObject()) {
                    throw new IllegalArgumentException("expected a JSON object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    m.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
                }
            }
            return m;
        });
        try {
            return new ModelMetadata(net, classes, pre, crop, scale, prov);
        } catch (UserException e) {
            throw new UserException("metadata: " + e.getMessage(), e);
        }
    }

    private interface Parse<T> {
        T get() throws Exception;
    }

    private static <T> T guarded(String key, Parse<T> p) {
        try {
            return p.get();
        } catch (Exception e) {
            // Our own checks throw plain IllegalArgumentExceptions whose message says it all; name other types.
            String msg = e instanceof UserException || e.getClass() == IllegalArgumentException.class ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new UserException("metadata " + key + " is invalid: " + msg, e);
        }
    }

    private static String required(Map<String, String> props, String key) {
        String v = props.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing");
        }
        return v;
    }

    private static JsonNode parse(String key, String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The net description as JSON, e.g. {@code {"config":"D","width":1.0,"fc_width":4096,...}}. */
    public static ObjectNode netToJson(NetDescription net) {
        ObjectNode n = JSON.createObjectNode();
        n.put("config", net.config().label());
        n.put("width", net.width());
        n.put("fc_width", net.fcWidth());
        n.put("classes", net.classes());
        n.put("crop", net.crop());
        if (net.head().isBox()) { // only then, so classification models keep their bytes and hashes
            n.put("head", net.head().id());
        }
        ObjectNode lrn = n.putObject("lrn");
        lrn.put("size", net.lrn().size());
        lrn.put("alpha", net.lrn().alpha());
        lrn.put("beta", net.lrn().beta());
        lrn.put("k", net.lrn().k());
        lrn.put("alpha_convention", "sum");
        return n;
    }

    /** Inverse of {@link #netToJson}. */
    public static NetDescription netFromJson(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        JsonNode l = n.get("lrn");
        LrnParams lrn = l == null || l.isNull() ? LrnParams.ALEXNET
                : new LrnParams(intField(l, "size"), doubleField(l, "alpha"), doubleField(l, "beta"), doubleField(l, "k"));
        return new NetDescription(Config.parse(textField(n, "config")), doubleField(n, "width"), intField(n, "fc_width"),
                intField(n, "classes"), intField(n, "crop"), lrn,
                n.hasNonNull("head") ? Head.parse(textField(n, "head")) : Head.CLASSES);
    }

    private static ObjectNode preprocessingToJson(Preprocessing p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", p.name());
        n.put("channel_order", p.channelOrder().name());
        ArrayNode range = n.putArray("value_range");
        range.add(0);
        range.add(p.valueMax());
        ArrayNode mean = n.putArray("mean_rgb");
        for (double d : p.meanRgb()) {
            mean.add(d);
        }
        ArrayNode std = n.putArray("std_rgb");
        for (double d : p.stdRgb()) {
            std.add(d);
        }
        return n;
    }

    private static Preprocessing preprocessingFromJson(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String order = textField(n, "channel_order");
        Preprocessing.ChannelOrder co;
        try {
            co = Preprocessing.ChannelOrder.valueOf(order);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel_order must be RGB or BGR, got '" + order + "'");
        }
        double[] range = doubles(n, "value_range", 2);
        if (range[0] != 0) {
            throw new IllegalArgumentException("value_range must start at 0, got " + range[0]);
        }
        return new Preprocessing(textField(n, "name"), co, range[1], doubles(n, "mean_rgb", 3), doubles(n, "std_rgb", 3));
    }

    private static double[] doubles(JsonNode n, String field, int count) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray() || a.size() != count) {
            throw new IllegalArgumentException("'" + field + "' must be an array of " + count + " numbers");
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            if (!a.get(i).isNumber()) {
                throw new IllegalArgumentException("'" + field + "' must be an array of " + count + " numbers");
            }
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static String textField(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return v.asText();
    }

    private static int intField(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be an integer");
        }
        return v.asInt();
    }

    private static double doubleField(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be a number");
        }
        return v.asDouble();
    }

    /** set/opt builder: class names and preprocessing are required; the rest is taken from the net when given. */
    public static final class Builder {
        private NetDescription net;
        private List<String> classNames;
        private Preprocessing preprocessing;
        private Integer crop;
        private TrainScale trainScale;
        private final Map<String, String> provenance = new LinkedHashMap<>();

        public Builder optNet(NetDescription net) {
            this.net = net;
            return this;
        }

        public Builder setClassNames(List<String> classNames) {
            this.classNames = classNames;
            return this;
        }

        public Builder setPreprocessing(Preprocessing preprocessing) {
            this.preprocessing = preprocessing;
            return this;
        }

        /** Defaults to the net's crop. */
        public Builder optCrop(int crop) {
            this.crop = crop;
            return this;
        }

        public Builder optTrainScale(TrainScale trainScale) {
            this.trainScale = trainScale;
            return this;
        }

        /** One provenance entry, e.g. {@code run_id}, {@code git_commit}, {@code data}, {@code seed}. */
        public Builder optProvenance(String key, String value) {
            this.provenance.put(key, value);
            return this;
        }

        public Builder optProvenance(Map<String, String> entries) {
            this.provenance.putAll(entries);
            return this;
        }

        public ModelMetadata build() {
            int c = crop != null ? crop : net != null ? net.crop() : 0;
            return new ModelMetadata(net, classNames, preprocessing, c, trainScale, provenance);
        }
    }
}
