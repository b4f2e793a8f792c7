package dev.basalt.util;

/**
 * LZF decompression (liblzf's format), as Redis compresses strings longer than 20 bytes in RDB files, DUMP
 * payloads and FUNCTION DUMP payloads.
 */
public final class Lzf {
    private Lzf() {
    }

    /** The expanded form of in, which must be exactly outLength bytes; IllegalArgumentException when in is not valid LZF. */
    public static byte[] decompress(byte[] in, int outLength) {
        byte[] out = new byte[outLength];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (op + run > outLength || ip + run > in.length) {
                    throw new IllegalArgumentException("invalid LZF data");
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= in.length) {
                        throw new IllegalArgumentException("invalid LZF data");
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= in.length) {
                    throw new IllegalArgumentException("invalid LZF data");
                }
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                len += 2;
                if (ref < 0 || op + len > outLength) {
                    throw new IllegalArgumentException("invalid LZF data");
                }
                for (int i = 0; i < len; i++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outLength) {
            throw new IllegalArgumentException("LZF data expands to " + op + " bytes, not " + outLength);
        }
        return out;
    }
}
