package dev.verydeep.core.image;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/** Crafted image files for tests in several packages. */
public final class TestImages {
    private TestImages() {
    }

    /** A PNG signature, an IHDR chunk declaring {@code w x h} 8-bit RGB, and IEND: no pixel data at all. */
    public static byte[] pngHeader(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        byte[] ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(w).putInt(h)
                .put(new byte[] {8, 2, 0, 0, 0}).array();
        b.putInt(13).put(ihdr).putInt(crc(ihdr));
        byte[] iend = "IEND".getBytes();
        b.putInt(0).put(iend).putInt(crc(iend));
        return b.array();
    }

    private static int crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return (int) crc.getValue();
    }
}
