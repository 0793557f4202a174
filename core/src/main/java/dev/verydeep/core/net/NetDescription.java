package dev.verydeep.core.net;

import dev.verydeep.core.UserException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The single source of truth for a net: config, width multiplier, FC width, class count, crop size
 * and LRN parameters. Everything else (DJL blocks, ONNX graphs, parameter and multiply-add counts,
 * the FC-to-conv kernel size) is derived from {@link #layers()}; nothing else re-derives the layer list.
 *
 * <p>Conv channels are {@code max(1, round(width x paper channels))}; the FC width defaults to
 * {@code max(1, round(4096 x width))}.
 *
 * <p>{@code classes} is always the number of object classes; {@link #head()} says whether fc8 predicts their
 * scores or boxes ({@link #outputs()} numbers).
 */
public record NetDescription(Config config, double width, int fcWidth, int classes, int crop, LrnParams lrn, Head head) {

    public static final int PAPER_FC_WIDTH = 4096;
    /** Five 2x2 max-pools divide the spatial size by 32. */
    public static final int TOTAL_STRIDE = 32;

    public NetDescription {
        if (config == null) {
            throw new UserException("a net description needs a config");
        }
        if (!(width > 0) || width > 64) {
            throw new UserException("--width must be in (0, 64], got " + width);
        }
        if (fcWidth < 1) {
            throw new UserException("FC width must be at least 1, got " + fcWidth);
        }
        if (classes < 1) {
            throw new UserException("class count must be at least 1, got " + classes);
        }
        if (crop < TOTAL_STRIDE || crop % TOTAL_STRIDE != 0) {
            throw new UserException("--crop must be a positive multiple of 32 (five 2x2 max-pools), got " + crop);
        }
        if (lrn == null) {
            lrn = LrnParams.ALEXNET;
        }
        if (head == null) {
            head = Head.CLASSES;
        }
    }

    /** A classification net (the common case). */
    public NetDescription(Config config, double width, int fcWidth, int classes, int crop, LrnParams lrn) {
        this(config, width, fcWidth, classes, crop, lrn, Head.CLASSES);
    }

    /** Outputs of the last layer: class scores or box numbers. */
    public int outputs() {
        return head.outputs(classes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The paper's full-size net of a config: width 1, 4096-wide FC layers, 1000 classes, crop 224. */
    public static NetDescription paper(Config config) {
        return builder().setConfig(config).build();
    }

    /** Channels of a paper layer at this width. */
    public int scaledChannels(int paperChannels) {
        return Math.max(1, (int) Math.round(width * paperChannels));
    }

    /** Kernel size of FC1 in the fully convolutional form: the feature map side at the crop size. */
    public int fcKernel() {
        return crop / TOTAL_STRIDE;
    }

    /** Channels of the last conv block, i.e. FC1's input channels in the dense form. */
    public int lastConvChannels() {
        return scaledChannels(Config.PAPER_BLOCK_CHANNELS.get(Config.PAPER_BLOCK_CHANNELS.size() - 1));
    }

    /** The layers in order, with output shapes and counts for one crop-sized image. */
    public List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        int c = 3;
        int side = crop;
        for (int b = 0; b < config.blockKernels().size(); b++) {
            int cout = scaledChannels(Config.PAPER_BLOCK_CHANNELS.get(b));
            List<Integer> kernels = config.blockKernels().get(b);
            for (int i = 0; i < kernels.size(); i++) {
                int k = kernels.get(i);
                long params = (long) k * k * c * cout + cout;
                long macs = (long) side * side * k * k * c * cout;
                out.add(new Layer("conv" + (b + 1) + "_" + (i + 1), Layer.Kind.CONV, k, c, cout, side, side, params, macs));
                c = cout;
                if (b == 0 && i == 0 && config.hasLrn()) {
                    out.add(new Layer("lrn1", Layer.Kind.LRN, lrn.size(), c, c, side, side, 0, 0));
                }
            }
            side /= 2;
            out.add(new Layer("pool" + (b + 1), Layer.Kind.MAXPOOL, 2, c, c, side, side, 0, 0));
        }
        int k = fcKernel();
        out.add(fc("fc6", k, c, fcWidth));
        out.add(fc("fc7", 1, fcWidth, fcWidth));
        out.add(fc("fc8", 1, fcWidth, outputs()));
        return Collections.unmodifiableList(out);
    }

    private static Layer fc(String name, int kernel, int inChannels, int outChannels) {
        long in = (long) kernel * kernel * inChannels;
        return new Layer(name, Layer.Kind.FC, kernel, inChannels, outChannels, 1, 1, in * outChannels + outChannels, in * outChannels);
    }

    /** Weights plus biases of all layers (Table 2: 138,357,544 for D at full size). */
    public long parameterCount() {
        return layers().stream().mapToLong(Layer::parameters).sum();
    }

    /** Multiply-adds for one crop-sized image (15.47G for D at 224). One multiply-add is 2 FLOP. */
    public long multiplyAdds() {
        return layers().stream().mapToLong(Layer::multiplyAdds).sum();
    }

    /** The conv layers in order (the first four are what {@code --init-from} copies from config A). */
    public List<Layer> convLayers() {
        return layers().stream().filter(l -> l.kind() == Layer.Kind.CONV).toList();
    }

    /** The three FC layers in order. */
    public List<Layer> fcLayers() {
        return layers().stream().filter(l -> l.kind() == Layer.Kind.FC).toList();
    }

    /** Same net with another class count (e.g. a source net for transfer). */
    public NetDescription withClasses(int newClasses) {
        return new NetDescription(config, width, fcWidth, newClasses, crop, lrn, head);
    }

    /** Same net with another last layer (a localisation net made from a classification net). */
    public NetDescription withHead(Head newHead) {
        return new NetDescription(config, width, fcWidth, classes, crop, lrn, newHead);
    }

    /** Same widths and crop, another config (e.g. D initialised from A). */
    public NetDescription withConfig(Config newConfig) {
        return new NetDescription(newConfig, width, fcWidth, classes, crop, lrn, head);
    }

    /** Short human label, e.g. {@code D w0.125 fc512 k10 crop32} ({@code ... box-pcr} for a localisation net). */
    public String label() {
        return config.label() + " w" + stripZeros(width) + " fc" + fcWidth + " k" + classes + " crop" + crop
                + (head.isBox() ? " box-" + head.id() : "");
    }

    private static String stripZeros(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** set/opt builder in DJL's style: the config is required, the rest defaults to the paper's net. */
    public static final class Builder {
        private Config config;
        private double width = 1.0;
        private Integer fcWidth;
        private int classes = 1000;
        private int crop = 224;
        private LrnParams lrn = LrnParams.ALEXNET;
        private Head head = Head.CLASSES;

        public Builder setConfig(Config config) {
            this.config = config;
            return this;
        }

        public Builder optWidth(double width) {
            this.width = width;
            return this;
        }

        public Builder optFcWidth(int fcWidth) {
            this.fcWidth = fcWidth;
            return this;
        }

        public Builder optClasses(int classes) {
            this.classes = classes;
            return this;
        }

        public Builder optCrop(int crop) {
            this.crop = crop;
            return this;
        }

        public Builder optLrn(LrnParams lrn) {
            this.lrn = lrn;
            return this;
        }

        public Builder optHead(Head head) {
            this.head = head;
            return this;
        }

        public NetDescription build() {
            int fc = fcWidth != null ? fcWidth : Math.max(1, (int) Math.round(PAPER_FC_WIDTH * width));
            return new NetDescription(config, width, fc, classes, crop, lrn, head);
        }
    }
}
