package dev.basalt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests and request limits: the offending client gets Redis's exact protocol error and
 * is disconnected; every other client keeps being served.
 */
class ProtocolErrorTest {
    private static TestServer server;
    private static TestServer withPassword;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("proto-max-bulk-len", "100"));
        withPassword = TestServer.start(Map.of("requirepass", "secret"));
    }

    @AfterAll
    static void stop() {
        server.close();
        withPassword.close();
    }

    /** Sends the bytes on a fresh connection, expects exactly this error and a close; a bystander still gets PONG. */
    private static void assertRejected(TestServer s, String request, String error) {
        try (RawClient bystander = s.raw(); RawClient c = s.raw()) {
            if (s == withPassword) {
                assertEquals("+OK\r\n", bystander.call("AUTH", "secret"));
            }
            assertEquals("+PONG\r\n", bystander.call("PING"));
            c.send(request);
            assertEquals("-ERR Protocol error: " + error + "\r\n", c.readUntilClose(), request);
            assertEquals("+PONG\r\n", bystander.call("PING"));
        }
    }

    @Test
    void bulkLongerThanProtoMaxBulkLen() {
        assertRejected(server, "*2\r\n$4\r\nECHO\r\n$101\r\n", "invalid bulk length");
    }

    @Test
    void bulkOfExactlyProtoMaxBulkLenIsAccepted() {
        try (RawClient c = server.raw()) {
            String v = "x".repeat(100);
            assertEquals("$100\r\n" + v + "\r\n", c.call("ECHO", v));
        }
    }

    @Test
    void negativeOrNonNumericBulkLength() {
        assertRejected(server, "*1\r\n$-5\r\n", "invalid bulk length");
        assertRejected(server, "*1\r\n$abc\r\n", "invalid bulk length");
    }

    @Test
    void invalidMultibulkLength() {
        assertRejected(server, "*abc\r\n", "invalid multibulk length");
        assertRejected(server, "*3000000000\r\n", "invalid multibulk length");
    }

    @Test
    void somethingOtherThanABulkInsideAMultibulk() {
        assertRejected(server, "*1\r\nx3\r\n", "expected '$', got 'x'");
        assertRejected(server, "*2\r\n$4\r\nECHO\r\n:1\r\n", "expected '$', got ':'");
    }

    @Test
    void tooBigInlineRequest() {
        assertRejected(server, "a".repeat(70 * 1024), "too big inline request");
    }

    @Test
    void tooBigCountLines() {
        assertRejected(server, "*" + "1".repeat(70 * 1024), "too big mbulk count string");
        assertRejected(server, "*1\r\n$" + "1".repeat(70 * 1024), "too big bulk count string");
    }

    @Test
    void repliesBeforeTheBadRequestAreDelivered() {
        try (RawClient c = server.raw()) {
            c.send("PING\r\n" + RawClient.encode("ECHO", "ok") + "*1\r\nx\r\n");
            assertEquals("+PONG\r\n$2\r\nok\r\n-ERR Protocol error: expected '$', got 'x'\r\n", c.readUntilClose());
        }
    }

    @Test
    void unauthenticatedClientsAreLimitedToSmallRequests() {
        assertRejected(withPassword, "*11\r\n", "unauthenticated multibulk length");
        assertRejected(withPassword, "*2\r\n$4\r\nAUTH\r\n$16385\r\n", "unauthenticated bulk length");
    }

    @Test
    void unauthenticatedLimitsEndWithAuth() {
        try (RawClient c = withPassword.raw()) {
            // At the limits, before AUTH: answered normally.
            String[] ten = new String[10];
            java.util.Arrays.fill(ten, "x");
            ten[0] = "PING";
            assertEquals("-NOAUTH Authentication required.\r\n", c.call(ten));
            assertEquals("-NOAUTH Authentication required.\r\n", c.call("ECHO", "y".repeat(16384)));
            assertEquals("+OK\r\n", c.call("AUTH", "secret"));
            String[] eleven = new String[11];
            java.util.Arrays.fill(eleven, "x");
            eleven[0] = "ECHO";
            assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", c.call(eleven));
            String big = "z".repeat(20000);
            assertEquals("$20000\r\n" + big + "\r\n", c.call("ECHO", big));
        }
    }
}
