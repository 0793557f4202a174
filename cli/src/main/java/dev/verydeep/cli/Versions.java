package dev.verydeep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Library versions recorded in every result file's provenance: those the build resolved (versions.properties, filtered by
 * Maven), plus which Fashion-MNIST the plain {@code fashion-mnist} spec reads here (the full set or the shipped sample).
 */
final class Versions {
    /** Key of the Fashion-MNIST source in the versions map. */
    static final String FASHION_MNIST_KEY = "data.fashion-mnist";

    private Versions() {
    }

    static Map<String, String> all() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // provenance then lacks library versions; nothing else depends on them
        }
        Map<String, String> v = new TreeMap<>();
        p.forEach((k, val) -> v.put(k.toString(), val.toString()));
        v.put(FASHION_MNIST_KEY, dev.verydeep.core.data.FashionMnist.defaultSource());
        return v;
    }
}
