package dev.basalt.util;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Small helpers for byte strings, which is what Redis keys and values are. */
public final class Bytes {
    private Bytes() {
    }

    public static byte[] of(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    public static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Unsigned lexicographic order, as RocksDB's default comparator and Redis's memcmp use. */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** The smallest byte string after k: where a scan resumes after having seen k. */
    public static byte[] successor(byte[] k) {
        return Arrays.copyOf(k, k.length + 1);
    }

    /** The smallest byte string greater than every string starting with prefix, or null if none exists. */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    /** Case-insensitive comparison of an argument with an ASCII keyword. */
    public static boolean eq(byte[] arg, String keyword) {
        if (arg.length != keyword.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            int c = arg[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            int k = keyword.charAt(i);
            if (k >= 'A' && k <= 'Z') {
                k += 32;
            }
            if (c != k) {
                return false;
            }
        }
        return true;
    }
}
