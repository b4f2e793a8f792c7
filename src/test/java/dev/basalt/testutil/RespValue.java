package dev.basalt.testutil;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed reply, for tests that check reply structure rather than exact bytes: type byte plus
 * either a line (simple, error, integer...), a bulk payload (null when absent) or elements.
 */
public record RespValue(char type, String text, List<RespValue> elements) {
    public boolean isError() {
        return type == '-';
    }

    public boolean isNull() {
        return type == '_' || ((type == '$' || type == '*') && text == null && elements == null);
    }

    public long asLong() {
        return Long.parseLong(text);
    }

    /** Parses one complete reply as returned by {@link RawClient#readReply()}. */
    public static RespValue parse(String reply) {
        int[] pos = {0};
        RespValue v = parse(reply, pos);
        if (pos[0] != reply.length()) {
            throw new IllegalArgumentException("trailing bytes after reply: " + reply.substring(pos[0]));
        }
        return v;
    }

    private static RespValue parse(String s, int[] pos) {
        int eol = s.indexOf("\r\n", pos[0]);
        char type = s.charAt(pos[0]);
        String line = s.substring(pos[0] + 1, eol);
        pos[0] = eol + 2;
        switch (type) {
            case '$', '=' -> {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return new RespValue(type, null, null);
                }
                // Lengths are in bytes; tests use ASCII payloads.
                String body = s.substring(pos[0], pos[0] + len);
                pos[0] += len + 2;
                return new RespValue(type, body, null);
            }
            case '*', '~', '>', '%' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return new RespValue(type, null, null);
                }
                int count = type == '%' ? 2 * n : n;
                List<RespValue> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(parse(s, pos));
                }
                return new RespValue(type, null, items);
            }
            default -> {
                return new RespValue(type, line, null);
            }
        }
    }
}
