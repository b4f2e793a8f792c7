package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SLOWLOG, MONITOR, CLIENT PAUSE/UNPAUSE, CLIENT UNBLOCK and CLIENT NO-EVICT. */
@Timeout(60)
class OperatorCommandsTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void slowlogKeepsTheNewestEntriesWithArgumentsCutAndSecretsRedacted() {
        try (RawClient c = server.raw()) {
            c.call("CLIENT", "SETNAME", "slowpoke");
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "slowlog-log-slower-than", "0"));
            try {
                assertEquals("+OK\r\n", c.call("SLOWLOG", "RESET"));
                c.call("SET", "sl:k", "x".repeat(200));
                c.call("AUTH", "secret");
                String[] many = new String[40];
                many[0] = "DEL";
                for (int i = 1; i < many.length; i++) {
                    many[i] = "sl:" + i;
                }
                c.call(many);
                String get = c.call("SLOWLOG", "GET", "3");
                // Newest first: DEL (32 arguments shown, the last saying how many more), AUTH, SET.
                assertTrue(get.startsWith("*3\r\n*6\r\n"), get);
                assertTrue(get.contains("*32\r\n$3\r\nDEL\r\n"), get);
                assertTrue(get.contains("$22\r\n... (9 more arguments)\r\n"), get);
                assertTrue(get.contains("*2\r\n$4\r\nAUTH\r\n$10\r\n(redacted)\r\n"), get);
                assertTrue(get.contains("x".repeat(128) + "... (72 more bytes)\r\n"), get);
                assertTrue(get.contains("$8\r\nslowpoke\r\n"), get);
                assertEquals(":5\r\n", c.call("SLOWLOG", "LEN")); // RESET, SET, AUTH, DEL, GET
                c.call("CONFIG", "SET", "slowlog-max-len", "2");
                c.call("PING");
                assertEquals(":2\r\n", c.call("SLOWLOG", "LEN"));
                assertEquals("-ERR count should be greater than or equal to -1\r\n", c.call("SLOWLOG", "GET", "-2"));
            } finally {
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "100000");
                c.call("CONFIG", "SET", "slowlog-max-len", "128");
            }
            c.call("SLOWLOG", "RESET");
            c.call("PING");
            assertEquals(":0\r\n", c.call("SLOWLOG", "LEN"));
        }
    }

    @Test
    void monitorShowsEveryClientsCommandsInRedisLineFormat() {
        try (RawClient m = server.raw(); RawClient c = server.raw()) {
            assertEquals("+OK\r\n", m.call("MONITOR"));
            Await.until("listed as a monitor", () -> c.call("CLIENT", "LIST").contains("flags=O"));
            c.call("SET", "mon:k", "a\"b\\c\nd\u0001");
            c.call("HELLO", "2", "AUTH", "default", "pw");
            c.call("MULTI");
            c.call("INCR", "mon:n");
            c.call("EXEC");
            Pattern head = Pattern.compile("\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] ");
            String[] expected = {
                "\"set\" \"mon:k\" \"a\\\"b\\\\c\\nd\\x01\"",
                "\"hello\" \"2\" \"auth\" \"(redacted)\" \"(redacted)\"",
                "\"multi\"", "\"incr\" \"mon:n\"", "\"exec\""};
            for (String want : expected) {
                String line = m.readReply();
                var matcher = head.matcher(line);
                assertTrue(matcher.lookingAt(), line);
                assertEquals(want.toLowerCase(), line.substring(matcher.end(), line.length() - 2).toLowerCase());
            }
            c.call("CLIENT", "LIST"); // admin commands are not shown, as in Redis
            c.call("PING");
            String line = m.readReply();
            assertTrue(line.endsWith("\"PING\"\r\n"), line);
            assertEquals("+RESET\r\n", m.call("RESET"));
            assertFalse(c.call("CLIENT", "LIST").contains("flags=O"));
        }
    }

    @Test
    void clientPauseWriteHoldsWritesUntilUnpause() throws Exception {
        try (RawClient admin = server.raw(); RawClient writer = server.raw(); RawClient reader = server.raw()) {
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "100000", "WRITE"));
            CompletableFuture<String> write = CompletableFuture.supplyAsync(() -> writer.call("SET", "pause:k", "v"));
            Await.until("the writer is held", () -> admin.call("CLIENT", "LIST").contains("flags=b"));
            assertEquals("$-1\r\n", reader.call("GET", "pause:k")); // reads go on
            assertFalse(write.isDone());
            assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
            assertEquals("+OK\r\n", write.get());
            assertEquals("$1\r\nv\r\n", reader.call("GET", "pause:k"));
            assertEquals("-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n", admin.call("CLIENT", "PAUSE", "10", "foo"));
            assertEquals("-ERR timeout is not an integer or out of range\r\n", admin.call("CLIENT", "PAUSE", "x"));
        }
    }

    @Test
    void clientPauseAllHoldsEveryCommandUntilItsTimeout() throws Exception {
        try (RawClient admin = server.raw(); RawClient other = server.raw()) {
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "300", "ALL"));
            long start = System.nanoTime();
            assertEquals("+PONG\r\n", other.call("PING"));
            assertTrue(System.nanoTime() - start >= 250_000_000L, "PING answered during the pause");
        }
    }

    @Test
    void clientUnblockEndsABlockingPopAsTimeoutOrError() throws Exception {
        try (RawClient admin = server.raw(); RawClient blocked = server.raw()) {
            String id = blocked.call("CLIENT", "ID").substring(1).trim();
            CompletableFuture<String> pop = CompletableFuture.supplyAsync(() -> blocked.call("BLPOP", "ub:l", "0"));
            Await.until("blocked", () -> admin.call("CLIENT", "LIST").contains("flags=b"));
            assertEquals(":1\r\n", admin.call("CLIENT", "UNBLOCK", id));
            assertEquals("*-1\r\n", pop.get());
            CompletableFuture<String> again = CompletableFuture.supplyAsync(() -> blocked.call("BLPOP", "ub:l", "0"));
            Await.until("blocked again", () -> admin.call("CLIENT", "LIST").contains("flags=b"));
            assertEquals(":1\r\n", admin.call("CLIENT", "UNBLOCK", id, "ERROR"));
            assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", again.get());
            assertEquals(":0\r\n", admin.call("CLIENT", "UNBLOCK", id));
            assertEquals("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n",
                    admin.call("CLIENT", "UNBLOCK", id, "maybe"));
        }
    }

    @Test
    void clientNoEvictShowsAsFlagE() {
        try (RawClient c = server.raw()) {
            assertEquals("+OK\r\n", c.call("CLIENT", "NO-EVICT", "on"));
            assertTrue(c.call("CLIENT", "INFO").contains("flags=e "));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "NO-EVICT", "maybe"));
            assertEquals("+OK\r\n", c.call("CLIENT", "NO-EVICT", "off"));
            assertTrue(c.call("CLIENT", "INFO").contains("flags=N "));
        }
    }
}
