package dev.verydeep.transfer.store;

import java.util.List;

/**
 * Everything that decides the descriptors' values and order: two extractions with equal settings produce the
 * same store, so a store refuses chunks from a run with different settings. Model files are identified by
 * content (SHA-256), not by path; the image list by the SHA-256 of its JSON. {@code denseWindow}: the region of
 * each rescaled image given to the dense graph ("full" or "centred"; absent in format 1 stores, which used
 * "full"); {@code withBoxes}: entries are boxes whose descriptor stacks the whole image's and the box's.
 */
public record StoreSettings(String dataset, String kind, List<String> classes, String imagesSha256, int images, List<Model> models,
        List<Integer> scales, String aggregate, boolean flip, int dim, int chunkSize, String denseWindow, boolean withBoxes) {
    /** Stores of format 1 predate the setting: they were all made from the full image. */
    public StoreSettings {
        denseWindow = denseWindow == null ? "full" : denseWindow;
    }

    /** One net: content hash, penultimate width and preprocessing profile. */
    public record Model(String sha256, int features, String preprocessing) {
    }

    /** The first field that differs, as "name (this vs other)", or null when equal. */
    public String firstDifference(StoreSettings other) {
        for (var c : StoreSettings.class.getRecordComponents()) {
            try {
                Object a = c.getAccessor().invoke(this);
                Object b = c.getAccessor().invoke(other);
                if (!java.util.Objects.equals(a, b)) {
                    return c.getName() + " (" + b + " in the store vs " + a + " now)";
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }
}
