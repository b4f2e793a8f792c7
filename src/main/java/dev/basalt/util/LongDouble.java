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
     * Parses like Redis's string2ld: strtold's grammar ({@link CFloat}) over the whole input, no leading
     * space, no NaN, and no overflow or underflow to zero. Null if invalid.
     */
    public static LongDouble parse(byte[] s) {
        if (s.length >= MAX_CHARS) {
            return null;
        }
        CFloat.Reading r = CFloat.readWhole(s);
        if (r == null || r.kind() == CFloat.Kind.NAN) {
            return null;
        }
        if (r.kind() == CFloat.Kind.INFINITE) {
            return new LongDouble(r.negative(), BigInteger.ZERO, 0, true);
        }
        BigInteger m = r.significand();
        if (m.signum() == 0) {
            return new LongDouble(r.negative(), BigInteger.ZERO, 0, false);
        }
        long e = r.scale();
        // At most ~5120 digits: past these bounds the value certainly overflows (strtold's ERANGE with
        // HUGE_VAL) or underflows to zero (ERANGE too).
        if (r.isHex() ? e > 40000 || e < -60000 : e > 6000 || e < -12000) {
            return null;
        }
        LongDouble v;
        if (r.isHex()) {
            v = round(r.negative(), m, BigInteger.ONE, (int) e);
        } else if (e >= 0) {
            v = round(r.negative(), m.multiply(BigInteger.TEN.pow((int) e)), BigInteger.ONE, 0);
        } else {
            v = round(r.negative(), m, BigInteger.TEN.pow((int) -e), 0);
        }
        return v.infinite || v.isZero() ? null : v;
    }

    public static LongDouble parse(String s) {
        return parse(Bytes.of(s));
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

    /** The rounded product of finite or infinite factors (inf * 0, NaN in C, is never asked for). */
    public LongDouble multiply(LongDouble o) {
        boolean neg = negative != o.negative;
        if (infinite || o.infinite) {
            return new LongDouble(neg, BigInteger.ZERO, 0, true);
        }
        return round(neg, mantissa.multiply(o.mantissa), BigInteger.ONE, exponent + o.exponent);
    }

    /**
     * C's {@code (long long) ceill(x)} on x86-64: the smallest integer not below the value, and
     * LLONG_MIN (the "integer indefinite" the conversion yields) for infinities and values beyond the
     * 64-bit range.
     */
    public long ceilToLong() {
        if (infinite) {
            return Long.MIN_VALUE;
        }
        BigInteger whole;
        if (exponent >= 0) {
            whole = mantissa.shiftLeft(exponent);
        } else {
            whole = mantissa.shiftRight(-exponent);
            boolean fraction = mantissa.getLowestSetBit() < -exponent && mantissa.signum() != 0;
            if (fraction && !negative) {
                whole = whole.add(BigInteger.ONE);
            }
        }
        if (negative) {
            whole = whole.negate();
        }
        return whole.bitLength() < 64 ? whole.longValue() : Long.MIN_VALUE;
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
        return human(toBigDecimal());
    }

    /** A double (exactly representable as a long double) in Redis's human-friendly form, as GEOPOS prints it. */
    public static String toHumanString(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return human(new BigDecimal(d));
    }

    private static String human(BigDecimal exact) {
        String s = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
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
