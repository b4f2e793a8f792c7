package dev.basalt.types;

import java.nio.charset.StandardCharsets;

/**
 * Sorted-set scores: Kvrocks's order-preserving 8-byte encoding (so the zset_score column family sorts
 * by score), and the two ways Redis reads a score from text: strictly (ZADD, ZINCRBY, WEIGHTS — the whole
 * argument must be a number) and as C's strtod reads a range bound (ZRANGEBYSCORE min/max).
 */
public final class ZScore {
    public static final int BYTES = 8;

    private ZScore() {
    }

    /**
     * The IEEE-754 bits, all flipped for negative numbers and with the sign bit set for the others, big-endian:
     * unsigned byte order is then numeric order. -0.0 is stored as 0.0 so that the two tie like in Redis
     * (equal scores order by member).
     */
    public static byte[] encode(double score) {
        byte[] out = new byte[BYTES];
        encodeInto(score, out, 0);
        return out;
    }

    public static void encodeInto(double score, byte[] out, int offset) {
        long bits = Double.doubleToRawLongBits(score == 0 ? 0.0 : score);
        long u = bits < 0 ? ~bits : bits | Long.MIN_VALUE;
        for (int i = 0; i < BYTES; i++) {
            out[offset + i] = (byte) (u >>> (56 - 8 * i));
        }
    }

    public static double decode(byte[] b, int offset) {
        long u = 0;
        for (int i = 0; i < BYTES; i++) {
            u = (u << 8) | (b[offset + i] & 0xff);
        }
        long bits = u < 0 ? u & Long.MAX_VALUE : ~u;
        return Double.longBitsToDouble(bits);
    }

    public static double decode(byte[] b) {
        return decode(b, 0);
    }

    /** -0.0 becomes 0.0, as scores are stored. */
    public static double normalize(double d) {
        return d == 0 ? 0.0 : d;
    }

    /**
     * Redis's strict double argument: the whole text is a number as strtod reads it (decimal, hex,
     * inf/infinity), no leading space, not empty, no overflow or underflow to zero, not NaN. Null when invalid.
     */
    public static Double parseStrict(byte[] arg) {
        if (arg.length == 0 || isSpace(arg[0])) {
            return null;
        }
        Strtod r = strtod(arg, 0);
        if (r.end != arg.length || r.rangeError || Double.isNaN(r.value)) {
            return null;
        }
        return r.value;
    }

    /** The result of reading a number the way C's strtod does. */
    public record Strtod(double value, int end, boolean rangeError) {
    }

    /**
     * C strtod over b from offset: skips leading white space, reads the longest number prefix (decimal with
     * optional exponent, 0x hex with optional p exponent, inf, infinity, nan, nan(...)), and returns its value
     * and where it ended; end == offset when nothing was read. rangeError as strtod's ERANGE for overflow
     * (value ±inf) or underflow to zero.
     */
    public static Strtod strtod(byte[] b, int offset) {
        int i = offset;
        while (i < b.length && isSpace(b[i])) {
            i++;
        }
        boolean negative = false;
        if (i < b.length && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        int word = matchWord(b, i);
        if (word != 0) {
            return word > 0 ? new Strtod(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + word, false)
                    : new Strtod(Double.NaN, i - word, false);
        }
        if (i + 1 < b.length && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            Strtod hex = hex(b, i + 2, negative);
            if (hex != null) {
                return hex;
            }
            // "0x" not followed by hex digits: strtod reads the "0" alone.
            return new Strtod(negative ? -0.0 : 0.0, i + 1, false);
        }
        int start = i;
        int digits = 0;
        boolean nonZero = false;
        while (i < b.length && isDigit(b[i])) {
            nonZero |= b[i] != '0';
            i++;
            digits++;
        }
        if (i < b.length && b[i] == '.') {
            i++;
            while (i < b.length && isDigit(b[i])) {
                nonZero |= b[i] != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return new Strtod(0.0, offset, false);
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            int j = i + 1;
            if (j < b.length && (b[j] == '+' || b[j] == '-')) {
                j++;
            }
            if (j < b.length && isDigit(b[j])) {
                while (j < b.length && isDigit(b[j])) {
                    j++;
                }
                i = j;
            }
        }
        // Java's parser reads this plain decimal form with correct rounding, as glibc does; it copes with
        // exponents of any length.
        double v = Double.parseDouble(new String(b, start, i - start, StandardCharsets.US_ASCII));
        boolean rangeError = Double.isInfinite(v) || (v == 0 && nonZero);
        return new Strtod(negative ? -v : v, i, rangeError);
    }

    /** Hex digits after "0x" (with optional fraction and binary exponent), or null when there are none. */
    private static Strtod hex(byte[] b, int i, boolean negative) {
        int start = i;
        int digits = 0;
        boolean nonZero = false;
        while (i < b.length && isHexDigit(b[i])) {
            nonZero |= b[i] != '0';
            i++;
            digits++;
        }
        int intEnd = i;
        int fracStart = i;
        if (i < b.length && b[i] == '.') {
            i++;
            fracStart = i;
            while (i < b.length && isHexDigit(b[i])) {
                nonZero |= b[i] != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        int mantissaEnd = i;
        long exponent = 0;
        if (i < b.length && (b[i] == 'p' || b[i] == 'P')) {
            int j = i + 1;
            boolean negExp = false;
            if (j < b.length && (b[j] == '+' || b[j] == '-')) {
                negExp = b[j] == '-';
                j++;
            }
            if (j < b.length && isDigit(b[j])) {
                while (j < b.length && isDigit(b[j])) {
                    // Saturate: any binary exponent past 10^6 means inf or 0 already.
                    exponent = Math.min(1_000_000, exponent * 10 + (b[j] - '0'));
                    j++;
                }
                exponent = negExp ? -exponent : exponent;
                i = j;
            }
        }
        String intPart = new String(b, start, intEnd - start, StandardCharsets.US_ASCII);
        String frac = fracStart < mantissaEnd ? new String(b, fracStart, mantissaEnd - fracStart, StandardCharsets.US_ASCII) : "";
        double v = Double.parseDouble("0x" + (intPart.isEmpty() ? "0" : intPart) + "." + frac + "p" + exponent);
        boolean rangeError = Double.isInfinite(v) || (v == 0 && nonZero);
        return new Strtod(negative ? -v : v, i, rangeError);
    }

    /** Length of "infinity"/"inf" (positive) or of "nan"/"nan(...)" (negative) at i, else 0. */
    private static int matchWord(byte[] b, int i) {
        if (startsWithIgnoreCase(b, i, "infinity")) {
            return 8;
        }
        if (startsWithIgnoreCase(b, i, "inf")) {
            return 3;
        }
        if (startsWithIgnoreCase(b, i, "nan")) {
            int j = i + 3;
            if (j < b.length && b[j] == '(') {
                int k = j + 1;
                while (k < b.length && (isDigit(b[k]) || (b[k] >= 'a' && b[k] <= 'z') || (b[k] >= 'A' && b[k] <= 'Z') || b[k] == '_')) {
                    k++;
                }
                if (k < b.length && b[k] == ')') {
                    return -(k + 1 - i);
                }
            }
            return -3;
        }
        return 0;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int i, String word) {
        if (b.length - i < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) b[i + k]) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** C isspace in the "C" locale. */
    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(byte c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
