package dev.verydeep.core.data.voc;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.ImageDecoder;
import dev.verydeep.core.image.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * VOC-2012 action classification data: the annotated persons of {@code ImageSets/Action/<set>.txt}
 * ({@code id objectIndex} lines), their action labels from {@code ImageSets/Action/<action>_<set>.txt}
 * ({@code id objectIndex label}, label 1 or -1, 0 ignored) and their boxes from {@code Annotations/<id>.xml}
 * (the 1-based {@code objectIndex}-th {@code <object>}, which must be a {@code person}; its {@code <actions>},
 * when present, must agree with the files). One entry per person, in (image id, object index) order; the
 * action list is the set of action prefixes of the per-action files, sorted. Errors name the file and line.
 */
public final class VocActionDataset implements ImageSource {
    /** One annotated person: the image, its object index (1-based), box, labels per action and the sets listing it. */
    public record Person(String imageId, int objectIndex, Path file, VocObject box, int[] truth, List<String> sets) {
        /** "imageid/objectIndex". */
        public String id() {
            return imageId + "/" + objectIndex;
        }
    }

    private final Path root;
    private final List<String> actions;
    private final List<Person> persons;
    private final List<String> sets;
    private final long maxPixels;

    private VocActionDataset(Path root, List<String> actions, List<Person> persons, List<String> sets, long maxPixels) {
        this.root = root;
        this.actions = actions;
        this.persons = persons;
        this.sets = sets;
        this.maxPixels = maxPixels;
    }

    /** Reads the named image set ({@code null}: those of {@link VocDataset#DEFAULT_SETS} present, at least one). */
    public static VocActionDataset open(Path root, String set) {
        Path abs = root.toAbsolutePath().normalize();
        Path dir = abs.resolve("ImageSets/Action");
        for (String d : new String[] {"JPEGImages", "Annotations", "ImageSets/Action"}) {
            if (!Files.isDirectory(abs.resolve(d))) {
                throw new UserException(abs + ": no " + d + "/ folder (expected a VOC2012 action layout with JPEGImages/, Annotations/, ImageSets/Action/)");
            }
        }
        if (set != null && !VocDataset.SAFE_ID.matcher(set).matches()) {
            throw new UserException("image set name '" + set + "' is not a plain name");
        }
        TreeMap<String, TreeSet<String>> actionsBySet = actionFiles(dir);
        List<String> setNames = new ArrayList<>();
        for (String s : set != null ? List.of(set) : VocDataset.DEFAULT_SETS) {
            if (actionsBySet.containsKey(s) || Files.isRegularFile(dir.resolve(s + ".txt"))) {
                setNames.add(s);
            }
        }
        if (setNames.isEmpty()) {
            throw new UserException(dir + ": no per-action files for " + (set != null ? "set " + set : "any of " + VocDataset.DEFAULT_SETS)
                    + " (expected <action>_<set>.txt, e.g. jumping_train.txt)");
        }
        TreeSet<String> all = new TreeSet<>();
        actionsBySet.values().forEach(all::addAll);
        List<String> actions = List.copyOf(all);
        // (id, object index) -> labels per action and sets, in id order
        TreeMap<String, TreeMap<Integer, int[]>> truth = new TreeMap<>();
        Map<String, List<String>> setsOf = new HashMap<>();
        for (String s : setNames) {
            for (String a : actions) {
                if (!actionsBySet.getOrDefault(s, new TreeSet<>()).contains(a)) {
                    throw new UserException(dir.resolve(a + "_" + s + ".txt") + ": missing (other actions have a file for set " + s + ")");
                }
            }
            Map<String, String> listed = readPersons(dir.resolve(s + ".txt"));
            Path listSource = dir.resolve(s + ".txt");
            for (int k = 0; k < actions.size(); k++) {
                Path f = dir.resolve(actions.get(k) + "_" + s + ".txt");
                Map<String, String> seen = new HashMap<>();
                for (Row row : rows(f, 3, "'id objectIndex label'")) {
                    String where = row.where();
                    String[] p = row.fields();
                    String key = personKey(where, p[0], p[1]);
                    int label = switch (p[2]) {
                        case "1" -> 1;
                        case "-1" -> -1;
                        case "0" -> 0;
                        default -> throw new UserException(where + ": label '" + p[2] + "' is not 1, -1 or 0");
                    };
                    if (seen.put(key, where) != null) {
                        throw new UserException(where + ": person " + key + " listed twice");
                    }
                    if (listed != null && !listed.containsKey(key)) {
                        throw new UserException(where + ": person " + key + " is not in " + listSource);
                    }
                    int[] labels = truth.computeIfAbsent(p[0], x -> new TreeMap<>()).computeIfAbsent(Integer.parseInt(p[1]), x -> {
                        int[] l = new int[actions.size()];
                        java.util.Arrays.fill(l, Integer.MIN_VALUE);
                        return l;
                    });
                    if (labels[k] != Integer.MIN_VALUE && labels[k] != label) {
                        throw new UserException(where + ": person " + key + " has label " + label + " for " + actions.get(k)
                                + " but another set's file gives " + labels[k]);
                    }
                    labels[k] = label;
                    List<String> in = setsOf.computeIfAbsent(key, x -> new ArrayList<>());
                    if (!in.contains(s)) {
                        in.add(s);
                    }
                }
                for (String key : listed == null ? List.<String>of() : listed.keySet()) {
                    if (!seen.containsKey(key)) {
                        throw new UserException(f + ": person " + key + " (" + listed.get(key) + ") has no label here");
                    }
                }
                if (listed == null) {
                    // without <set>.txt the first action file lists the set's persons
                    listed = new LinkedHashMap<>(seen);
                    listSource = f;
                }
            }
        }
        DocumentBuilder xml = VocDataset.xmlParser();
        List<Person> persons = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, int[]>> e : truth.entrySet()) {
            String id = e.getKey();
            List<String> inSets = new ArrayList<>();
            e.getValue().keySet().forEach(o -> setsOf.get(id + "/" + o).stream().filter(s -> !inSets.contains(s)).forEach(inSets::add));
            VocImage img = VocDataset.readAnnotation(abs, id, inSets, null, xml);
            List<Map<String, Integer>> xmlActions = xmlActions(abs.resolve("Annotations").resolve(id + ".xml"), xml);
            for (Map.Entry<Integer, int[]> o : e.getValue().entrySet()) {
                int index = o.getKey();
                Path ann = abs.resolve("Annotations").resolve(id + ".xml");
                if (index < 1 || index > img.objects().size()) {
                    throw new UserException(ann + ": has " + img.objects().size() + " objects, but the action files name person " + id + "/" + index);
                }
                VocObject obj = img.objects().get(index - 1);
                if (!"person".equals(obj.name())) {
                    throw new UserException(ann + ": object " + index + " is a " + obj.name() + ", but the action files name it as a person");
                }
                Map<String, Integer> flags = xmlActions.get(index - 1);
                for (int k = 0; k < actions.size(); k++) {
                    Integer flag = flags.get(actions.get(k));
                    int label = o.getValue()[k];
                    if (flag != null && label != 0 && (flag == 1) != (label == 1)) {
                        throw new UserException(ann + ": object " + index + " has <" + actions.get(k) + ">" + flag + "</" + actions.get(k)
                                + "> but " + actions.get(k) + "_*.txt gives " + label);
                    }
                }
                persons.add(new Person(id, index, img.file(), obj, o.getValue(), List.copyOf(setsOf.get(id + "/" + index))));
            }
        }
        return new VocActionDataset(abs, actions, List.copyOf(persons), List.copyOf(setNames), ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    /** Per set, the actions with a {@code <action>_<set>.txt} file. */
    private static TreeMap<String, TreeSet<String>> actionFiles(Path dir) {
        TreeMap<String, TreeSet<String>> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).forEach(n -> {
                for (String set : VocDataset.DEFAULT_SETS) {
                    String suffix = "_" + set + ".txt";
                    if (n.endsWith(suffix) && n.length() > suffix.length()) {
                        out.computeIfAbsent(set, k -> new TreeSet<>()).add(n.substring(0, n.length() - suffix.length()));
                    }
                }
            });
        } catch (IOException e) {
            throw new UserException(dir + ": cannot list: " + e.getMessage(), e);
        }
        return out;
    }

    /** The persons of {@code <set>.txt} ("id objectIndex" lines) with where each is listed; null when the file is absent. */
    private static Map<String, String> readPersons(Path f) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Row row : rows(f, 2, "'id objectIndex'")) {
            String[] p = row.fields();
            if (out.put(personKey(row.where(), p[0], p[1]), row.where()) != null) {
                throw new UserException(row.where() + ": person " + p[0] + "/" + p[1] + " listed twice");
            }
        }
        return out;
    }

    /** A non-empty line of an image set file: "FILE line N" and its whitespace-separated fields. */
    private record Row(String where, String[] fields) {
    }

    /** The non-empty lines of {@code f}, each of exactly {@code n} fields ({@code expected} says which). */
    private static List<Row> rows(Path f, int n, String expected) {
        List<Row> out = new ArrayList<>();
        List<String> lines = VocDataset.lines(f);
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.isEmpty()) {
                continue;
            }
            String[] p = t.split("\\s+");
            if (p.length != n) {
                throw new UserException(f + " line " + (i + 1) + ": expected " + expected + ", got '" + t + "'");
            }
            out.add(new Row(f + " line " + (i + 1), p));
        }
        return out;
    }

    private static String personKey(String where, String id, String index) {
        if (!VocDataset.SAFE_ID.matcher(id).matches() || id.contains("..")) {
            throw new UserException(where + ": image id '" + id + "' is not a plain name (refused: it could leave the data set folder)");
        }
        if (!index.matches("[0-9]{1,6}") || Integer.parseInt(index) < 1) {
            throw new UserException(where + ": object index '" + index + "' is not a positive integer (1 = the first <object>)");
        }
        return id + "/" + Integer.parseInt(index);
    }

    /** The {@code <actions>} flags of every {@code <object>} of an annotation (empty maps for objects without). */
    private static List<Map<String, Integer>> xmlActions(Path file, DocumentBuilder xml) {
        org.w3c.dom.Document doc;
        try (InputStream in = Files.newInputStream(file)) {
            doc = xml.parse(in);
        } catch (SAXException | IOException e) {
            throw new UserException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Map<String, Integer>> out = new ArrayList<>();
        for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element o) || !"object".equals(o.getTagName())) {
                continue;
            }
            Map<String, Integer> flags = new HashMap<>();
            for (Node a = o.getFirstChild(); a != null; a = a.getNextSibling()) {
                if (a instanceof Element acts && "actions".equals(acts.getTagName())) {
                    for (Node f = acts.getFirstChild(); f != null; f = f.getNextSibling()) {
                        if (f instanceof Element flag) {
                            String v = flag.getTextContent().strip();
                            if (!v.equals("0") && !v.equals("1")) {
                                throw new UserException(file + ": object " + (out.size() + 1) + ": <" + flag.getTagName() + ">" + v
                                        + "</" + flag.getTagName() + "> is not 0 or 1");
                            }
                            flags.put(flag.getTagName(), Integer.parseInt(v));
                        }
                    }
                }
            }
            out.add(flags);
        }
        return out;
    }

    public Path root() {
        return root;
    }

    /** The actions (classes), sorted. */
    public List<String> actions() {
        return actions;
    }

    /** The persons, one entry each, in (image id, object index) order. */
    public List<Person> persons() {
        return persons;
    }

    @Override
    public int size() {
        return persons.size();
    }

    /** Multi-label: use {@link Person#truth()}. */
    @Override
    public int label(int i) {
        throw new UnsupportedOperationException("VOC action persons are multi-label: use persons().get(i).truth()");
    }

    @Override
    public List<String> classNames() {
        return actions;
    }

    /** The whole image person {@code i} is in. */
    @Override
    public RgbImage image(int i) {
        return ImageDecoder.decode(persons.get(i).file(), maxPixels);
    }

    @Override
    public String id(int i) {
        return persons.get(i).id();
    }

    @Override
    public String describe() {
        return "voc-action:" + root + " (" + persons.size() + " persons, " + actions.size() + " actions, sets " + String.join(",", sets) + ")";
    }
}
