package dev.basalt.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Where a command writes its reply. Two implementations: {@link RespWriter} streams RESP2/RESP3 bytes
 * towards a client, {@link ValueReply} builds {@link ReplyValue}s for callers that need the reply as a
 * value (scripts, tests). Handlers only ever see this interface.
 */
public interface Reply {
    /** 2 or 3: the protocol the reply is shaped for (maps, sets, doubles and nulls differ). */
    int protocol();

    /** HELLO switches the protocol; later replies follow it. */
    void setProtocol(int protocol);

    default boolean resp3() {
        return protocol() == 3;
    }

    void ok();

    void simple(String s);

    /** An error; {@code text} starts with its code, e.g. "ERR syntax error" or "WRONGTYPE ...". */
    void error(String text);

    void integer(long v);

    /** A bulk string; null is the null bulk. */
    void bulk(byte[] v);

    default void bulk(String v) {
        bulk(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
    }

    /** A RESP3 verbatim string (e.g. INFO, CLIENT LIST); a plain bulk string in RESP2. */
    void verbatim(String text);

    void nullBulk();

    void nullArray();

    void arrayHeader(long n);

    /** A map of n pairs: {@code %n} in RESP3, a flat array of 2n elements in RESP2. */
    void mapHeader(long n);

    void setHeader(long n);

    void pushHeader(long n);

    void bool(boolean b);

    /** A double as Redis 7.0 sends scores: RESP3 ',' type, RESP2 bulk string, both in %.17g form. */
    void dbl(double d);

    /** A double already in its text form (Redis's addReplyHumanLongDouble): RESP3 ',' type, RESP2 bulk string. */
    void dblText(String text);

    /** A RESP3 big number ({@code (digits}); a bulk string in RESP2 (what a script's {big_number=...} becomes). */
    void bigNumber(String digits);

    default void bulkArray(Collection<byte[]> items) {
        arrayHeader(items.size());
        for (byte[] item : items) {
            bulk(item);
        }
    }

    default void stringArray(Collection<String> items) {
        arrayHeader(items.size());
        for (String item : items) {
            bulk(item);
        }
    }
}
