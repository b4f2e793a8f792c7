package dev.basalt.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * C's floating-point text as strtod and strtold read it in the "C" locale: leading white space, an
 * optional sign, then "inf"/"infinity", "nan"/"nan(chars)", "0x" hexadecimal digits with an optional
 * binary "p" exponent, or decimal digits with an optional "e" exponent. Every place Redis reads a
 * floating-point number goes through this one reader: double arguments and range bounds
 * ({@link #strtod}, {@link #parseDouble}), long doubles ({@link LongDouble#parse}) and blocking
 * timeouts (read as long doubles).
 */
public final class CFloat {
    /** An explicit exponent is saturated here: anything beyond is infinity or zero in every format. */
    private static final long EXPONENT_LIMIT = 1_000_000_000L;
    /** Past this power of the base a written number is nowhere near a double, so never exactly one. */
    private static final long MAX_EXACT_SCALE = 100_000;

    private CFloat() {
    }

    /** What the text at a position is. */
    public enum Kind { NONE, FINITE, INFINITE, NAN }

    /**
     * One number as the grammar read it, before any rounding. A finite number is exactly
     * {@code ±significand * base^scale}: the significand is every integer and fraction digit, the base
     * is 10 for decimal and 2 for hexadecimal text, and the scale is the explicit exponent less the
     * fraction digits (four bits each in hexadecimal).
     */
    public static final class Reading {
        private final byte[] text;
        private final Kind kind;
        private final boolean negative;
        private final int end;
        private final boolean hex;
        private final int intStart;
        private final int intEnd;
        private final int fracStart;
        private final int fracEnd;
        private final long exponent;

        private Reading(byte[] text, Kind kind, boolean negative, int end, boolean hex, int intStart, int intEnd,
                int fracStart, int fracEnd, long exponent) {
            this.text = text;
            this.kind = kind;
            this.negative = negative;
            this.end = end;
            this.hex = hex;
            this.intStart = intStart;
            this.intEnd = intEnd;
            this.fracStart = fracStart;
            this.fracEnd = fracEnd;
            this.exponent = exponent;
        }

        private static Reading word(byte[] text, Kind kind, boolean negative, int end) {
            return new Reading(text, kind, negative, end, false, 0, 0, 0, 0, 0);
        }

        public Kind kind() {
            return kind;
        }

        public boolean negative() {
            return negative;
        }

        /** Where the number ended (strtod's end pointer); the start position when nothing was read. */
        public int end() {
            return end;
        }

        public boolean isHex() {
            return hex;
        }

        /** Every digit of a finite number, integer part then fraction, as one integer. */
        public BigInteger significand() {
            String digits = ascii(intStart, intEnd) + ascii(fracStart, fracEnd);
            return digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits, hex ? 16 : 10);
        }

        /** The power of the base (10, or 2 for hexadecimal) that scales {@link #significand()}. */
        public long scale() {
            return exponent - (long) (fracEnd - fracStart) * (hex ? 4 : 1);
        }

        /** True when some digit is not zero: a finite number that rounds to 0 has then underflowed. */
        public boolean hasNonZeroDigit() {
            for (int i = intStart; i < fracEnd; i++) {
                if (text[i] != '0' && text[i] != '.') {
                    return true;
                }
            }
            return false;
        }

        /** True when the finite number written is exactly v (asked only for tiny results). */
        boolean isExactly(double v) {
            long scale = scale();
            if (Math.abs(scale) > MAX_EXACT_SCALE) {
                return false; // far beyond any double: cannot be exactly one
            }
            BigDecimal written = hex
                    ? scale >= 0 ? new BigDecimal(significand().shiftLeft((int) scale))
                            : new BigDecimal(significand().multiply(BigInteger.valueOf(5).pow((int) -scale)), (int) -scale)
                    : new BigDecimal(significand()).scaleByPowerOfTen((int) scale);
            return written.compareTo(new BigDecimal(Math.abs(v))) == 0;
        }

        /** The value as strtod returns it: the nearest double, ±infinity past the range. */
        public double toDouble() {
            double v = switch (kind) {
                case NONE -> 0.0;
                case INFINITE -> Double.POSITIVE_INFINITY;
                case NAN -> Double.NaN;
                // Java reads these plain forms with correct rounding, as glibc does, whatever the digit count.
                case FINITE -> Double.parseDouble(hex
                        ? "0x" + (intStart == intEnd ? "0" : ascii(intStart, intEnd)) + "." + ascii(fracStart, fracEnd)
                                + "p" + exponent
                        : ascii(intStart, end));
            };
            return negative ? -v : v;
        }

        private String ascii(int from, int to) {
            return new String(text, from, to - from, StandardCharsets.US_ASCII);
        }
    }

    /** C strtod's answer: the value, where reading stopped, and whether it set ERANGE. */
    public record Strtod(double value, int end, boolean rangeError) {
    }

    /**
     * C strtod over s from offset: the longest number prefix after white space; end == from when
     * nothing was read (value 0). rangeError as glibc's strtod sets ERANGE: overflow to ±infinity,
     * underflow to zero, or a subnormal result that is not exactly the number written.
     */
    public static Strtod strtod(byte[] s, int from) {
        Reading r = read(s, from);
        double v = r.toDouble();
        boolean rangeError = r.kind() == Kind.FINITE && (Double.isInfinite(v)
                || (v == 0 ? r.hasNonZeroDigit() : Math.abs(v) < Double.MIN_NORMAL && !r.isExactly(v)));
        return new Strtod(v, r.end(), rangeError);
    }

    /**
     * Redis's double argument (getDoubleFromObject): the whole text is a number as strtod reads it, with
     * no leading space, not NaN, and not out of range (overflow, or underflow to zero; a subnormal
     * result is accepted). Null when it is not.
     */
    public static Double parseDouble(byte[] s) {
        Reading r = readWhole(s);
        if (r == null || r.kind() == Kind.NAN) {
            return null;
        }
        Strtod d = strtod(s, 0);
        boolean outOfRange = d.rangeError() && (Double.isInfinite(d.value()) || d.value() == 0);
        return outOfRange ? null : d.value();
    }

    /**
     * The whole text as one number, the way Redis's string2d and string2ld demand it: no leading white
     * space and nothing after the number. Null when the text is anything else.
     */
    public static Reading readWhole(byte[] s) {
        if (s.length == 0 || isSpace(s[0])) {
            return null;
        }
        Reading r = read(s, 0);
        return r.kind() == Kind.NONE || r.end() != s.length ? null : r;
    }

    /** Reads like strtod from offset: white space, then the longest prefix of the grammar (kind NONE if none). */
    public static Reading read(byte[] b, int offset) {
        int i = offset;
        while (i < b.length && isSpace(b[i])) {
            i++;
        }
        boolean negative = false;
        if (i < b.length && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        if (startsWithIgnoreCase(b, i, "inf")) {
            return Reading.word(b, Kind.INFINITE, negative, i + (startsWithIgnoreCase(b, i, "infinity") ? 8 : 3));
        }
        if (startsWithIgnoreCase(b, i, "nan")) {
            return Reading.word(b, Kind.NAN, negative, nanEnd(b, i + 3));
        }
        if (i + 1 < b.length && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            Reading hex = digits(b, i + 2, negative, true);
            // "0x" without hexadecimal digits: strtod reads the "0" alone.
            return hex != null ? hex : new Reading(b, Kind.FINITE, negative, i + 1, false, i, i + 1, i + 1, i + 1, 0);
        }
        Reading decimal = digits(b, i, negative, false);
        return decimal != null ? decimal : Reading.word(b, Kind.NONE, false, offset);
    }

    /** Digits [. digits] [exponent] at i, in base 16 or 10; null when there is no digit at all. */
    private static Reading digits(byte[] b, int i, boolean negative, boolean hex) {
        int intStart = i;
        while (i < b.length && isDigit(b[i], hex)) {
            i++;
        }
        int intEnd = i;
        int fracStart = i;
        if (i < b.length && b[i] == '.') {
            i++;
            fracStart = i;
            while (i < b.length && isDigit(b[i], hex)) {
                i++;
            }
        }
        int fracEnd = i;
        if (intEnd == intStart && fracEnd == fracStart) {
            return null;
        }
        long exponent = 0;
        if (i < b.length && (hex ? b[i] == 'p' || b[i] == 'P' : b[i] == 'e' || b[i] == 'E')) {
            // The exponent counts only when digits follow its optional sign.
            int j = i + 1;
            boolean negativeExponent = false;
            if (j < b.length && (b[j] == '+' || b[j] == '-')) {
                negativeExponent = b[j] == '-';
                j++;
            }
            if (j < b.length && isDigit(b[j], false)) {
                while (j < b.length && isDigit(b[j], false)) {
                    exponent = Math.min(EXPONENT_LIMIT, exponent * 10 + (b[j] - '0'));
                    j++;
                }
                exponent = negativeExponent ? -exponent : exponent;
                i = j;
            }
        }
        return new Reading(b, Kind.FINITE, negative, i, hex, intStart, intEnd, fracStart, fracEnd, exponent);
    }

    /** After "nan": the end of an optional "(chars)" of letters, digits and underscores. */
    private static int nanEnd(byte[] b, int j) {
        if (j < b.length && b[j] == '(') {
            int k = j + 1;
            while (k < b.length && (isDigit(b[k], false) || isLetter(b[k]) || b[k] == '_')) {
                k++;
            }
            if (k < b.length && b[k] == ')') {
                return k + 1;
            }
        }
        return j;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int i, String word) {
        if (b.length - i < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) (b[i + k] & 0xff)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** C isspace in the "C" locale. */
    private static boolean isSpace(byte c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    private static boolean isDigit(byte c, boolean hex) {
        return c >= '0' && c <= '9' || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
    }

    private static boolean isLetter(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
