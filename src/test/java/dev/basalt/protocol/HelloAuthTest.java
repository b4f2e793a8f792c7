package dev.basalt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HELLO (RESP2/RESP3 handshake), AUTH and NOAUTH, byte for byte as Redis 7 answers. */
class HelloAuthTest {
    private static TestServer open;
    private static TestServer locked;

    @BeforeAll
    static void start() {
        open = TestServer.start();
        locked = TestServer.start(Map.of("requirepass", "secret"));
    }

    @AfterAll
    static void stop() {
        open.close();
        locked.close();
    }

    private static String helloBody(String protoLine, long id) {
        return "$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.0.0\r\n$5\r\nproto\r\n" + protoLine
                + "$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                + "$7\r\nmodules\r\n*0\r\n";
    }

    private static long clientId(RawClient c) {
        String r = c.call("CLIENT", "ID");
        return Long.parseLong(r.substring(1, r.length() - 2));
    }

    @Test
    void hello3AnswersAMapAndSwitchesToResp3() {
        try (RawClient c = open.raw()) {
            long id = clientId(c);
            assertEquals("%7\r\n" + helloBody(":3\r\n", id), c.call("HELLO", "3"));
            assertEquals("_\r\n", c.call("CLIENT", "GETNAME"));
            assertTrue(c.call("CLIENT", "INFO").startsWith("="));
            assertEquals("*14\r\n" + helloBody(":2\r\n", id), c.call("HELLO", "2"));
            assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
        }
    }

    @Test
    void helloWithoutVersionKeepsTheProtocol() {
        try (RawClient c = open.raw()) {
            long id = clientId(c);
            assertEquals("*14\r\n" + helloBody(":2\r\n", id), c.call("HELLO"));
        }
    }

    @Test
    void helloErrors() {
        try (RawClient c = open.raw()) {
            assertEquals("-NOPROTO unsupported protocol version\r\n", c.call("HELLO", "4"));
            assertEquals("-NOPROTO unsupported protocol version\r\n", c.call("HELLO", "1"));
            assertEquals("-ERR Protocol version is not an integer or out of range\r\n", c.call("HELLO", "abc"));
            assertEquals("-ERR Syntax error in HELLO option 'foo'\r\n", c.call("HELLO", "3", "foo"));
            assertEquals("-ERR Syntax error in HELLO option 'AUTH'\r\n", c.call("HELLO", "3", "AUTH", "default"));
            assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                    c.call("HELLO", "3", "SETNAME", "a b"));
            // A failed HELLO changes nothing.
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void helloSetnameNamesTheConnection() {
        try (RawClient c = open.raw()) {
            c.call("HELLO", "2", "SETNAME", "conn-1");
            assertEquals("$6\r\nconn-1\r\n", c.call("CLIENT", "GETNAME"));
        }
    }

    @Test
    void authWithoutConfiguredPassword() {
        try (RawClient c = open.raw()) {
            assertEquals("-ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?\r\n", c.call("AUTH", "x"));
            assertEquals("+OK\r\n", c.call("AUTH", "default", "anything"));
        }
    }

    @Test
    void commandsNeedAuthWhenAPasswordIsSet() {
        try (RawClient c = locked.raw()) {
            assertEquals("-NOAUTH Authentication required.\r\n", c.call("PING"));
            assertEquals("-NOAUTH Authentication required.\r\n", c.call("CLIENT", "ID"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", c.call("AUTH", "wrong"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    c.call("AUTH", "default", "wrong"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    c.call("AUTH", "someone", "secret"));
            assertEquals("-ERR syntax error\r\n", c.call("AUTH", "a", "b", "c"));
            assertEquals("-NOAUTH Authentication required.\r\n", c.call("PING"));
            assertEquals("+OK\r\n", c.call("AUTH", "secret"));
            assertEquals("+PONG\r\n", c.call("PING"));
        }
        try (RawClient c = locked.raw()) {
            assertEquals("+OK\r\n", c.call("AUTH", "default", "secret"));
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void helloNeedsAuthOrAuthenticates() {
        try (RawClient c = locked.raw()) {
            assertEquals("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH "
                    + "<user> <pass> option can be used to authenticate the client and select the RESP protocol "
                    + "version at the same time\r\n", c.call("HELLO", "3"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    c.call("HELLO", "3", "AUTH", "default", "wrong"));
            String reply = c.call("HELLO", "3", "AUTH", "default", "secret");
            assertTrue(reply.startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), reply);
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void quitAnswersOkAndCloses() {
        try (RawClient c = locked.raw()) {
            c.send(RawClient.encode("QUIT") + RawClient.encode("PING"));
            assertEquals("+OK\r\n", c.readUntilClose());
        }
    }
}
