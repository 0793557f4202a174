package dev.verydeep.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Locations without a URI resolver (the plain CLI): local paths, file: URIs, and a clear refusal of other schemes. */
class LocationsTest {
    @Test
    void localPathsAndFileUrisAreLocalOtherSchemesAreRefused() {
        assertEquals(Path.of("data/x").toAbsolutePath().normalize(), Locations.of("data/./x"));
        assertEquals(Path.of("/tmp/x"), Locations.of("file:///tmp/a/../x"));
        assertEquals(Path.of("/tmp/x"), Locations.of("file:/tmp/x"));
        assertTrue(Locations.isUri("s3a://bucket/x"));
        assertFalse(Locations.isUri("C:/data"));
        assertFalse(Locations.isUri("/data/a:b"));
        UserException e = assertThrows(UserException.class, () -> Locations.of("hdfs://nn:8020/data"));
        assertEquals("hdfs://nn:8020/data: hdfs: locations are read through Hadoop file systems, by verydeep spark eval and spark extract "
                + "only; here give a local path", e.getMessage());
        e = assertThrows(UserException.class, () -> Locations.of("hdfs://nn/a b"));
        assertTrue(e.getMessage().startsWith("hdfs://nn/a b: not a valid URI ("), e.getMessage());
    }
}
