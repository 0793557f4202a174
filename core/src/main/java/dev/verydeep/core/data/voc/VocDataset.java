package dev.verydeep.core.data.voc;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.ImageDecoder;
import dev.verydeep.core.image.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads one year of the PASCAL VOC devkit layout: {@code ImageSets/Main/<set>.txt} (image ids),
 * {@code ImageSets/Main/<class>_<set>.txt} (per-class labels 1, -1, 0), {@code Annotations/<id>.xml} and the
 * image files in {@code JPEGImages/}.
 *
 * <p>The class list is the set of class prefixes of the per-class files, sorted (VOC's own order is
 * alphabetical). Ground truth comes from the XML (the devkit derives the per-class files from it); the
 * per-class files present are checked against it. Errors name the file (and line) and what is wrong:
 * malformed XML, missing fields, unknown class names, boxes inverted or outside the image, image sets naming
 * images without annotation or image file, and ids or file names that would leave the data set's folders.
 * XML is parsed with DOCTYPEs refused (no external entities).
 */
public final class VocDataset implements ImageSource {
    /** The image sets read when none are named, in this order. */
    public static final List<String> DEFAULT_SETS = List.of("train", "val", "trainval", "test");
    static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private final Path root;
    private final List<String> classes;
    private final List<VocImage> images;
    private final Map<String, List<String>> sets;
    private final long maxPixels;

    private VocDataset(Path root, List<String> classes, List<VocImage> images, Map<String, List<String>> sets, long maxPixels) {
        this.root = root;
        this.classes = classes;
        this.images = images;
        this.sets = sets;
        this.maxPixels = maxPixels;
    }

    /** Reads the sets of {@link #DEFAULT_SETS} that exist (at least one must). */
    public static VocDataset open(Path root) {
        return open(root, null);
    }

    /** Reads the named image sets ({@code null}: those of {@link #DEFAULT_SETS} that exist). */
    public static VocDataset open(Path root, List<String> setNames) {
        Path abs = root.toAbsolutePath().normalize();
        Path main = abs.resolve("ImageSets/Main");
        for (String d : new String[] {"JPEGImages", "Annotations", "ImageSets/Main"}) {
            if (!Files.isDirectory(abs.resolve(d))) {
                throw new UserException(abs + ": no " + d + "/ folder (expected a VOC devkit year folder with JPEGImages/, Annotations/, ImageSets/Main/)");
            }
        }
        List<String> names = new ArrayList<>();
        if (setNames == null) {
            for (String s : DEFAULT_SETS) {
                if (Files.isRegularFile(main.resolve(s + ".txt"))) {
                    names.add(s);
                }
            }
            if (names.isEmpty()) {
                throw new UserException(main + ": none of " + DEFAULT_SETS + " .txt image sets exists");
            }
        } else {
            names.addAll(setNames);
        }
        List<String> classes = classes(main);
        Map<String, List<String>> sets = new LinkedHashMap<>();
        TreeMap<String, List<String>> membership = new TreeMap<>();
        for (String s : names) {
            if (!SAFE_ID.matcher(s).matches()) {
                throw new UserException("image set name '" + s + "' is not a plain name");
            }
            List<String> ids = readIds(main.resolve(s + ".txt"));
            sets.put(s, ids);
            for (String id : ids) {
                membership.computeIfAbsent(id, k -> new ArrayList<>()).add(s);
            }
        }
        Map<String, Integer> classIndex = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            classIndex.put(classes.get(i), i);
        }
        DocumentBuilder xml = xmlParser();
        List<VocImage> images = new ArrayList<>();
        Map<String, Integer> byId = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : membership.entrySet()) {
            String id = e.getKey();
            VocImage img = readAnnotation(abs, id, e.getValue(), classIndex, xml);
            byId.put(id, images.size());
            images.add(img);
        }
        // Cross-check the per-class files of the sets read.
        for (String s : names) {
            for (int c = 0; c < classes.size(); c++) {
                Path f = main.resolve(classes.get(c) + "_" + s + ".txt");
                if (Files.isRegularFile(f)) {
                    checkClassFile(f, c, byId, images);
                }
            }
        }
        return new VocDataset(abs, List.copyOf(classes), List.copyOf(images), sets, ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    private static List<String> classes(Path main) {
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(main)) {
            s.map(p -> p.getFileName().toString()).forEach(n -> {
                for (String set : DEFAULT_SETS) {
                    String suffix = "_" + set + ".txt";
                    if (n.endsWith(suffix) && n.length() > suffix.length()) {
                        out.add(n.substring(0, n.length() - suffix.length()));
                    }
                }
            });
        } catch (IOException e) {
            throw new UserException(main + ": cannot list: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new UserException(main + ": no per-class files (<class>_train.txt, ...), so no class list");
        }
        return new ArrayList<>(out);
    }

    static List<String> readIds(Path f) {
        List<String> lines = lines(f);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.isEmpty()) {
                continue;
            }
            String id = t.split("\\s+")[0];
            if (!SAFE_ID.matcher(id).matches() || id.contains("..")) {
                throw new UserException(f + " line " + (i + 1) + ": image id '" + id + "' is not a plain name (refused: it could leave the data set folder)");
            }
            ids.add(id);
        }
        return ids;
    }

    static List<String> lines(Path f) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new UserException(f + ": image set file not found");
        } catch (IOException e) {
            throw new UserException(f + ": cannot read: " + e.getMessage(), e);
        }
        // Decoded by hand so that a bad byte is reported with its offset, not as "Input length = 1".
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult r = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            throw new UserException(String.format(java.util.Locale.ROOT, "%s: not UTF-8 text: byte 0x%02X at byte %d (line %d) cannot start or "
                    + "continue a UTF-8 character; image set files are plain lists of image ids", f, bytes[at] & 0xFF, at, lineOf(bytes, at)));
        }
        out.flip();
        return out.toString().lines().toList();
    }

    private static int lineOf(byte[] bytes, int at) {
        int line = 1;
        for (int i = 0; i < at; i++) {
            line += bytes[i] == '\n' ? 1 : 0;
        }
        return line;
    }

    /** A value from a file, shown in a message: at most 40 characters, control characters escaped. */
    private static String shown(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(40).forEach(c -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
        return b + (s.codePointCount(0, s.length()) > 40 ? "..." : "");
    }

    static DocumentBuilder xmlParser() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads and checks {@code Annotations/<id>.xml}; {@code classIndex} null accepts any object name (class index -1). */
    static VocImage readAnnotation(Path root, String id, List<String> sets, Map<String, Integer> classIndex, DocumentBuilder xml) {
        Path file = root.resolve("Annotations").resolve(id + ".xml");
        String where = "image set " + String.join("/", sets) + " names image " + id;
        if (!Files.isRegularFile(file)) {
            throw new UserException(file + ": missing (" + where + ")");
        }
        Element ann = parseAnnotation(file, xml).getDocumentElement();
        if (!"annotation".equals(ann.getTagName())) {
            throw new UserException(file + ": root element is <" + ann.getTagName() + ">, expected <annotation>");
        }
        Path image = imageFile(root, id, file, ann, where);
        Element size = child(ann, "size", file);
        int width = intField(size, "width", file);
        int height = intField(size, "height", file);
        if (width < 1 || height < 1) {
            throw new UserException(file + ": image size " + width + "x" + height + " is not positive");
        }
        List<VocObject> objects = new ArrayList<>();
        int[] truth = new int[classIndex == null ? 0 : classIndex.size()];
        java.util.Arrays.fill(truth, -1);
        NodeList list = ann.getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i) instanceof Element o && "object".equals(o.getTagName())) {
                VocObject obj = readObject(o, file, file + ": object " + (objects.size() + 1), classIndex, width, height);
                objects.add(obj);
                if (obj.classIndex() >= 0) {
                    truth[obj.classIndex()] = obj.difficult() ? Math.max(truth[obj.classIndex()], 0) : 1;
                }
            }
        }
        return new VocImage(id, image, width, height, List.copyOf(objects), List.copyOf(sets), truth);
    }

    /** Parses an annotation; errors say whether the file is unreadable, not UTF-8, in an unknown encoding or malformed. */
    private static Document parseAnnotation(Path file, DocumentBuilder xml) {
        try (InputStream in = Files.newInputStream(file)) {
            return xml.parse(in);
        } catch (SAXException e) {
            if (e.getException() instanceof java.io.CharConversionException || String.valueOf(e.getMessage()).contains("-byte UTF-8 sequence")) {
                throw notUtf8(file, e);
            }
            throw new UserException(file + ": malformed XML: " + e.getMessage(), e);
        } catch (java.io.UnsupportedEncodingException e) {
            // The parser's message is only the name from the XML declaration.
            throw new UserException(file + ": the XML declaration names the encoding '" + shown(String.valueOf(e.getMessage()))
                    + "', which is not one this reader knows (annotations are UTF-8)", e);
        } catch (java.io.CharConversionException e) {
            throw notUtf8(file, e);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static UserException notUtf8(Path file, Exception e) {
        return new UserException(file + ": not UTF-8 text (" + e.getMessage() + "); annotations are UTF-8 unless their XML "
                + "declaration names another encoding", e);
    }

    /** The image an annotation names ({@code <filename>}, default {@code <id>.jpg}): present and inside JPEGImages/. */
    private static Path imageFile(Path root, String id, Path file, Element ann, String where) {
        String fileName = optText(ann, "filename");
        if (fileName == null) {
            fileName = id + ".jpg";
        }
        Path images = root.resolve("JPEGImages");
        Path image = images.resolve(fileName).normalize();
        if (fileName.contains("/") || fileName.contains("\\") || !image.startsWith(images) || image.equals(images)) {
            throw new UserException(file + ": <filename>" + fileName + "</filename> leaves JPEGImages/ (refused)");
        }
        if (!Files.isRegularFile(image)) {
            throw new UserException(image + ": missing (" + where + ", " + file.getFileName() + " names this file)");
        }
        try {
            if (!image.toRealPath().startsWith(images.toRealPath())) {
                throw new UserException(image + ": a link leaving JPEGImages/ (refused)");
            }
        } catch (IOException e) {
            throw new UserException(image + ": cannot resolve: " + e.getMessage(), e);
        }
        return image;
    }

    /** One {@code <object>} ({@code what} names it in errors): a known name and a 1-based box inside the image. */
    private static VocObject readObject(Element o, Path file, String what, Map<String, Integer> classIndex, int width, int height) {
        String name = optText(o, "name");
        if (name == null || name.isBlank()) {
            throw new UserException(what + " has no <name>");
        }
        name = name.strip();
        Integer c = classIndex == null ? Integer.valueOf(-1) : classIndex.get(name);
        if (c == null) {
            throw new UserException(what + ": unknown class name '" + name + "' (classes: " + String.join(", ", classIndex.keySet()) + ")");
        }
        boolean difficult = flag(o, "difficult", what);
        boolean truncated = flag(o, "truncated", what);
        Element box = child(o, "bndbox", file);
        double xmin = number(box, "xmin", what);
        double ymin = number(box, "ymin", what);
        double xmax = number(box, "xmax", what);
        double ymax = number(box, "ymax", what);
        if (xmin > xmax || ymin > ymax) {
            throw new UserException(what + " (" + name + "): inverted box xmin=" + fmt(xmin) + " ymin=" + fmt(ymin) + " xmax=" + fmt(xmax) + " ymax=" + fmt(ymax));
        }
        if (xmin < 1 || ymin < 1 || xmax > width || ymax > height) {
            throw new UserException(what + " (" + name + "): box " + fmt(xmin) + "," + fmt(ymin) + "-" + fmt(xmax) + "," + fmt(ymax)
                    + " outside the " + width + "x" + height + " image (VOC boxes are 1-based, inclusive)");
        }
        return new VocObject(name, c, difficult, truncated, xmin, ymin, xmax, ymax);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void checkClassFile(Path f, int c, Map<String, Integer> byId, List<VocImage> images) {
        List<String> lines = lines(f);
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.isEmpty()) {
                continue;
            }
            String[] p = t.split("\\s+");
            if (p.length != 2) {
                throw new UserException(f + " line " + (i + 1) + ": expected 'id label', got '" + t + "'");
            }
            Integer idx = byId.get(p[0]);
            if (idx == null) {
                throw new UserException(f + " line " + (i + 1) + ": image " + p[0] + " is in no image set read");
            }
            int label;
            try {
                label = Integer.parseInt(p[1]);
            } catch (NumberFormatException e) {
                throw new UserException(f + " line " + (i + 1) + ": label '" + p[1] + "' is not 1, -1 or 0");
            }
            int expected = images.get(idx).truth()[c];
            if (label != expected) {
                throw new UserException(f + " line " + (i + 1) + ": image " + p[0] + " has label " + label + " but its annotation gives " + expected);
            }
        }
    }

    private static Element child(Element e, String name, Path file) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c;
            }
        }
        throw new UserException(file + ": <" + e.getTagName() + "> has no <" + name + ">");
    }

    private static String optText(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().strip();
            }
        }
        return null;
    }

    private static int intField(Element e, String name, Path file) {
        String t = optText(e, name);
        if (t == null) {
            throw new UserException(file + ": <" + e.getTagName() + "> has no <" + name + ">");
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException ex) {
            throw new UserException(file + ": <" + name + ">" + t + "</" + name + "> is not an integer");
        }
    }

    private static double number(Element e, String name, String what) {
        String t = optText(e, name);
        if (t == null) {
            throw new UserException(what + ": <bndbox> has no <" + name + ">");
        }
        try {
            double v = Double.parseDouble(t);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException ex) {
            throw new UserException(what + ": <" + name + ">" + t + "</" + name + "> is not a number");
        }
    }

    private static boolean flag(Element o, String name, String what) {
        String t = optText(o, name);
        if (t == null || t.isEmpty()) {
            return false;
        }
        return switch (t) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new UserException(what + ": <" + name + ">" + t + "</" + name + "> is not 0 or 1");
        };
    }

    public Path root() {
        return root;
    }

    public List<String> classes() {
        return classes;
    }

    public List<VocImage> images() {
        return images;
    }

    /** Image ids of each set read, in file order. */
    public Map<String, List<String>> sets() {
        return Collections.unmodifiableMap(sets);
    }

    @Override
    public int size() {
        return images.size();
    }

    /** Multi-label: there is no single label; use {@link VocImage#truth()}. */
    @Override
    public int label(int i) {
        throw new UnsupportedOperationException("VOC images are multi-label: use images().get(i).truth()");
    }

    @Override
    public List<String> classNames() {
        return classes;
    }

    @Override
    public RgbImage image(int i) {
        return ImageDecoder.decode(images.get(i).file(), maxPixels);
    }

    @Override
    public String id(int i) {
        return images.get(i).id();
    }

    @Override
    public boolean decodesFiles() {
        return true;
    }

    @Override
    public String describe() {
        return "voc:" + root + " (" + images.size() + " images, " + classes.size() + " classes, sets " + String.join(",", sets.keySet()) + ")";
    }
}
