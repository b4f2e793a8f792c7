package dev.basalt.rdb;

import dev.basalt.types.HyperLogLogType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Redis's HyperLogLog string (hyperloglog.c): "HYLL", an encoding byte (0 dense, 1 sparse), three
 * unused bytes, an 8-byte cached cardinality, then the registers. Basalt keeps HyperLogLogs as their own
 * type (Kvrocks's) with the same 16384 dense 6-bit registers, so a value moves between the two exactly.
 */
final class RedisHll {
    private static final byte[] MAGIC = "HYLL".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 16;
    private static final int REGISTERS = 16384;
    private static final int DENSE = 0;
    private static final int SPARSE = 1;

    private RedisHll() {
    }

    /** The dense registers of a valid Redis HyperLogLog string, or null when s is not one (it stays a string). */
    static byte[] denseRegisters(byte[] s) {
        if (s.length < HEADER || s[0] != MAGIC[0] || s[1] != MAGIC[1] || s[2] != MAGIC[2] || s[3] != MAGIC[3]) {
            return null;
        }
        if (s[4] == DENSE) {
            if (s.length != HEADER + HyperLogLogType.DENSE_BYTES) {
                return null;
            }
            return Arrays.copyOfRange(s, HEADER, s.length);
        }
        if (s[4] != SPARSE) {
            return null;
        }
        byte[] dense = new byte[HyperLogLogType.DENSE_BYTES];
        int index = 0;
        int p = HEADER;
        while (p < s.length) {
            int b = s[p] & 0xff;
            if ((b & 0xc0) == 0) {
                index += (b & 0x3f) + 1;
                p++;
            } else if ((b & 0xc0) == 0x40) {
                if (p + 1 >= s.length) {
                    return null;
                }
                index += (((b & 0x3f) << 8) | (s[p + 1] & 0xff)) + 1;
                p += 2;
            } else {
                int value = ((b >>> 2) & 0x1f) + 1;
                int run = (b & 3) + 1;
                if (index + run > REGISTERS) {
                    return null;
                }
                for (int i = 0; i < run; i++) {
                    setRegister(dense, index++, value);
                }
                p++;
            }
            if (index > REGISTERS) {
                return null;
            }
        }
        return index == REGISTERS ? dense : null;
    }

    /** A dense Redis HyperLogLog string of these registers, its cached cardinality marked stale. */
    static byte[] fromDense(byte[] dense) {
        byte[] s = new byte[HEADER + dense.length];
        System.arraycopy(MAGIC, 0, s, 0, 4);
        s[4] = DENSE;
        s[15] = (byte) 0x80;
        System.arraycopy(dense, 0, s, HEADER, dense.length);
        return s;
    }

    private static void setRegister(byte[] dense, int r, int value) {
        int bit = r * 6;
        int at = bit >>> 3;
        int shift = bit & 7;
        dense[at] = (byte) ((dense[at] & ~(63 << shift)) | (value << shift));
        if (shift > 2) {
            int high = 8 - shift;
            dense[at + 1] = (byte) ((dense[at + 1] & ~(63 >> high)) | (value >> high));
        }
    }
}
