package dev.basalt.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The x87 80-bit "long double" (64-bit significand) that Redis uses for INCRBYFLOAT and
 * HINCRBYFLOAT, emulated exactly so replies match byte for byte: parsing follows strtold as Redis
 * calls it (string2ld), sums round to nearest-even at 64 bits, and {@link #toHumanString()} is
 * Redis's "%.17Lf with trailing zeros removed". Values are sign * mantissa * 2^exponent.
 */
public final class LongDouble {
    private static final int PRECISION = 64;
    /** Weight of the last bit of the smallest subnormal: 2^-16445. */
    private static final int MIN_LSB_EXPONENT = -16445;
    /** Finite values are below 2^16384. */
    private static final int OVERFLOW_EXPONENT = 16384;
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are not numbers to it. */
    private static final int MAX_CHARS = 5 * 1024;

    public static final LongDouble ZERO = new LongDouble(false, BigInteger.ZERO, 0, false);

    private final boolean negative;
    private final BigInteger mantissa;
    private final int exponent;
    private final boolean infinite;

    private LongDouble(boolean negative, BigInteger mantissa, int exponent, boolean infinite) {
        this.negative = negative;
        this.mantissa = mantissa;
        this.exponent = exponent;
        this.infinite = infinite;
    }

    public boolean isInfinite() {
        return infinite;
    }

    public boolean isZero() {
        return !infinite && mantissa.signum() == 0;
    }

    /**
     * Parses like Redis's string2ld: strtold's grammar (decimal, hexadecimal, inf/infinity) over the
     * whole input, no leading space, no NaN, and no overflow or underflow to zero. Null if invalid.
     */
    public static LongDouble parse(byte[] s) {
        int len = s.length;
        if (len == 0 || len >= MAX_CHARS) {
            return null;
        }
        int i = 0;
        boolean neg = false;
        if (s[0] == '+' || s[0] == '-') {
            neg = s[0] == '-';
            i = 1;
        }
        if (i == len) {
            return null;
        }
        if (matchesIgnoreCase(s, i, "infinity") || matchesIgnoreCase(s, i, "inf")) {
            return new LongDouble(neg, BigInteger.ZERO, 0, true);
        }
        if (len - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            return parseHex(s, i + 2, neg);
        }
        return parseDecimal(s, i, neg);
    }

    public static LongDouble parse(String s) {
        return parse(Bytes.of(s));
    }

    private static boolean matchesIgnoreCase(byte[] s, int from, String word) {
        if (s.length - from != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) (s[from + k] & 0xff)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static LongDouble parseDecimal(byte[] s, int i, boolean neg) {
        int len = s.length;
        StringBuilder digits = new StringBuilder();
        int fractionDigits = 0;
        boolean seenDigit = false;
        while (i < len && isDigit(s[i])) {
            digits.append((char) s[i++]);
            seenDigit = true;
        }
        if (i < len && s[i] == '.') {
            i++;
            while (i < len && isDigit(s[i])) {
                digits.append((char) s[i++]);
                fractionDigits++;
                seenDigit = true;
            }
        }
        if (!seenDigit) {
            return null;
        }
        long exp = 0;
        if (i < len && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            long[] parsed = parseExponent(s, i);
            if (parsed == null) {
                return null;
            }
            exp = parsed[0];
            i = (int) parsed[1];
        }
        if (i != len) {
            return null;
        }
        BigInteger m = new BigInteger(digits.toString());
        if (m.signum() == 0) {
            return new LongDouble(neg, BigInteger.ZERO, 0, false);
        }
        long e = exp - fractionDigits;
        // At most ~5120 digits: anything past these bounds is certainly out of range.
        if (e > 6000) {
            return null; // overflow: strtold reports ERANGE with HUGE_VAL
        }
        if (e < -12000) {
            return null; // underflow to zero: ERANGE
        }
        BigInteger num = m;
        BigInteger den = BigInteger.ONE;
        if (e >= 0) {
            num = m.multiply(BigInteger.TEN.pow((int) e));
        } else {
            den = BigInteger.TEN.pow((int) -e);
        }
        LongDouble r = round(neg, num, den, 0);
        return r.infinite || r.isZero() ? null : r;
    }

    private static LongDouble parseHex(byte[] s, int i, boolean neg) {
        int len = s.length;
        BigInteger m = BigInteger.ZERO;
        int fractionDigits = 0;
        boolean seenDigit = false;
        while (i < len && hexValue(s[i]) >= 0) {
            m = m.shiftLeft(4).or(BigInteger.valueOf(hexValue(s[i++])));
            seenDigit = true;
        }
        if (i < len && s[i] == '.') {
            i++;
            while (i < len && hexValue(s[i]) >= 0) {
                m = m.shiftLeft(4).or(BigInteger.valueOf(hexValue(s[i++])));
                fractionDigits++;
                seenDigit = true;
            }
        }
        if (!seenDigit) {
            return null;
        }
        long exp = 0;
        if (i < len && (s[i] == 'p' || s[i] == 'P')) {
            i++;
            long[] parsed = parseExponent(s, i);
            if (parsed == null) {
                return null;
            }
            exp = parsed[0];
            i = (int) parsed[1];
        }
        if (i != len) {
            return null;
        }
        if (m.signum() == 0) {
            return new LongDouble(neg, BigInteger.ZERO, 0, false);
        }
        long e = exp - 4L * fractionDigits;
        if (e > 40000) {
            return null;
        }
        if (e < -60000) {
            return null;
        }
        LongDouble r = round(neg, m, BigInteger.ONE, (int) e);
        return r.infinite || r.isZero() ? null : r;
    }

    /** An exponent [+-]digits at i: {value clamped to +-10^9, index after it}; null if no digits. */
    private static long[] parseExponent(byte[] s, int i) {
        int len = s.length;
        boolean neg = false;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            neg = s[i] == '-';
            i++;
        }
        if (i >= len || !isDigit(s[i])) {
            return null;
        }
        long v = 0;
        while (i < len && isDigit(s[i])) {
            v = Math.min(1_000_000_000L, v * 10 + (s[i++] - '0'));
        }
        return new long[] {neg ? -v : v, i};
    }

    /**
     * Rounds num/den * 2^binaryExponent (num, den > 0 or num = 0) to the nearest long double,
     * ties to even, with subnormals and overflow to infinity.
     */
    private static LongDouble round(boolean neg, BigInteger num, BigInteger den, int binaryExponent) {
        if (num.signum() == 0) {
            return new LongDouble(neg, BigInteger.ZERO, 0, false);
        }
        // e = floor(log2(num/den)).
        int e = num.bitLength() - den.bitLength();
        if (compareScaled(num, den, e) < 0) {
            e--;
        }
        int lsb = Math.max(e + binaryExponent - (PRECISION - 1), MIN_LSB_EXPONENT) - binaryExponent;
        // q = floor(num / den / 2^lsb), r = the remainder.
        BigInteger n = lsb < 0 ? num.shiftLeft(-lsb) : num;
        BigInteger d = lsb > 0 ? den.shiftLeft(lsb) : den;
        BigInteger[] qr = n.divideAndRemainder(d);
        BigInteger q = qr[0];
        int half = qr[1].shiftLeft(1).compareTo(d);
        if (half > 0 || (half == 0 && q.testBit(0))) {
            q = q.add(BigInteger.ONE);
        }
        int exp = lsb + binaryExponent;
        if (q.bitLength() > PRECISION) {
            q = q.shiftRight(1);
            exp++;
        }
        if (q.signum() == 0) {
            return new LongDouble(neg, BigInteger.ZERO, 0, false);
        }
        if ((long) q.bitLength() + exp > OVERFLOW_EXPONENT) {
            return new LongDouble(neg, BigInteger.ZERO, 0, true);
        }
        return new LongDouble(neg, q, exp, false);
    }

    /** Compares num with den * 2^e. */
    private static int compareScaled(BigInteger num, BigInteger den, int e) {
        return e >= 0 ? num.compareTo(den.shiftLeft(e)) : num.shiftLeft(-e).compareTo(den);
    }

    /** The rounded sum; infinite when it overflows, also for inf + -inf (NaN in C: equally refused). */
    public LongDouble add(LongDouble o) {
        if (infinite || o.infinite) {
            return new LongDouble(infinite ? negative : o.negative, BigInteger.ZERO, 0, true);
        }
        if (isZero()) {
            return o.isZero() ? new LongDouble(negative && o.negative, BigInteger.ZERO, 0, false) : o;
        }
        if (o.isZero()) {
            return this;
        }
        int base = Math.min(exponent, o.exponent);
        BigInteger a = mantissa.shiftLeft(exponent - base);
        BigInteger b = o.mantissa.shiftLeft(o.exponent - base);
        BigInteger sum = (negative ? a.negate() : a).add(o.negative ? b.negate() : b);
        if (sum.signum() == 0) {
            return ZERO;
        }
        return round(sum.signum() < 0, sum.abs(), BigInteger.ONE, base);
    }

    /** The exact value (finite values only). */
    public BigDecimal toBigDecimal() {
        if (infinite) {
            throw new ArithmeticException("infinite");
        }
        BigDecimal v = exponent >= 0
                ? new BigDecimal(mantissa.shiftLeft(exponent))
                : new BigDecimal(mantissa.multiply(BigInteger.valueOf(5).pow(-exponent)), -exponent);
        return negative ? v.negate() : v;
    }

    /** Redis's human-friendly form: "%.17Lf", trailing zeros (and a bare '.') removed, "-0" as "0". */
    public String toHumanString() {
        if (infinite) {
            return negative ? "-inf" : "inf";
        }
        String s = toBigDecimal().setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s.equals("-0") ? "0" : s;
    }

    @Override
    public String toString() {
        return toHumanString();
    }
}
