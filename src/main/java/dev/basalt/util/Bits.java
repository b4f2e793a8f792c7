package dev.basalt.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bit-level helpers over byte arrays. Redis numbers the bits of a string from the most significant bit
 * of its first byte; Kvrocks's bitmap fragments number them from the least significant bit of each
 * byte, so moving a byte between the two reverses its bits.
 */
public final class Bits {
    private static final byte[] REVERSED = new byte[256];
    /** Eight bytes of an array read as one long (their order does not matter to a bit count). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int b = 0; b < 256; b++) {
            REVERSED[b] = (byte) (Integer.reverse(b) >>> 24);
        }
    }

    private Bits() {
    }

    /** The byte with its bits in the opposite order (bit 0 becomes bit 7). */
    public static byte reverse(byte b) {
        return REVERSED[b & 0xff];
    }

    /** A copy of len bytes from src at from, each with its bits reversed. */
    public static byte[] reversedCopy(byte[] src, int from, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = REVERSED[src[from + i] & 0xff];
        }
        return out;
    }

    /** The number of set bits in len bytes of a from offset. */
    public static long popcount(byte[] a, int from, int len) {
        long n = 0;
        int i = from;
        int end = from + len;
        for (; i + 8 <= end; i += 8) {
            n += Long.bitCount((long) LONGS.get(a, i));
        }
        for (; i < end; i++) {
            n += Integer.bitCount(a[i] & 0xff);
        }
        return n;
    }

    /** Bit i of a in Redis's order (bit 0 is the top bit of byte 0); bits past the end are 0. */
    public static boolean msb(byte[] a, long i) {
        long byteIndex = i >>> 3;
        return byteIndex < a.length && (a[(int) byteIndex] & (0x80 >>> (i & 7))) != 0;
    }

    /** Sets bit i of a in Redis's order to on; a must hold that bit. */
    public static void setMsb(byte[] a, long i, boolean on) {
        int byteIndex = (int) (i >>> 3);
        int mask = 0x80 >>> (i & 7);
        a[byteIndex] = (byte) (on ? a[byteIndex] | mask : a[byteIndex] & ~mask);
    }

    /** Bit i of a in Kvrocks's fragment order (bit 0 is the bottom bit of byte 0); bits past the end are 0. */
    public static boolean lsb(byte[] a, long i) {
        long byteIndex = i >>> 3;
        return byteIndex < a.length && (a[(int) byteIndex] & (1 << (i & 7))) != 0;
    }

    /** Sets bit i of a in Kvrocks's fragment order to on; a must hold that bit. */
    public static void setLsb(byte[] a, long i, boolean on) {
        int byteIndex = (int) (i >>> 3);
        int mask = 1 << (i & 7);
        a[byteIndex] = (byte) (on ? a[byteIndex] | mask : a[byteIndex] & ~mask);
    }
}
