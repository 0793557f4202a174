package dev.verydeep.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.NetWeights.Tensor;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An engine-neutral file of named float tensors (weights, optimizer state): magic {@code VDW1}, a
 * little-endian int32 header length, a JSON header (names and shapes in order), then the float32
 * little-endian values of each tensor in that order. Written atomically; a truncated or foreign file
 * is rejected with its name and the problem.
 */
public final class TensorFile {
    private static final byte[] MAGIC = "VDW1".getBytes(StandardCharsets.US_ASCII);

    private TensorFile() {
    }

    public static void write(Path file, Map<String, Tensor> tensors) {
        ObjectNode header = Json.MAPPER.createObjectNode();
        ArrayNode list = header.putArray("tensors");
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = list.addObject();
            t.put("name", e.getKey());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
        }
        byte[] headerBytes = Json.toString(header).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.write(MAGIC);
            out.writeInt(Integer.reverseBytes(headerBytes.length));
            out.write(headerBytes);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                for (float v : t.data()) {
                    if (buf.remaining() < 4) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
            }
            out.write(buf.array(), 0, buf.position());
            out.flush();
        });
    }

    public static Map<String, Tensor> read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (size < 8 || ch.read(head) != 8) {
                throw new UserException(file + ": too short to be a verydeep tensor file (" + size + " bytes)");
            }
            head.flip();
            byte[] magic = new byte[4];
            head.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new UserException(file + ": not a verydeep tensor file (bad magic)");
            }
            int headerLen = head.getInt();
            if (headerLen <= 0 || headerLen > size - 8) {
                throw new UserException(file + ": corrupt header length " + headerLen);
            }
            ByteBuffer hb = ByteBuffer.allocate(headerLen);
            while (hb.hasRemaining() && ch.read(hb) > 0) {
                // read fully
            }
            JsonNode header = Json.MAPPER.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            Map<String, Tensor> out = new LinkedHashMap<>();
            long expected = 8L + headerLen;
            for (JsonNode t : header.get("tensors")) {
                JsonNode s = t.get("shape");
                long[] shape = new long[s.size()];
                long n = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = s.get(i).asLong();
                    n *= shape[i];
                }
                expected += 4 * n;
                if (expected > size) {
                    throw new UserException(file + ": truncated (" + size + " bytes, tensor " + t.get("name").asText() + " needs more)");
                }
                ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(4 * n)).order(ByteOrder.LITTLE_ENDIAN);
                while (data.hasRemaining() && ch.read(data) > 0) {
                    // read fully
                }
                data.flip();
                float[] values = new float[(int) n];
                data.asFloatBuffer().get(values);
                out.put(t.get("name").asText(), new Tensor(shape, values));
            }
            if (expected != size) {
                throw new UserException(file + ": " + (size - expected) + " unexpected trailing bytes");
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": file not found");
        } catch (IOException e) {
            throw new UserException(file + ": cannot read tensor file: " + e.getMessage(), e);
        }
    }
}
