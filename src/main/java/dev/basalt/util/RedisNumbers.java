package dev.basalt.util;

/** Number parsing with Redis's exact rules (string2ll), shared by every command that takes integers. */
public final class RedisNumbers {
    private RedisNumbers() {
    }

    /**
     * True when b is a 64-bit integer as Redis's string2ll accepts it: optional '-', no '+', no
     * spaces, no leading zeros ("0" alone is fine, "-0" is not), within the signed 64-bit range.
     */
    public static boolean isLong(byte[] b) {
        return parse(b, false) != null;
    }

    /** The value of b under {@link #isLong}'s rules; NumberFormatException otherwise. */
    public static long parseLong(byte[] b) {
        Long v = parse(b, true);
        return v;
    }

    private static Long parse(byte[] b, boolean throwing) {
        int len = b.length;
        if (len == 0 || len > 20) {
            return fail(throwing, b);
        }
        if (len == 1 && b[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = false;
        if (b[0] == '-') {
            negative = true;
            i = 1;
            if (len == 1) {
                return fail(throwing, b);
            }
        }
        if (b[i] < '1' || b[i] > '9') {
            return fail(throwing, b);
        }
        // Accumulate negatively so Long.MIN_VALUE fits.
        long v = 0;
        for (; i < len; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return fail(throwing, b);
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return fail(throwing, b);
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return fail(throwing, b);
            }
            v = -v;
        }
        return v;
    }

    private static Long fail(boolean throwing, byte[] b) {
        if (throwing) {
            throw new NumberFormatException("not an integer: " + Bytes.str(b));
        }
        return null;
    }
}
