package dev.verydeep.trainer;

import dev.verydeep.core.UserException;
import dev.verydeep.core.net.NetDescription;
import java.util.List;

/**
 * Everything that decides a training run, with the paper's values as defaults (section 3.1), stored
 * in the run folder so a resumed run continues with exactly these. Differences from the paper: the
 * default batch is 64 (CPU), not 256; weight decay applies to biases too (PyTorch's SGD).
 *
 * @param data data-set spec the net trains on ({@code fashion-mnist:train}, {@code folder:DIR}, ...)
 * @param validationFraction share of each class held out for validation (learning-rate schedule); 0 = none
 * @param limit train on the first {@code limit} images only (0 = all), for quick runs
 * @param scaleMin smallest training scale S; equal to {@code scaleMax} for fixed S
 * @param colourShift standard deviation of AlexNet's PCA colour shift (0 disables it)
 * @param inputScale the net's input is {@code (pixel - mean RGB) * inputScale}, pixels in 0..255; the paper's 1 by default
 * @param init {@code glorot} (Glorot/Xavier uniform, default), {@code normal} (zero-mean normal, {@code initStd}: the
 *     paper's), or {@code he} (Kaiming normal, fan-in; not in the paper)
 * @param initFrom a run folder to initialise from ({@code null}: random init); see {@link WeightTransfer}
 * @param patience epochs without validation improvement before the learning rate is divided by 10
 * @param maxLrDecreases after this many decreases, the next plateau stops training
 * @param threads PyTorch intra-op threads (bit-identical results need equal counts)
 * @param devices {@code cpu} or {@code gpu0,gpu1,...}
 * @param finetune {@code all} (every layer learns; the default) or {@code fc} (Appendix A's "fine-tune FC1-2": only
 *     fc6, fc7 and fc8 learn, the conv layers are frozen and get no update at all, weight decay included)
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
        String init,
        double initStd,
        String initFrom,
        int patience,
        int maxLrDecreases,
        long seed,
        int threads,
        List<String> devices,
        String finetune) {

    /** Every layer learns. */
    public static final String FINETUNE_ALL = "all";
    /** Only the FC layers learn. */
    public static final String FINETUNE_FC = "fc";

    /** Settings of a run where every layer learns (classification training). */
    public TrainSettings(NetDescription net, String data, double validationFraction, int limit, int scaleMin, int scaleMax, boolean flip,
            double colourShift, double inputScale, int batchSize, int epochs, double learningRate, double momentum, double weightDecay,
            double dropout, String init, double initStd, String initFrom, int patience, int maxLrDecreases, long seed, int threads,
            List<String> devices) {
        this(net, data, validationFraction, limit, scaleMin, scaleMax, flip, colourShift, inputScale, batchSize, epochs, learningRate,
                momentum, weightDecay, dropout, init, initStd, initFrom, patience, maxLrDecreases, seed, threads, devices, FINETUNE_ALL);
    }

    public TrainSettings {
        if (scaleMax < scaleMin) {
            throw new UserException("--scale-jitter " + scaleMin + ":" + scaleMax + ": the minimum is larger than the maximum");
        }
        if (scaleMin < net.crop()) {
            throw new UserException((scaleMin == scaleMax ? "--scale" : "--scale-jitter") + ": training scale "
                    + scaleText(scaleMin, scaleMax) + " must be >= --crop " + net.crop());
        }
        if (!(inputScale > 0)) {
            throw new UserException("--input-scale must be positive, got " + inputScale);
        }
        if (batchSize < 1) {
            throw new UserException("--batch must be at least 1, got " + batchSize);
        }
        if (epochs < 1) {
            throw new UserException("--epochs must be at least 1, got " + epochs);
        }
        if (!(learningRate > 0)) {
            throw new UserException("--lr must be positive, got " + learningRate);
        }
        if (validationFraction < 0 || validationFraction >= 1) {
            throw new UserException("--val-fraction must be in [0, 1), got " + validationFraction);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new UserException("--dropout must be in [0, 1), got " + dropout);
        }
        if (!init.equals("glorot") && !init.equals("normal") && !init.equals("he")) {
            throw new UserException("--init must be glorot, he or normal, got " + init);
        }
        if (threads < 1) {
            throw new UserException("--threads must be at least 1, got " + threads);
        }
        devices = List.copyOf(devices);
        if (finetune == null) { // run.json written before --finetune existed
            finetune = FINETUNE_ALL;
        }
        if (!finetune.equals(FINETUNE_ALL) && !finetune.equals(FINETUNE_FC)) {
            throw new UserException("--finetune must be all or fc, got " + finetune);
        }
    }

    /** True when the conv layers are frozen ({@code --finetune fc}). */
    public boolean convFrozen() {
        return finetune.equals(FINETUNE_FC);
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
                seed, threads, devices, finetune);
    }
}
