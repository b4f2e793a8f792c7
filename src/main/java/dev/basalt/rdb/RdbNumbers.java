package dev.basalt.rdb;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Numbers written as text inside RDB values (scores in ziplists and listpacks, old zset scores). */
final class RdbNumbers {
    private RdbNumbers() {
    }

    /** A double as Redis's strtod reads it: also "inf", "-inf", "nan" in any case. */
    static double parseDouble(byte[] text) throws RdbFormatException {
        String s = new String(text, StandardCharsets.US_ASCII).strip();
        String lower = s.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan", "-nan", "+nan" -> {
                return Double.NaN;
            }
            default -> {
            }
        }
        try {
            if (lower.isEmpty() || lower.endsWith("d") || lower.endsWith("f")) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new RdbFormatException("not a number: " + s);
        }
    }

    /** A decimal integer written as text in a listpack or ziplist. */
    static long parseLong(byte[] text) throws RdbFormatException {
        try {
            return Long.parseLong(new String(text, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new RdbFormatException("not an integer: " + new String(text, StandardCharsets.US_ASCII));
        }
    }
}
