package dev.verydeep.onnx;

import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test data sets in the ONNX model-zoo layout: a folder {@code test_data_set_N} holding
 * {@code input_0.pb, input_1.pb, ...} and {@code output_0.pb, ...}, each a TensorProto with raw_data.
 *
 * <p>Which sets belong to which model file (several models can share a run folder):
 * <ul>
 *   <li>{@code model.onnx} owns {@code test_data_set_N} (the model-zoo and ONNX backend-test layout);</li>
 *   <li>{@code model-TAG.onnx} owns {@code test_data_set_TAG_N}, so {@code model-dense.onnx} owns
 *       {@code test_data_set_dense_N};</li>
 *   <li>any other {@code STEM.onnx} owns {@code test_data_set_STEM_N}, and also the plain
 *       {@code test_data_set_N} when it is the only {@code .onnx} file in its folder (a model-zoo
 *       archive such as {@code vgg16/vgg16.onnx + vgg16/test_data_set_0}).</li>
 * </ul>
 */
public final class TestDataSets {
    private static final Pattern INPUT = Pattern.compile("input_(\\d+)\\.pb");
    private static final Pattern OUTPUT = Pattern.compile("output_(\\d+)\\.pb");

    private TestDataSets() {
    }

    /** One test data set: the inputs to feed and the outputs to expect, in index order. */
    public record TestDataSet(Path dir, List<TensorData> inputs, List<TensorData> outputs) {
        public String name() {
            return dir.getFileName().toString();
        }
    }

    /**
     * Writes {@code dir/input_i.pb} and {@code dir/output_i.pb} (raw_data). The folder is filled under a
     * temporary name and renamed, replacing an existing set of the same name.
     */
    public static void write(Path dir, List<TensorData> inputs, List<TensorData> outputs) {
        AtomicFiles.writeDirectory(dir, tmp -> {
            for (int i = 0; i < inputs.size(); i++) {
                Files.write(tmp.resolve("input_" + i + ".pb"), TensorProtos.toProto(inputs.get(i)).toByteArray());
            }
            for (int i = 0; i < outputs.size(); i++) {
                Files.write(tmp.resolve("output_" + i + ".pb"), TensorProtos.toProto(outputs.get(i)).toByteArray());
            }
        });
    }

    /** The folder name prefix of the sets that belong to a model file, e.g. {@code test_data_set_dense_}. */
    public static String prefixFor(Path model) {
        String tag = tagOf(model);
        return tag.isEmpty() ? "test_data_set_" : "test_data_set_" + tag + "_";
    }

    /** The folder of set {@code n} of a model file: {@code model-dense.onnx, 0 -> test_data_set_dense_0}. */
    public static Path dirFor(Path model, int n) {
        Path parent = model.toAbsolutePath().getParent();
        return parent.resolve(prefixFor(model) + n);
    }

    private static String tagOf(Path model) {
        String file = model.getFileName().toString();
        String stem = file.toLowerCase(Locale.ROOT).endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        if (stem.equals("model")) {
            return "";
        }
        String tag = stem.startsWith("model-") ? stem.substring("model-".length()) : stem;
        return tag.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The set folders that belong to a model file, ordered by N. */
    public static List<Path> find(Path model) {
        Path parent = model.toAbsolutePath().getParent();
        List<Pattern> patterns = new ArrayList<>();
        patterns.add(Pattern.compile(Pattern.quote(prefixFor(model)) + "(\\d+)"));
        if (!tagOf(model).isEmpty() && onlyModelIn(parent)) {
            patterns.add(Pattern.compile("test_data_set_(\\d+)"));
        }
        List<Path> sets = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && patterns.stream().anyMatch(pt -> pt.matcher(name).matches())) {
                    sets.add(p);
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot list " + parent + ": " + e, e);
        }
        sets.sort(Comparator.comparing((Path p) -> trailingNumber(p.getFileName().toString()))
                .thenComparing(p -> p.getFileName().toString()));
        return sets;
    }

    private static boolean onlyModelIn(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.onnx")) {
            int n = 0;
            for (Path ignored : ds) {
                n++;
            }
            return n == 1;
        } catch (IOException e) {
            return false;
        }
    }

    private static long trailingNumber(String s) {
        Matcher m = Pattern.compile("(\\d+)$").matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }

    /**
     * Reads a set folder. Inputs and outputs must be numbered 0..n-1 without gaps; every problem is a
     * {@link UserException} naming the file or folder.
     */
    public static TestDataSet read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + ": not a folder");
        }
        List<Path> inputs = numbered(dir, INPUT);
        List<Path> outputs = numbered(dir, OUTPUT);
        if (inputs.isEmpty()) {
            throw new UserException(dir + ": no input_0.pb");
        }
        if (outputs.isEmpty()) {
            throw new UserException(dir + ": no output_0.pb");
        }
        return new TestDataSet(dir, inputs.stream().map(TensorProtos::read).toList(),
                outputs.stream().map(TensorProtos::read).toList());
    }

    private static List<Path> numbered(Path dir, Pattern pattern) {
        List<Path> found = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.add(p);
                    idx.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new UserException("cannot list " + dir + ": " + e, e);
        }
        Path[] ordered = new Path[found.size()];
        for (int i = 0; i < found.size(); i++) {
            int k = idx.get(i);
            if (k >= ordered.length || ordered[k] != null) {
                throw new UserException(dir + ": files " + pattern.pattern().replace("(\\d+)\\.", "N.")
                        + " must be numbered 0.." + (ordered.length - 1) + " without gaps, found " + found.get(i).getFileName());
            }
            ordered[k] = found.get(i);
        }
        return List.of(ordered);
    }
}
