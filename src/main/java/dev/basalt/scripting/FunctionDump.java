package dev.basalt.scripting;

import dev.basalt.util.Crc64;
import dev.basalt.util.Lzf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * FUNCTION DUMP / RESTORE payloads in Redis 7.0's format: per library the RDB_OPCODE_FUNCTION2 byte and
 * its code as an RDB string, then the RDB version (2 bytes, little-endian) and a CRC64 (Jones, 8 bytes,
 * little-endian) of everything before. Basalt writes strings uncompressed; it reads Redis's LZF ones.
 */
public final class FunctionDump {
    static final int OPCODE_FUNCTION2 = 245;
    static final int RDB_VERSION = 10;

    private FunctionDump() {
    }

    public static byte[] dump(List<FunctionRegistry.Library> libraries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FunctionRegistry.Library l : libraries) {
            out.write(OPCODE_FUNCTION2);
            writeLength(out, l.code().length);
            out.writeBytes(l.code());
        }
        out.write(RDB_VERSION & 0xff);
        out.write(RDB_VERSION >>> 8);
        byte[] body = out.toByteArray();
        long crc = Crc64.of(body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    /** The library codes in a payload; throws {@link LibraryException} with Redis's texts when it is not one. */
    public static List<byte[]> restore(byte[] payload) throws LibraryException {
        if (payload.length < 10) {
            throw new LibraryException("ERR DUMP payload version or checksum are wrong");
        }
        int end = payload.length - 10;
        int version = (payload[end] & 0xff) | (payload[end + 1] & 0xff) << 8;
        long crc = 0;
        for (int i = 7; i >= 0; i--) {
            crc = crc << 8 | (payload[end + 2 + i] & 0xff);
        }
        if (version > RDB_VERSION || Crc64.of(payload, 0, end + 2) != crc) {
            throw new LibraryException("ERR DUMP payload version or checksum are wrong");
        }
        List<byte[]> codes = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < end) {
            int opcode = payload[pos[0]++] & 0xff;
            if (opcode != OPCODE_FUNCTION2) {
                throw new LibraryException("ERR given type is not a function");
            }
            codes.add(readString(payload, pos, end));
        }
        return codes;
    }

    private static void writeLength(ByteArrayOutputStream out, long n) {
        if (n < 64) {
            out.write((int) n);
        } else if (n < 16384) {
            out.write((int) (0x40 | n >>> 8));
            out.write((int) (n & 0xff));
        } else if (n <= 0xffffffffL) {
            out.write(0x80);
            for (int i = 3; i >= 0; i--) {
                out.write((int) (n >>> (8 * i)) & 0xff);
            }
        } else {
            out.write(0x81);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (n >>> (8 * i)) & 0xff);
            }
        }
    }

    /** An RDB length; {@code special[0]} is set to the encoding type for 0b11 forms. */
    private static long readLength(byte[] in, int[] pos, int end, int[] special) throws LibraryException {
        need(pos[0] + 1, end);
        int first = in[pos[0]++] & 0xff;
        special[0] = -1;
        switch (first >>> 6) {
            case 0:
                return first & 0x3f;
            case 1:
                need(pos[0] + 1, end);
                return (first & 0x3f) << 8 | (in[pos[0]++] & 0xff);
            case 2: {
                int bytes = first == 0x80 ? 4 : first == 0x81 ? 8 : -1;
                if (bytes < 0) {
                    throw new LibraryException("ERR DUMP payload version or checksum are wrong");
                }
                need(pos[0] + bytes, end);
                long n = 0;
                for (int i = 0; i < bytes; i++) {
                    n = n << 8 | (in[pos[0]++] & 0xff);
                }
                return n;
            }
            default:
                special[0] = first & 0x3f;
                return 0;
        }
    }

    private static byte[] readString(byte[] in, int[] pos, int end) throws LibraryException {
        int[] special = new int[1];
        long len = readLength(in, pos, end, special);
        if (special[0] < 0) {
            need(pos[0] + len, end);
            byte[] s = Arrays.copyOfRange(in, pos[0], (int) (pos[0] + len));
            pos[0] += (int) len;
            return s;
        }
        switch (special[0]) {
            case 0, 1, 2 -> {
                int bytes = 1 << special[0];
                need(pos[0] + bytes, end);
                long v = 0;
                for (int i = bytes - 1; i >= 0; i--) {
                    v = v << 8 | (in[pos[0] + i] & 0xff);
                }
                v = v << (64 - 8 * bytes) >> (64 - 8 * bytes);
                pos[0] += bytes;
                return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            }
            case 3 -> {
                long compressed = readLength(in, pos, end, special);
                long original = readLength(in, pos, end, special);
                need(pos[0] + compressed, end);
                byte[] s;
                try {
                    s = Lzf.decompress(Arrays.copyOfRange(in, pos[0], pos[0] + (int) compressed), (int) original);
                } catch (IllegalArgumentException e) {
                    throw new LibraryException("ERR DUMP payload version or checksum are wrong");
                }
                pos[0] += (int) compressed;
                return s;
            }
            default -> throw new LibraryException("ERR DUMP payload version or checksum are wrong");
        }
    }

    private static void need(long upTo, int end) throws LibraryException {
        if (upTo > end) {
            throw new LibraryException("ERR DUMP payload version or checksum are wrong");
        }
    }
}
