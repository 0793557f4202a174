package dev.verydeep.trainer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.Geometry;
import dev.verydeep.core.net.NetDescription;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything that decides a training run, stored in the run folder ({@code run.json}) so a resumed run continues
 * with exactly these. Made with {@link #builder()}, whose defaults are the paper's recipe (section 3.1); the record's
 * constructor is the stored form (JSON) and checks every value. Differences from the paper: the default batch is
 * 64 (CPU), not 256; weight decay applies to biases too (PyTorch's SGD).
 *
 * @param data data-set spec the net trains on ({@code fashion-mnist:train}, {@code folder:DIR}, ...)
 * @param validationFraction share of each class held out for validation (learning-rate schedule); 0 = none
 * @param limit train on the first {@code limit} images only (0 = all), for quick runs
 * @param scaleMin smallest training scale S; equal to {@code scaleMax} for fixed S
 * @param colourShift standard deviation of AlexNet's PCA colour shift (0 disables it)
 * @param inputScale the net's input is {@code (pixel - mean RGB) * inputScale}, pixels in 0..255; the paper's 1 by default
 * @param init random initialisation of the weights (biases start at zero); {@code initStd} is {@link Init#NORMAL}'s
 * @param initFrom a run folder or a model verydeep exported to initialise from ({@code null}: random init); see
 *                 {@link InitSource}, {@link WeightTransfer}
 * @param patience epochs without validation improvement before the learning rate is divided by 10
 * @param maxLrDecreases after this many decreases, the next plateau stops training
 * @param threads PyTorch intra-op threads (bit-identical results need equal counts)
 * @param devices {@code cpu} or {@code gpu0,gpu1,...}
 * @param finetune which layers learn
 * @param initLayers which layers {@code initFrom} gives (see {@link InitLayers})
 */
public record TrainSettings(
        NetDescription net,
        String data,
        double validationFraction,
        int limit,
        int scaleMin,
        int scaleMax,
        boolean flip,
        double colourShift,
        double inputScale,
        int batchSize,
        int epochs,
        double learningRate,
        double momentum,
        double weightDecay,
        double dropout,
        Init init,
        double initStd,
        String initFrom,
        int patience,
        int maxLrDecreases,
        long seed,
        int threads,
        List<String> devices,
        Finetune finetune,
        // Stored only when not auto, so run.json files from before it existed read and write back unchanged.
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = InitLayers.Auto.class) InitLayers initLayers) {

    /** The paper's training scale at crop 224 (fixed S = 256), scaled to the net's crop by default. */
    public static final int DEFAULT_PAPER_SCALE = 256;
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;
    public static final double DEFAULT_COLOUR_SHIFT = 0.1;
    public static final double DEFAULT_INPUT_SCALE = 1;
    /** 64 on the CPU; the paper's is 256. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** The paper stopped after 370K iterations (74 epochs). */
    public static final int DEFAULT_EPOCHS = 74;
    /** The paper's initial learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 1e-2;
    /** The initial learning rate of a net initialised from a trained net of its own config (fine-tuning, Appendix A). */
    public static final double DEFAULT_FINE_TUNE_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final double DEFAULT_WEIGHT_DECAY = 5e-4;
    /** Dropout after FC1 and FC2. */
    public static final double DEFAULT_DROPOUT = 0.5;
    public static final Init DEFAULT_INIT = Init.GLOROT;
    /** Standard deviation of {@link Init#NORMAL}: the paper's "variance 1e-2". */
    public static final double DEFAULT_INIT_STD = 0.1;
    public static final int DEFAULT_PATIENCE = 2;
    /** The paper divided the learning rate 3 times. */
    public static final int DEFAULT_MAX_LR_DECREASES = 3;
    public static final long DEFAULT_SEED = 1;
    public static final List<String> DEFAULT_DEVICES = List.of("cpu");
    public static final Finetune DEFAULT_FINETUNE = Finetune.ALL;
    public static final InitLayers DEFAULT_INIT_LAYERS = InitLayers.AUTO;

    /** Random initialisation of the weights. */
    public enum Init {
        /** Glorot/Xavier uniform (the default; the paper's follow-up). */
        GLOROT,
        /** Zero-mean normal with {@code initStd} (the paper's). */
        NORMAL,
        /** Kaiming normal, fan-in (not in the paper). */
        HE;

        /** Lower-case name, as stored in run.json. */
        @JsonValue
        @Override
        public String toString() {
            return Choice.id(this);
        }

        /** Parses {@code glorot}, {@code normal} or {@code he} (case-insensitive). */
        @JsonCreator
        public static Init parse(String s) {
            return Choice.parse(Init.class, "init", s);
        }
    }

    /** Which layers learn. */
    public enum Finetune {
        /** Every layer learns (the default). */
        ALL,
        /**
         * Appendix A's "fine-tune FC1-2": only fc6, fc7 and fc8 learn; the conv layers are frozen and get no update at
         * all, weight decay included.
         */
        FC;

        /** Lower-case name, as stored in run.json. */
        @JsonValue
        @Override
        public String toString() {
            return Choice.id(this);
        }

        /** Parses {@code all} or {@code fc} (case-insensitive); {@code null} (run.json written before it existed) is {@link #ALL}. */
        @JsonCreator
        public static Finetune parse(String s) {
            return s == null ? ALL : Choice.parse(Finetune.class, "finetune", s);
        }
    }

    /** Which layers a net takes from {@code initFrom}. */
    public enum InitLayers {
        /** Every layer from a net of the same config (fine-tuning); the paper's subset from config A into another config. */
        AUTO,
        /**
         * The paper's subset (the first four conv and the three FC layers of A) even into config A itself, at the
         * from-scratch learning rate: the control that tells what a deeper net owes to its depth from what it owes to
         * the longer training its start from A gave it.
         */
        PAPER;

        /** Lower-case name, as stored in run.json. */
        @JsonValue
        @Override
        public String toString() {
            return Choice.id(this);
        }

        /** Jackson's filter of the stored form: {@link #AUTO} is left out. */
        static final class Auto {
            @Override
            public boolean equals(Object value) {
                return value == AUTO;
            }

            @Override
            public int hashCode() {
                return 0;
            }
        }

        /** Parses {@code auto} or {@code paper} (case-insensitive); {@code null} (run.json written before it existed) is {@link #AUTO}. */
        @JsonCreator
        public static InitLayers parse(String s) {
            return s == null ? AUTO : Choice.parse(InitLayers.class, "initLayers", s);
        }
    }

    public TrainSettings {
        if (scaleMax < scaleMin) {
            throw new SettingException(SettingException.SCALE, scaleMin + ":" + scaleMax + ": the minimum is larger than the maximum");
        }
        if (scaleMin < net.crop()) {
            throw new SettingException(SettingException.SCALE, ": training scale " + scaleText(scaleMin, scaleMax)
                    + " must be >= the crop " + net.crop());
        }
        positive("inputScale", inputScale);
        atLeastOne("batchSize", batchSize);
        atLeastOne("epochs", epochs);
        positive("learningRate", learningRate);
        fraction("validationFraction", validationFraction);
        fraction("dropout", dropout);
        atLeastOne("threads", threads);
        if (init == null) {
            throw new SettingException("init", "must be one of glorot, normal, he");
        }
        devices = List.copyOf(devices);
        finetune = finetune == null ? Finetune.ALL : finetune;
        initLayers = initLayers == null ? InitLayers.AUTO : initLayers;
        if (initLayers == InitLayers.PAPER && initFrom == null) {
            throw new SettingException("initLayers", "paper needs a trained net to start from");
        }
    }

    private static void positive(String setting, double value) {
        if (!(value > 0)) {
            throw new SettingException(setting, "must be positive, got " + value);
        }
    }

    private static void atLeastOne(String setting, int value) {
        if (value < 1) {
            throw new SettingException(setting, "must be at least 1, got " + value);
        }
    }

    private static void fraction(String setting, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new SettingException(setting, "must be in [0, 1), got " + value);
        }
    }

    /** Settings made with the paper's recipe unless told otherwise: the net and the data are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when the conv layers are frozen ({@link Finetune#FC}). */
    public boolean convFrozen() {
        return finetune == Finetune.FC;
    }

    public boolean jittered() {
        return scaleMax > scaleMin;
    }

    /** The single test scale of section 3.2: S for fixed S, (Smin + Smax) / 2 for jittered S. */
    public int singleTestScale() {
        return (int) Math.round(0.5 * (scaleMin + scaleMax));
    }

    static String scaleText(int min, int max) {
        return min == max ? "S=" + min : "S in [" + min + "," + max + "]";
    }

    /** Same settings with more (or fewer) epochs: the only change a resumed run may ask for. */
    public TrainSettings withEpochs(int newEpochs) {
        return new TrainSettings(net, data, validationFraction, limit, scaleMin, scaleMax, flip, colourShift, inputScale, batchSize,
                newEpochs, learningRate, momentum, weightDecay, dropout, init, initStd, initFrom, patience, maxLrDecreases,
                seed, threads, devices, finetune, initLayers);
    }

    /**
     * The initial learning rate of the recipe: {@link #DEFAULT_LEARNING_RATE}, or {@link #DEFAULT_FINE_TUNE_LEARNING_RATE}
     * when the net starts from every layer of a trained net of its own config ({@code source}; {@code null} for a
     * random start).
     */
    public static double defaultLearningRate(NetDescription net, Config source, InitLayers layers) {
        return source == net.config() && layers != InitLayers.PAPER ? DEFAULT_FINE_TUNE_LEARNING_RATE : DEFAULT_LEARNING_RATE;
    }

    /** set/opt builder in DJL's style: {@link #setNet} and {@link #setData} are required, the rest is the paper's recipe. */
    public static final class Builder {
        private NetDescription net;
        private String data;
        private double validationFraction = DEFAULT_VALIDATION_FRACTION;
        private int limit;
        private Integer scaleMin;
        private Integer scaleMax;
        private boolean flip = true;
        private double colourShift = DEFAULT_COLOUR_SHIFT;
        private double inputScale = DEFAULT_INPUT_SCALE;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int epochs = DEFAULT_EPOCHS;
        private Double learningRate;
        private double momentum = DEFAULT_MOMENTUM;
        private double weightDecay = DEFAULT_WEIGHT_DECAY;
        private double dropout = DEFAULT_DROPOUT;
        private Init init = DEFAULT_INIT;
        private double initStd = DEFAULT_INIT_STD;
        private String initFrom;
        private int patience = DEFAULT_PATIENCE;
        private int maxLrDecreases = DEFAULT_MAX_LR_DECREASES;
        private long seed = DEFAULT_SEED;
        private int threads = Runtime.getRuntime().availableProcessors();
        private List<String> devices = DEFAULT_DEVICES;
        private Finetune finetune = DEFAULT_FINETUNE;
        private InitLayers initLayers = DEFAULT_INIT_LAYERS;

        private Builder() {
        }

        public Builder setNet(NetDescription net) {
            this.net = net;
            return this;
        }

        /** The data-set spec to train on. */
        public Builder setData(String data) {
            this.data = data;
            return this;
        }

        public Builder optValidationFraction(double validationFraction) {
            this.validationFraction = validationFraction;
            return this;
        }

        /** Train on the first {@code limit} images only (0: all, the default). */
        public Builder optLimit(int limit) {
            this.limit = limit;
            return this;
        }

        /** Fixed training scale S (default: the paper's 256 scaled to the crop). */
        public Builder optScale(int s) {
            return optScale(s, s);
        }

        /** Scale jittering: S drawn per image from [min, max]. */
        public Builder optScale(int min, int max) {
            this.scaleMin = min;
            this.scaleMax = max;
            return this;
        }

        public Builder optFlip(boolean flip) {
            this.flip = flip;
            return this;
        }

        public Builder optColourShift(double colourShift) {
            this.colourShift = colourShift;
            return this;
        }

        public Builder optInputScale(double inputScale) {
            this.inputScale = inputScale;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** The initial learning rate (default: {@link TrainSettings#defaultLearningRate}). */
        public Builder optLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        public Builder optInit(Init init) {
            this.init = init;
            return this;
        }

        public Builder optInitStd(double initStd) {
            this.initStd = initStd;
            return this;
        }

        /**
         * A run folder, or a model verydeep exported ({@code model.onnx} or {@code model-dense.onnx}), to initialise from
         * (see {@link InitSource}, {@link WeightTransfer}); {@code null}: random initialisation.
         */
        public Builder optInitFrom(String source) {
            this.initFrom = source;
            return this;
        }

        public Builder optPatience(int patience) {
            this.patience = patience;
            return this;
        }

        public Builder optMaxLrDecreases(int maxLrDecreases) {
            this.maxLrDecreases = maxLrDecreases;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** PyTorch threads (default: every core). */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder optDevices(List<String> devices) {
            this.devices = devices;
            return this;
        }

        public Builder optFinetune(Finetune finetune) {
            this.finetune = finetune;
            return this;
        }

        public Builder optInitLayers(InitLayers initLayers) {
            this.initLayers = initLayers;
            return this;
        }

        /**
         * The settings; the learning rate, when not given, follows {@link TrainSettings#defaultLearningRate} (which reads
         * the config of the {@code initFrom} run).
         */
        public TrainSettings build() {
            if (net == null) {
                throw new IllegalStateException("setNet is required");
            }
            if (data == null) {
                throw new IllegalStateException("setData is required");
            }
            int paperScale = Geometry.miniature(DEFAULT_PAPER_SCALE, net.crop());
            double lr = learningRate != null ? learningRate : defaultLearningRate(net, initFrom == null ? null
                    : InitSource.open(Path.of(initFrom)).net().config(), initLayers);
            return new TrainSettings(net, data, validationFraction, limit, scaleMin != null ? scaleMin : paperScale,
                    scaleMax != null ? scaleMax : paperScale, flip, colourShift, inputScale, batchSize, epochs, lr, momentum, weightDecay,
                    dropout, init, initStd, initFrom, patience, maxLrDecreases, seed, threads, devices, finetune, initLayers);
        }
    }

    /** The lower-case names of the choices above. */
    private static final class Choice {
        static String id(Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }

        static <E extends Enum<E>> E parse(Class<E> type, String setting, String s) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s.trim())) {
                    return e;
                }
            }
            List<String> ids = java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
            throw new SettingException(setting, "must be " + String.join(", ", ids.subList(0, ids.size() - 1)) + " or "
                    + ids.get(ids.size() - 1) + ", got " + s);
        }
    }
}
