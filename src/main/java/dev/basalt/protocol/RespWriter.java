package dev.basalt.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Encodes replies in RESP2 or RESP3. The only place that knows the reply wire format. Writes go to
 * a sink: the connection's buffered socket stream, or a {@link java.io.ByteArrayOutputStream} that
 * holds replies back until their writes have reached RocksDB.
 */
public final class RespWriter implements Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP2_NULL = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP2_NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP3_NULL = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] SMALL_INTS = new byte[128][];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final OutputStream out;
    private int protocol;

    public RespWriter(OutputStream out, int protocol) {
        this.out = out;
        this.protocol = protocol;
    }

    public int protocol() {
        return protocol;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    public boolean resp3() {
        return protocol == 3;
    }

    public void ok() {
        raw(OK);
    }

    public void simple(String s) {
        raw((byte) '+', s);
    }

    /** An error; {@code text} starts with its code, e.g. "ERR syntax error" or "WRONGTYPE ...". */
    public void error(String text) {
        // Redis replaces newlines in error texts so one error stays one line.
        raw((byte) '-', text.replace('\r', ' ').replace('\n', ' '));
    }

    public void integer(long v) {
        if (v >= 0 && v < SMALL_INTS.length) {
            raw(SMALL_INTS[(int) v]);
        } else {
            raw((byte) ':', Long.toString(v));
        }
    }

    public void bulk(byte[] v) {
        if (v == null) {
            nullBulk();
            return;
        }
        header((byte) '$', v.length);
        raw(v);
        raw(CRLF);
    }

    public void bulk(String v) {
        bulk(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
    }

    /** A RESP3 verbatim string (e.g. INFO, CLIENT LIST); a plain bulk string in RESP2. */
    public void verbatim(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (!resp3()) {
            bulk(body);
            return;
        }
        header((byte) '=', body.length + 4);
        raw("txt:".getBytes(StandardCharsets.US_ASCII));
        raw(body);
        raw(CRLF);
    }

    public void nullBulk() {
        raw(resp3() ? RESP3_NULL : RESP2_NULL);
    }

    public void nullArray() {
        raw(resp3() ? RESP3_NULL : RESP2_NULL_ARRAY);
    }

    public void arrayHeader(long n) {
        header((byte) '*', n);
    }

    /** A map of n pairs: {@code %n} in RESP3, a flat array of 2n elements in RESP2. */
    public void mapHeader(long n) {
        if (resp3()) {
            header((byte) '%', n);
        } else {
            header((byte) '*', n * 2);
        }
    }

    public void setHeader(long n) {
        header(resp3() ? (byte) '~' : (byte) '*', n);
    }

    public void pushHeader(long n) {
        header(resp3() ? (byte) '>' : (byte) '*', n);
    }

    public void bool(boolean b) {
        if (resp3()) {
            raw(b ? "#t\r\n".getBytes(StandardCharsets.US_ASCII) : "#f\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            integer(b ? 1 : 0);
        }
    }

    /** A double as Redis 7.0 sends scores: RESP3 ',' type, RESP2 bulk string, both in %.17g form. */
    public void dbl(double d) {
        String s = formatDouble(d);
        if (resp3()) {
            raw((byte) ',', s);
        } else {
            bulk(s);
        }
    }

    public void bulkArray(Collection<byte[]> items) {
        arrayHeader(items.size());
        for (byte[] item : items) {
            bulk(item);
        }
    }

    public void stringArray(Collection<String> items) {
        arrayHeader(items.size());
        for (String item : items) {
            bulk(item);
        }
    }

    /** Bytes already in RESP form, e.g. a transaction's held-back replies. */
    public void raw(byte[] bytes) {
        raw(bytes, 0, bytes.length);
    }

    public void raw(byte[] bytes, int off, int len) {
        try {
            out.write(bytes, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() throws IOException {
        out.flush();
    }

    private void header(byte type, long n) {
        raw(type, Long.toString(n));
    }

    private void raw(byte type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[b.length + 3];
        line[0] = type;
        System.arraycopy(b, 0, line, 1, b.length);
        line[b.length + 1] = '\r';
        line[b.length + 2] = '\n';
        raw(line);
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
