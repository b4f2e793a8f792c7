package dev.basalt.util;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The little JSON Basalt writes and reads: objects of strings (Kvrocks keeps namespace tokens so) and of
 * numbers (STATS). Strings are escaped as JSON requires; reading accepts exactly objects of string values.
 */
public final class Json {
    private Json() {
    }

    /** A JSON string literal, quotes included. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** {"k":"v",...} in the map's order. */
    public static String stringObject(Map<String, String> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(k)).append(':').append(quote(v));
        });
        return sb.append('}').toString();
    }

    /** Reads an object whose values are all strings; throws IllegalArgumentException on anything else. */
    public static Map<String, String> parseStringObject(String text) {
        Reader r = new Reader(text);
        Map<String, String> m = new LinkedHashMap<>();
        r.skipSpace();
        r.expect('{');
        r.skipSpace();
        if (r.peek() == '}') {
            r.pos++;
        } else {
            while (true) {
                r.skipSpace();
                String k = r.string();
                r.skipSpace();
                r.expect(':');
                r.skipSpace();
                m.put(k, r.string());
                r.skipSpace();
                char c = r.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected ',' or '}' at " + (r.pos - 1));
                }
            }
        }
        r.skipSpace();
        if (r.pos != text.length()) {
            throw new IllegalArgumentException("trailing text at " + r.pos);
        }
        return m;
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (pos - 1));
            }
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }
    }
}
