package dev.basalt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Inline commands (telnet style), with the quoting rules of redis-cli / sdssplitargs. */
class InlineTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void plainInlineCommands() {
        try (RawClient c = server.raw()) {
            c.send("PING\r\n");
            assertEquals("+PONG\r\n", c.readReply());
            c.send("ping\n"); // a bare LF ends the line too
            assertEquals("+PONG\r\n", c.readReply());
            c.send("  ECHO   hello  \r\n");
            assertEquals("$5\r\nhello\r\n", c.readReply());
            c.send("ECHO a b\r\n");
            assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", c.readReply());
        }
    }

    @Test
    void emptyLinesAreSkipped() {
        try (RawClient c = server.raw()) {
            c.send("\r\n\r\n   \r\nPING\r\n");
            assertEquals("+PONG\r\n", c.readReply());
            c.send("*0\r\n*-1\r\nPING\r\n");
            assertEquals("+PONG\r\n", c.readReply());
        }
    }

    @Test
    void doubleQuotesWithEscapes() {
        try (RawClient c = server.raw()) {
            c.send("ECHO \"a b\"\r\n");
            assertEquals("$3\r\na b\r\n", c.readReply());
            c.send("ECHO \"a\\x41\\n\\\"q\\\"\"\r\n");
            assertEquals("$6\r\naA\n\"q\"\r\n", c.readReply());
            c.send("ECHO \"\\t\\r\\b\\a\\\\\"\r\n");
            assertEquals("$5\r\n\t\r\b\u0007\\\r\n", c.readReply());
            c.send("ECHO \"\"\r\n");
            assertEquals("$0\r\n\r\n", c.readReply());
        }
    }

    @Test
    void singleQuotesKeepBackslashesExceptBeforeAQuote() {
        try (RawClient c = server.raw()) {
            c.send("ECHO 'it\\'s'\r\n");
            assertEquals("$4\r\nit's\r\n", c.readReply());
            c.send("ECHO 'a\\nb \"c\"'\r\n");
            assertEquals("$8\r\na\\nb \"c\"\r\n", c.readReply());
        }
    }

    @Test
    void unbalancedQuotesCloseTheConnection() {
        for (String bad : List.of("ECHO \"a b\r\n", "ECHO 'a b\r\n", "ECHO \"a\"b\r\n")) {
            try (RawClient c = server.raw(); RawClient other = server.raw()) {
                c.send(bad);
                assertEquals("-ERR Protocol error: unbalanced quotes in request\r\n", c.readUntilClose(), bad);
                assertEquals("+PONG\r\n", other.call("PING"));
            }
        }
    }

    @Test
    void splitterFollowsRedisRules() {
        assertEquals(List.of("set", "k", "a b"), strings(InlineSplitter.split(bytes("set k \"a b\""))));
        assertEquals(List.of("x", "y"), strings(InlineSplitter.split(bytes("x\ty"))));
        assertEquals(List.of(), strings(InlineSplitter.split(bytes("   "))));
        assertEquals(List.of("\u00ff"), List.of(new String(InlineSplitter.split(bytes("\"\\xff\"")).get(0),
                StandardCharsets.ISO_8859_1)));
        // "\x" without two hex digits is just an escaped 'x'
        assertEquals(List.of("xz"), strings(InlineSplitter.split(bytes("\"\\xz\""))));
        assertNull(InlineSplitter.split(bytes("\"open")));
        assertNull(InlineSplitter.split(bytes("'x'y")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> args) {
        return args.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }
}
