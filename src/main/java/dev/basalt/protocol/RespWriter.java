package dev.basalt.protocol;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Encodes replies in RESP2 or RESP3 into a {@link ReplyBuffer}. The only place that knows the reply
 * wire format. Numbers and headers are written digit by digit into the buffer, and the frequent
 * replies are pre-encoded, so a reply allocates nothing but its own payload.
 */
public final class RespWriter implements Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] RESP2_NULL = ascii("$-1\r\n");
    private static final byte[] RESP2_NULL_ARRAY = ascii("*-1\r\n");
    private static final byte[] RESP3_NULL = ascii("_\r\n");
    private static final byte[] TRUE = ascii("#t\r\n");
    private static final byte[] FALSE = ascii("#f\r\n");
    private static final byte[] VERBATIM_TXT = ascii("txt:");
    private static final byte[][] SMALL_INTS = new byte[128][];
    /** The longest a long's decimal form can be, with its sign. */
    private static final int MAX_LONG_CHARS = 20;

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = ascii(":" + i + "\r\n");
        }
    }

    private final ReplyBuffer out;
    private int protocol;
    /** Told of every error reply (INFO errorstats counts them); none by default. */
    private Consumer<String> errorListener;

    public RespWriter(ReplyBuffer out, int protocol) {
        this.out = out;
        this.protocol = protocol;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Every error this writer writes is told to the listener first (its text, starting with the code). */
    public void setErrorListener(Consumer<String> listener) {
        this.errorListener = listener;
    }

    public ReplyBuffer buffer() {
        return out;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    @Override
    public boolean resp3() {
        return protocol == 3;
    }

    @Override
    public void ok() {
        out.write(OK);
    }

    @Override
    public void simple(String s) {
        line((byte) '+', s);
    }

    /** An error; {@code text} starts with its code, e.g. "ERR syntax error" or "WRONGTYPE ...". */
    @Override
    public void error(String text) {
        if (errorListener != null) {
            errorListener.accept(text);
        }
        // Redis replaces newlines in error texts so one error stays one line.
        line((byte) '-', text.replace('\r', ' ').replace('\n', ' '));
    }

    @Override
    public void integer(long v) {
        if (v >= 0 && v < SMALL_INTS.length) {
            out.write(SMALL_INTS[(int) v]);
        } else {
            header((byte) ':', v);
        }
    }

    @Override
    public void bulk(byte[] v) {
        if (v == null) {
            nullBulk();
            return;
        }
        header((byte) '$', v.length);
        out.write(v);
        out.write(CRLF);
    }

    /** A RESP3 verbatim string (e.g. INFO, CLIENT LIST); a plain bulk string in RESP2. */
    @Override
    public void verbatim(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (!resp3()) {
            bulk(body);
            return;
        }
        header((byte) '=', body.length + 4L);
        out.write(VERBATIM_TXT);
        out.write(body);
        out.write(CRLF);
    }

    @Override
    public void nullBulk() {
        out.write(resp3() ? RESP3_NULL : RESP2_NULL);
    }

    @Override
    public void nullArray() {
        out.write(resp3() ? RESP3_NULL : RESP2_NULL_ARRAY);
    }

    @Override
    public void arrayHeader(long n) {
        header((byte) '*', n);
    }

    /** A map of n pairs: {@code %n} in RESP3, a flat array of 2n elements in RESP2. */
    @Override
    public void mapHeader(long n) {
        if (resp3()) {
            header((byte) '%', n);
        } else {
            header((byte) '*', n * 2);
        }
    }

    @Override
    public void setHeader(long n) {
        header(resp3() ? (byte) '~' : (byte) '*', n);
    }

    @Override
    public void pushHeader(long n) {
        header(resp3() ? (byte) '>' : (byte) '*', n);
    }

    @Override
    public void bool(boolean b) {
        if (resp3()) {
            out.write(b ? TRUE : FALSE);
        } else {
            integer(b ? 1 : 0);
        }
    }

    /** A double as Redis 7.0 sends scores: RESP3 ',' type, RESP2 bulk string, both in %.17g form. */
    @Override
    public void dbl(double d) {
        String s = formatDouble(d);
        if (resp3()) {
            line((byte) ',', s);
        } else {
            bulk(s);
        }
    }

    @Override
    public void dblText(String text) {
        if (resp3()) {
            line((byte) ',', text);
        } else {
            bulk(text);
        }
    }

    @Override
    public void bigNumber(String digits) {
        if (resp3()) {
            line((byte) '(', digits);
        } else {
            bulk(digits);
        }
    }

    /** Bytes already in RESP form, e.g. a transaction's held-back replies. */
    public void raw(byte[] bytes) {
        out.write(bytes);
    }

    /** A type byte, a decimal number and CRLF, written straight into the buffer. */
    private void header(byte type, long n) {
        byte[] b = out.reserve(MAX_LONG_CHARS + 3);
        int p = out.size();
        b[p++] = type;
        p = writeDecimal(b, p, n);
        b[p++] = '\r';
        b[p++] = '\n';
        out.advance(p - out.size());
    }

    /** Writes n in decimal at b[p]; returns the position after it. */
    private static int writeDecimal(byte[] b, int p, long n) {
        if (n == Long.MIN_VALUE) {
            byte[] digits = ascii(Long.toString(n));
            System.arraycopy(digits, 0, b, p, digits.length);
            return p + digits.length;
        }
        if (n < 0) {
            b[p++] = '-';
            n = -n;
        }
        int len = 1;
        for (long t = n; t >= 10; t /= 10) {
            len++;
        }
        int end = p + len;
        for (int i = end - 1; i >= p; i--) {
            b[i] = (byte) ('0' + (n % 10));
            n /= 10;
        }
        return end;
    }

    private void line(byte type, String s) {
        out.write(type);
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
    }

    /** Redis 7.0's {@code %.17g} rendering, with "inf"/"-inf"/"nan". */
    public static String formatDouble(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return (d == 0 && 1 / d < 0) ? "-0" : Long.toString((long) d);
        }
        return formatG17(d);
    }

    private static String formatG17(double d) {
        // %.17g: 17 significant digits, scientific when the exponent is < -4 or >= 17, trailing zeros removed.
        BigDecimal bd = new BigDecimal(d).round(new java.math.MathContext(17));
        int exponent = bd.precision() - bd.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            String digits = bd.unscaledValue().abs().toString();
            digits = stripZeros(digits);
            StringBuilder sb = new StringBuilder();
            if (bd.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                sb.append('0');
            }
            sb.append(abs);
            return sb.toString();
        }
        String plain = bd.toPlainString();
        if (plain.indexOf('.') >= 0) {
            plain = stripZeros(plain);
            if (plain.endsWith(".")) {
                plain = plain.substring(0, plain.length() - 1);
            }
        }
        return plain;
    }

    private static String stripZeros(String s) {
        int e = s.length();
        while (e > 1 && s.charAt(e - 1) == '0') {
            e--;
        }
        return s.substring(0, e);
    }
}
