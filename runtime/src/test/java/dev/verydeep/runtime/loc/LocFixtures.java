package dev.verydeep.runtime.loc;

import dev.verydeep.core.image.Box;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.Head;
import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TrainScale;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Nets whose outputs are known by construction (fc8 weights zero, so fc8 outputs its bias at every cell, whatever
 * the image) and a tiny VOC folder, for localisation tests here and in the CLI. {@link #scenario} builds the
 * hand-checked case the tests share; its expected errors are worked out in the comment there.
 */
public final class LocFixtures {
    public static final int CROP = 32;
    public static final int CLASSES = 10;
    /** A box filling the crop window, encoded. */
    public static final float[] FULL_WINDOW = {0.5f, 0.5f, 1f, 1f};
    /** The top-left quarter of the window, encoded. */
    public static final float[] TOP_LEFT_QUARTER = {0.25f, 0.25f, 0.5f, 0.5f};

    private LocFixtures() {
    }

    /** The data set's class names: k0 .. k9. */
    public static List<String> dataClasses() {
        return IntStream.range(0, CLASSES).mapToObj(i -> "k" + i).toList();
    }

    /** A net (config A, width 1/16, crop 32) whose fc8 always outputs {@code bias}; returns its two exported forms. */
    public static OnnxExporter.Exported export(Path dir, Head head, List<String> classNames, float[] bias) {
        return export(dir, head, classNames, bias, 0f, 11);
    }

    /**
     * A net like {@link #export}'s whose fc8 keeps its random weights, scaled by {@code fc8Scale}, so its output
     * depends on the image: every cell a different box near {@code bias}'s.
     */
    public static OnnxExporter.Exported exportRandom(Path dir, Head head, List<String> classNames, float[] bias, float fc8Scale, long seed) {
        return export(dir, head, classNames, bias, fc8Scale, seed);
    }

    private static OnnxExporter.Exported export(Path dir, Head head, List<String> classNames, float[] bias, float fc8Scale, long seed) {
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(1.0 / 16).optFcWidth(64).optClasses(classNames.size())
                .optCrop(CROP).optHead(head).build();
        NetWeights random = RandomWeights.of(net, seed);
        Layer fc8 = net.fcLayers().get(net.fcLayers().size() - 1);
        if (bias.length != fc8.outChannels()) {
            throw new IllegalArgumentException("fc8 has " + fc8.outChannels() + " outputs, got " + bias.length + " biases");
        }
        Map<String, NetWeights.Tensor> t = new LinkedHashMap<>(random.tensors());
        long[] shape = NetWeights.weightShape(fc8);
        float[] w = new float[Math.toIntExact(shape[0] * shape[1])];
        if (fc8Scale != 0) {
            float[] r = random.tensors().get(NetWeights.weightName(fc8)).data();
            for (int i = 0; i < w.length; i++) {
                w[i] = r[i] * fc8Scale;
            }
        }
        t.put(NetWeights.weightName(fc8), new NetWeights.Tensor(shape, w));
        t.put(NetWeights.biasName(fc8), new NetWeights.Tensor(new long[] {bias.length}, bias.clone()));
        ModelMetadata meta = ModelMetadata.builder().optNet(net).setClassNames(classNames).setPreprocessing(Preprocessing.torchvision())
                .optTrainScale(TrainScale.fixed(48)).build();
        return OnnxExporter.builder().build().export(dir, new NetWeights(net, t), meta);
    }

    /** A PCR bias: class {@code c} of {@code classNames} predicts {@code boxes.get(name)}, the others {@code otherwise}. */
    public static float[] pcrBias(List<String> classNames, Map<String, float[]> boxes, float[] otherwise) {
        float[] b = new float[Box.ENCODED * classNames.size()];
        for (int c = 0; c < classNames.size(); c++) {
            System.arraycopy(boxes.getOrDefault(classNames.get(c), otherwise), 0, b, Box.ENCODED * c, Box.ENCODED);
        }
        return b;
    }

    /** One annotated object (VOC 1-based inclusive corners). */
    public record Obj(String name, int xmin, int ymin, int xmax, int ymax, boolean difficult) {
    }

    /** One image of a VOC folder: id, size, objects. */
    public record Scene(String id, int width, int height, List<Obj> objects) {
    }

    /** Writes a VOC devkit folder with one image set {@code set}: noise PNGs, XML annotations, per-class files. */
    public static void writeVoc(Path root, List<String> classes, String set, List<Scene> scenes) {
        try {
            Path images = Files.createDirectories(root.resolve("JPEGImages"));
            Path ann = Files.createDirectories(root.resolve("Annotations"));
            Path main = Files.createDirectories(root.resolve("ImageSets/Main"));
            SplittableRandom rnd = new SplittableRandom(5);
            List<String> ids = new ArrayList<>();
            Map<String, StringBuilder> perClass = new LinkedHashMap<>();
            classes.forEach(c -> perClass.put(c, new StringBuilder()));
            for (Scene s : scenes) {
                BufferedImage img = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < s.height(); y++) {
                    for (int x = 0; x < s.width(); x++) {
                        img.setRGB(x, y, rnd.nextInt(1 << 24));
                    }
                }
                ImageIO.write(img, "png", images.resolve(s.id() + ".png").toFile());
                StringBuilder xml = new StringBuilder(String.format(Locale.ROOT,
                        "<annotation>%n<filename>%s.png</filename>%n<size><width>%d</width><height>%d</height><depth>3</depth></size>%n",
                        s.id(), s.width(), s.height()));
                for (Obj o : s.objects()) {
                    xml.append(String.format(Locale.ROOT, "<object><name>%s</name><difficult>%d</difficult>"
                            + "<bndbox><xmin>%d</xmin><ymin>%d</ymin><xmax>%d</xmax><ymax>%d</ymax></bndbox></object>%n",
                            o.name(), o.difficult() ? 1 : 0, o.xmin(), o.ymin(), o.xmax(), o.ymax()));
                }
                Files.writeString(ann.resolve(s.id() + ".xml"), xml.append("</annotation>\n").toString());
                ids.add(s.id());
                for (String c : classes) {
                    int label = -1;
                    for (Obj o : s.objects()) {
                        if (o.name().equals(c)) {
                            label = o.difficult() ? Math.max(label, 0) : 1;
                        }
                    }
                    perClass.get(c).append(s.id()).append(' ').append(label).append('\n');
                }
            }
            Files.writeString(main.resolve(set + ".txt"), String.join("\n", ids) + "\n");
            for (Map.Entry<String, StringBuilder> e : perClass.entrySet()) {
                Files.writeString(main.resolve(e.getKey() + "_" + set + ".txt"), e.getValue().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files of {@link #scenario}. */
    public record Scenario(Path voc, Path scrDense, Path scrClassifier, Path pcrDense, Path pcrClassifier, Path clsDense) {
    }

    /**
     * The hand-checked case. Images are 64 x 64 and tested at Q = 48 (rescale 3/4) with the centred dense window:
     * 48 = 32 + 16, so the window is {@code [8, 40)} in both directions, one cell, whose crop window is
     * {@code [8, 40)}: in the original image {@code [32/3, 160/3) = [10.67, 53.33)}. The central crop at Q = 48 is
     * the same window. The full-window box is therefore {@code B = [10.67, 53.33)^2}; the top-left quarter box is
     * {@code b = [10.67, 32)^2}.
     *
     * <p>Objects: a centred one {@code C} (VOC 12..52, i.e. {@code [11, 52)}: IoU with B 0.92, with b 0.26) and a
     * corner one {@code K} (VOC 1..20, {@code [0, 20)}: IoU with B 0.04, with b 0.11); image 3's second object
     * (VOC 45..64) has IoU < 0.1 with both.
     * <pre>
     *   img1: k1 C           img2: k2 K          img3: k1 C, k7 at 45..64
     *   img4: k7 C           img5: k3 C difficult only (no sample)
     * </pre>
     * The classifier (class names {@code K-9 .. K-0}, reversed, to exercise name matching) ranks k1 > k2 > k3 > k4 > k5 >
     * the rest, so its top 5 is k1..k5 and k7 is never among them. Samples: img1-k1, img2-k2, img3-k1, img3-k7,
     * img4-k7 (5 samples, 4 images).
     * <ul>
     *   <li>SCR, full window everywhere: GT-class correct img1-k1, img3-k1, img4-k7 (error 2/5); top-5 correct
     *       img1-k1, img3-k1 (error 3/5); classification top-5 error 2/5 (the k7 samples).</li>
     *   <li>PCR (class names k9 .. k0): k1 full window, every other class the top-left quarter: GT-class correct
     *       img1-k1, img3-k1 only (error 3/5); top-5 error 3/5.</li>
     * </ul>
     */
    public static Scenario scenario(Path dir) {
        List<String> data = dataClasses();
        List<Scene> scenes = List.of(
                new Scene("img1", 64, 64, List.of(new Obj("k1", 12, 12, 52, 52, false))),
                new Scene("img2", 64, 64, List.of(new Obj("k2", 1, 1, 20, 20, false))),
                new Scene("img3", 64, 64, List.of(new Obj("k1", 12, 12, 52, 52, false), new Obj("k7", 45, 45, 64, 64, false))),
                new Scene("img4", 64, 64, List.of(new Obj("k7", 12, 12, 52, 52, false))),
                new Scene("img5", 64, 64, List.of(new Obj("k3", 12, 12, 52, 52, true))));
        Path voc = dir.resolve("voc");
        writeVoc(voc, data, "test", scenes);
        OnnxExporter.Exported scr = export(dir.resolve("scr"), Head.SCR, data, FULL_WINDOW);
        List<String> reversed = new ArrayList<>(data);
        java.util.Collections.reverse(reversed);
        OnnxExporter.Exported pcr = export(dir.resolve("pcr"), Head.PCR, reversed, pcrBias(reversed, Map.of("k1", FULL_WINDOW), TOP_LEFT_QUARTER));
        List<String> clsNames = reversed.stream().map(n -> "K-" + n.substring(1)).toList();
        float[] logits = new float[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            int k = Integer.parseInt(clsNames.get(i).substring(2));
            logits[i] = switch (k) {
                case 1 -> 5f;
                case 2 -> 4f;
                case 3 -> 3f;
                case 4 -> 2f;
                case 5 -> 1f;
                default -> -k;
            };
        }
        OnnxExporter.Exported cls = export(dir.resolve("cls"), Head.CLASSES, clsNames, logits);
        return new Scenario(voc, scr.dense(), scr.classifier(), pcr.dense(), pcr.classifier(), cls.dense());
    }
}
