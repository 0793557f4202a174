package dev.verydeep.cli;

import dev.verydeep.core.Provenance;
import java.util.Map;

/**
 * Library versions recorded in every result file's provenance: those the build resolved (versions.properties, filtered by
 * Maven), plus which Fashion-MNIST the plain {@code fashion-mnist} spec reads here (the full set or the shipped sample).
 */
final class Versions {
    private Versions() {
    }

    static Map<String, String> all() {
        return Provenance.libraryVersions(Versions.class);
    }
}
