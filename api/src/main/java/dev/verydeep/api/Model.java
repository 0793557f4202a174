package dev.verydeep.api;

import dev.verydeep.core.UserException;
import dev.verydeep.onnx.DenseConverter;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxModels;
import dev.verydeep.onnx.Preprocessing;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * An ONNX model ready for the test protocol: a file with verydeep's metadata (class names, crop, preprocessing), as
 * {@code verydeep export} writes it for our own nets and {@code verydeep convert} (or {@link #convert}) for a VGG-style
 * classifier trained elsewhere.
 *
 * <pre>{@code
 * Model own = Model.open(Path.of("runs/D-jit/model-dense.onnx"));          // our own export
 * Model foreign = Model.convert(Path.of("vgg16-torchvision.onnx"))          // a graph trained elsewhere
 *         .setCrop(224)
 *         .optPreprocessing(Preprocessing.torchvision())
 *         .optClassNames(synsets)
 *         .optOut(Path.of("vgg16-dense.onnx"))
 *         .build();
 * }</pre>
 *
 * The model's preprocessing is what its metadata states; {@link Protocol.Builder#optPreprocessing} overrides it for one
 * evaluation, and an {@link dev.verydeep.core.data.ImageSource} of your own applies any geometry before the protocol's
 * isotropic rescale.
 */
public final class Model {
    private final Path path;
    private final ModelMetadata metadata;

    private Model(Path path, ModelMetadata metadata) {
        this.path = path;
        this.metadata = metadata;
    }

    /**
     * Opens an ONNX file that carries verydeep's metadata ({@code model-dense.onnx} for any method,
     * {@code model.onnx} for multi-crop only). A file without it is refused with what to do.
     *
     * <pre>{@code
     * Model m = Model.open(Path.of("runs/A/model-dense.onnx"));
     * System.out.println(m.classNames() + " crop " + m.crop() + ", " + m.preprocessing());
     * }</pre>
     */
    public static Model open(Path onnx) {
        ModelMetadata meta = OnnxModels.load(onnx).metadata().orElseThrow(() -> new UserException(onnx
                + ": no verydeep metadata (classes, preprocessing, crop); export the net with verydeep export, or convert a "
                + "classifier trained elsewhere with Model.convert(...) or verydeep convert"));
        return new Model(onnx, meta);
    }

    /**
     * Starts the conversion of a VGG-style classifier exported elsewhere (torchvision via torch.onnx, ONNX model zoo,
     * Keras via tf2onnx) to the fully convolutional form, with the stated crop, preprocessing and class names
     * ({@link DenseConverter} says which heads are understood).
     *
     * <pre>{@code
     * Model m = Model.convert(Path.of("vgg-fashion.onnx")).setCrop(64).optPreprocessing(Preprocessing.torchvision()).build();
     * }</pre>
     */
    public static Converter convert(Path classifier) {
        return new Converter(classifier);
    }

    /**
     * As {@link #convert(Path)} for a classifier on the class path or behind any URL (copied to a temporary file
     * first).
     *
     * <pre>{@code
     * Model m = Model.convert(MyTest.class.getResource("/models/vgg-fashion.onnx")).setCrop(64).build();
     * }</pre>
     */
    public static Converter convert(URL classifier) {
        if (classifier == null) {
            throw new UserException("Model.convert: the URL is null (a class-path resource that does not exist?)");
        }
        try (InputStream in = classifier.openStream()) {
            String name = classifier.getPath().substring(classifier.getPath().lastIndexOf('/') + 1);
            Path tmp = Files.createTempDirectory("verydeep-").resolve(name.isEmpty() ? "model.onnx" : name);
            tmp.getParent().toFile().deleteOnExit();
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return new Converter(tmp);
        } catch (IOException e) {
            throw new UserException(classifier + ": cannot read the model: " + e.getMessage(), e);
        }
    }

    /** The ONNX file. */
    public Path path() {
        return path;
    }

    /** Class names in score order. */
    public List<String> classNames() {
        return metadata.classNames();
    }

    /** The crop (training input side) the net was made for. */
    public int crop() {
        return metadata.crop();
    }

    /** The preprocessing its metadata states. */
    public Preprocessing preprocessing() {
        return metadata.preprocessing();
    }

    /** All of its metadata. */
    public ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /** set/opt builder of a conversion: the crop is required. */
    public static final class Converter {
        private final Path in;
        private Integer crop;
        private Preprocessing preprocessing = Preprocessing.torchvision();
        private List<String> classNames;
        private Path out;

        private Converter(Path in) {
            this.in = in;
        }

        /** The classifier's input side (a multiple of 32), checked against its first FC layer. */
        public Converter setCrop(int crop) {
            this.crop = crop;
            return this;
        }

        /** The preprocessing the classifier was trained with (default torchvision's), stored in the metadata. */
        public Converter optPreprocessing(Preprocessing preprocessing) {
            this.preprocessing = preprocessing;
            return this;
        }

        /** Class names in score order (default {@code class_0, class_1, ...}). */
        public Converter optClassNames(List<String> classNames) {
            this.classNames = List.copyOf(classNames);
            return this;
        }

        /** Where to write the dense form (default: a temporary file deleted when the JVM exits); replaced if it exists. */
        public Converter optOut(Path out) {
            this.out = out;
            return this;
        }

        /** Converts and opens the dense form. */
        public Model build() {
            if (crop == null) {
                throw new UserException(in + ": the conversion needs the classifier's crop (setCrop, e.g. 224)");
            }
            if (crop <= 0 || crop % 32 != 0) {
                throw new UserException(in + ": crop " + crop + " is not a positive multiple of 32 (a VGG's total stride)");
            }
            DenseConverter.Builder b = DenseConverter.builder().optCrop(crop).optPreprocessing(preprocessing);
            if (classNames != null) {
                b.optClassNames(classNames);
            }
            Path target = out;
            try {
                if (target == null) {
                    // named after the source: the evaluation's rows are labelled with the file name
                    String stem = in.getFileName().toString().replaceFirst("\\.onnx$", "");
                    target = Files.createTempDirectory("verydeep-").resolve(stem + "-dense.onnx");
                    target.getParent().toFile().deleteOnExit();
                    target.toFile().deleteOnExit();
                } else if (target.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(target.toAbsolutePath().getParent());
                }
            } catch (IOException e) {
                throw new UserException(target + ": cannot create the converted model's file: " + e.getMessage(), e);
            }
            b.build().convert(in, target);
            return open(target);
        }
    }
}
