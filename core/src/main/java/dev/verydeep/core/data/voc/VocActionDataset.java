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
import java.util.Arrays;
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
        checkLayout(abs);
        if (set != null && !VocDataset.SAFE_ID.matcher(set).matches()) {
            throw new UserException("image set name '" + set + "' is not a plain name");
        }
        TreeMap<String, TreeSet<String>> actionsBySet = actionFiles(dir);
        List<String> setNames = setsPresent(dir, set, actionsBySet);
        TreeSet<String> all = new TreeSet<>();
        actionsBySet.values().forEach(all::addAll);
        List<String> actions = List.copyOf(all);
        Labels labels = new Labels(actions.size());
        for (String s : setNames) {
            requireEveryActionFile(dir, s, actions, actionsBySet);
            readSet(dir, s, actions, labels);
        }
        return new VocActionDataset(abs, actions, persons(abs, actions, labels), List.copyOf(setNames), ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    private static void checkLayout(Path abs) {
        for (String d : new String[] {"JPEGImages", "Annotations", "ImageSets/Action"}) {
            if (!Files.isDirectory(abs.resolve(d))) {
                throw new UserException(abs + ": no " + d + "/ folder (expected a VOC2012 action layout with JPEGImages/, Annotations/, ImageSets/Action/)");
            }
        }
    }

    /** The sets to read: {@code set}, or those of {@link VocDataset#DEFAULT_SETS} with a list or per-action files. */
    private static List<String> setsPresent(Path dir, String set, Map<String, TreeSet<String>> actionsBySet) {
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
        return setNames;
    }

    private static void requireEveryActionFile(Path dir, String set, List<String> actions, Map<String, TreeSet<String>> actionsBySet) {
        for (String a : actions) {
            if (!actionsBySet.getOrDefault(set, new TreeSet<>()).contains(a)) {
                throw new UserException(dir.resolve(a + "_" + set + ".txt") + ": missing (other actions have a file for set " + set + ")");
            }
        }
    }

    /**
     * Reads one set's per-action files into {@code labels}. Every file must label exactly the persons of
     * {@code <set>.txt}, or, without that file, those of the set's first action file.
     */
    private static void readSet(Path dir, String set, List<String> actions, Labels labels) {
        Map<String, String> listed = readPersons(dir.resolve(set + ".txt"));
        Path listSource = dir.resolve(set + ".txt");
        for (int k = 0; k < actions.size(); k++) {
            Path f = dir.resolve(actions.get(k) + "_" + set + ".txt");
            Map<String, String> seen = readActionFile(f, set, k, actions.get(k), listed, listSource, labels);
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

    /** Reads {@code <action>_<set>.txt} (action number {@code k}) into {@code labels}; the persons it labels, with where. */
    private static Map<String, String> readActionFile(Path f, String set, int k, String action, Map<String, String> listed, Path listSource,
            Labels labels) {
        Map<String, String> seen = new HashMap<>();
        for (Row row : rows(f, 3, "'id objectIndex label'")) {
            String where = row.where();
            String[] p = row.fields();
            String key = personKey(where, p[0], p[1]);
            int label = parseLabel(where, p[2]);
            if (seen.put(key, where) != null) {
                throw new UserException(where + ": person " + key + " listed twice");
            }
            if (listed != null && !listed.containsKey(key)) {
                throw new UserException(where + ": person " + key + " is not in " + listSource);
            }
            labels.put(where, p[0], Integer.parseInt(p[1]), k, action, label);
            labels.listIn(key, set);
        }
        return seen;
    }

    private static int parseLabel(String where, String text) {
        return switch (text) {
            case "1" -> 1;
            case "-1" -> -1;
            case "0" -> 0;
            default -> throw new UserException(where + ": label '" + text + "' is not 1, -1 or 0");
        };
    }

    /** The labels read so far: per image id (sorted), per object index (sorted), one label per action; and the sets of each person. */
    private static final class Labels {
        private static final int UNSET = Integer.MIN_VALUE;
        private final int actions;
        private final TreeMap<String, TreeMap<Integer, int[]>> byImage = new TreeMap<>();
        private final Map<String, List<String>> setsOf = new HashMap<>();

        Labels(int actions) {
            this.actions = actions;
        }

        /** Records person {@code id/index}'s label for action {@code k}; sets must agree where they overlap. */
        void put(String where, String id, int index, int k, String action, int label) {
            int[] labels = byImage.computeIfAbsent(id, x -> new TreeMap<>()).computeIfAbsent(index, x -> {
                int[] l = new int[actions];
                Arrays.fill(l, UNSET);
                return l;
            });
            if (labels[k] != UNSET && labels[k] != label) {
                throw new UserException(where + ": person " + id + "/" + index + " has label " + label + " for " + action
                        + " but another set's file gives " + labels[k]);
            }
            labels[k] = label;
        }

        void listIn(String key, String set) {
            List<String> in = setsOf.computeIfAbsent(key, x -> new ArrayList<>());
            if (!in.contains(set)) {
                in.add(set);
            }
        }

        List<String> setsOf(String id, int index) {
            return setsOf.get(id + "/" + index);
        }

        /** The sets listing any labelled person of image {@code id}, in first-seen order. */
        List<String> setsOfImage(String id) {
            List<String> inSets = new ArrayList<>();
            byImage.get(id).keySet().forEach(o -> setsOf(id, o).stream().filter(s -> !inSets.contains(s)).forEach(inSets::add));
            return inSets;
        }
    }

    /** One entry per labelled person, in (image id, object index) order, with its box checked against the annotation. */
    private static List<Person> persons(Path abs, List<String> actions, Labels labels) {
        DocumentBuilder xml = VocDataset.xmlParser();
        List<Person> persons = new ArrayList<>();
        for (String id : labels.byImage.keySet()) {
            VocImage img = VocDataset.readAnnotation(abs, id, labels.setsOfImage(id), null, xml);
            Path ann = abs.resolve("Annotations").resolve(id + ".xml");
            List<Map<String, Integer>> xmlActions = xmlActions(ann, xml);
            for (Map.Entry<Integer, int[]> o : labels.byImage.get(id).entrySet()) {
                int index = o.getKey();
                VocObject obj = personObject(ann, img, index);
                checkXmlActions(ann, index, xmlActions.get(index - 1), actions, o.getValue());
                persons.add(new Person(id, index, img.file(), obj, o.getValue(), List.copyOf(labels.setsOf(id, index))));
            }
        }
        return List.copyOf(persons);
    }

    /** The {@code index}-th object of an annotation, which must exist and be a person. */
    private static VocObject personObject(Path ann, VocImage img, int index) {
        if (index < 1 || index > img.objects().size()) {
            throw new UserException(ann + ": has " + img.objects().size() + " objects, but the action files name person " + img.id() + "/" + index);
        }
        VocObject obj = img.objects().get(index - 1);
        if (!"person".equals(obj.name())) {
            throw new UserException(ann + ": object " + index + " is a " + obj.name() + ", but the action files name it as a person");
        }
        return obj;
    }

    /** The annotation's {@code <actions>} flags of a person, where present, must agree with the files' labels (0 ignored). */
    private static void checkXmlActions(Path ann, int index, Map<String, Integer> flags, List<String> actions, int[] labels) {
        for (int k = 0; k < actions.size(); k++) {
            Integer flag = flags.get(actions.get(k));
            int label = labels[k];
            if (flag != null && label != 0 && (flag == 1) != (label == 1)) {
                throw new UserException(ann + ": object " + index + " has <" + actions.get(k) + ">" + flag + "</" + actions.get(k)
                        + "> but " + actions.get(k) + "_*.txt gives " + label);
            }
        }
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
