package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.util.Bytes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Thrown by a blocking command (BLPOP...) that found nothing to serve: the dispatcher releases its
 * locks, parks the client until one of the keys is written (or the timeout passes, or the client
 * leaves), then runs the command again. Never thrown inside EXEC, where blocking commands answer at once.
 */
public final class BlockRequest extends ErrorReply {
    private final List<byte[]> keys;
    private final long timeoutMillis;
    private final Consumer<Reply> timeoutReply;

    BlockRequest(List<byte[]> keys, long timeoutMillis, Consumer<Reply> timeoutReply) {
        super("ERR blocked");
        this.keys = keys;
        this.timeoutMillis = timeoutMillis;
        this.timeoutReply = timeoutReply;
    }

    public List<byte[]> keys() {
        return keys;
    }

    /** 0 waits forever. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    public Consumer<Reply> timeoutReply() {
        return timeoutReply;
    }

    /**
     * A blocking timeout argument in seconds, as milliseconds, the way Redis 7.0 reads it: the
     * argument is a C long double (strtold: decimal, hexadecimal, "inf"; no leading space, nothing
     * after the number, no NaN, nothing beyond the long double range), and the milliseconds are
     * {@code (long long) ceill(seconds * 1000)}; a product outside the 64-bit range converts to
     * LLONG_MIN, hence "timeout is negative" for inf and huge values, while tiny negative values round to 0
     * (wait forever).
     */
    public static long parseTimeoutSeconds(byte[] arg) throws ErrorReply {
        String s = Bytes.str(arg);
        if (arg.length == 0 || arg.length >= MAX_LONG_DOUBLE_CHARS || isCSpace(s.charAt(0))) {
            throw timeoutNotFloat();
        }
        BigDecimal seconds;
        if (INFINITY.matcher(s).matches()) {
            seconds = null;
        } else if (DECIMAL.matcher(s).matches()) {
            seconds = decimalValue(s);
        } else if (HEXADECIMAL.matcher(s).matches()) {
            seconds = hexValue(s);
        } else {
            throw timeoutNotFloat();
        }
        long ms = Long.MIN_VALUE;
        if (seconds != null) {
            BigDecimal product = seconds.movePointRight(3).setScale(0, RoundingMode.CEILING);
            if (product.compareTo(LONG_MIN) >= 0 && product.compareTo(LONG_MAX) <= 0) {
                ms = product.longValue();
            }
        }
        if (ms < 0) {
            throw new ErrorReply("ERR timeout is negative");
        }
        return ms;
    }

    private static final int MAX_LONG_DOUBLE_CHARS = 5 * 1024;
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    /** Decimal exponents beyond which a long double overflows (to HUGE_VAL) or underflows to 0: strtold's ERANGE. */
    private static final int LONG_DOUBLE_MAX_EXP10 = 4932;
    private static final int LONG_DOUBLE_MIN_EXP10 = -4951;
    private static final int LONG_DOUBLE_MAX_EXP2 = 16384;
    private static final int LONG_DOUBLE_MIN_EXP2 = -16445;
    private static final Pattern INFINITY = Pattern.compile("[+-]?(?i:inf|infinity)");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern HEXADECIMAL =
            Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?[0-9]+)?");

    private static ErrorReply timeoutNotFloat() {
        return new ErrorReply("ERR timeout is not a float or out of range");
    }

    /** C's isspace in the "C" locale. */
    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static BigDecimal decimalValue(String s) throws ErrorReply {
        int e = Math.max(s.indexOf('e'), s.indexOf('E'));
        String mantissa = e < 0 ? s : s.substring(0, e);
        BigDecimal m = new BigDecimal(mantissa.endsWith(".") ? mantissa + "0" : mantissa);
        if (m.signum() == 0) {
            return BigDecimal.ZERO; // zero whatever the exponent, and no ERANGE
        }
        BigInteger exponent = e < 0 ? BigInteger.ZERO : new BigInteger(s.substring(e + 1));
        // The value's decimal magnitude: m's own plus the exponent.
        BigInteger magnitude = exponent.add(BigInteger.valueOf((long) m.precision() - m.scale() - 1));
        if (magnitude.compareTo(BigInteger.valueOf(LONG_DOUBLE_MAX_EXP10)) > 0
                || magnitude.compareTo(BigInteger.valueOf(LONG_DOUBLE_MIN_EXP10)) < 0) {
            throw timeoutNotFloat();
        }
        return m.scaleByPowerOfTen(exponent.intValueExact());
    }

    private static BigDecimal hexValue(String s) throws ErrorReply {
        boolean negative = s.charAt(0) == '-';
        String body = s.substring(s.charAt(0) == '-' || s.charAt(0) == '+' ? 3 : 2);
        int p = Math.max(body.indexOf('p'), body.indexOf('P'));
        String digits = p < 0 ? body : body.substring(0, p);
        BigInteger exponent = p < 0 ? BigInteger.ZERO : new BigInteger(body.substring(p + 1));
        int dot = digits.indexOf('.');
        String fraction = dot < 0 ? "" : digits.substring(dot + 1);
        BigInteger mantissa = new BigInteger((dot < 0 ? digits : digits.substring(0, dot)) + fraction + "0", 16)
                .shiftRight(4);
        if (mantissa.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigInteger binaryExponent = exponent.subtract(BigInteger.valueOf(4L * fraction.length()));
        BigInteger magnitude = binaryExponent.add(BigInteger.valueOf(mantissa.bitLength()));
        if (magnitude.compareTo(BigInteger.valueOf(LONG_DOUBLE_MAX_EXP2)) > 0
                || magnitude.compareTo(BigInteger.valueOf(LONG_DOUBLE_MIN_EXP2)) < 0) {
            throw timeoutNotFloat();
        }
        int e2 = binaryExponent.intValueExact();
        BigDecimal v = e2 >= 0 ? new BigDecimal(mantissa.shiftLeft(e2))
                : new BigDecimal(mantissa.multiply(BigInteger.valueOf(5).pow(-e2)), -e2);
        return negative ? v.negate() : v;
    }
}
