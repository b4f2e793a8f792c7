package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Connection limits: maxclients and the idle timeout. */
class LimitsTest {
    @Test
    void clientsBeyondMaxclientsAreRefused() throws InterruptedException {
        try (TestServer s = TestServer.start(Map.of("maxclients", "2"));
                RawClient a = s.raw(); RawClient b = s.raw()) {
            assertEquals("+PONG\r\n", a.call("PING"));
            assertEquals("+PONG\r\n", b.call("PING"));
            try (RawClient extra = s.raw()) {
                assertEquals("-ERR max number of clients reached\r\n", extra.readUntilClose());
            }
            assertEquals("+PONG\r\n", a.call("PING"));
            assertTrue(b.call("INFO", "stats").contains("\r\nrejected_connections:1\r\n"));
            b.close();
            // Once b's connection is gone, there is room again.
            String answer = "";
            for (int i = 0; i < 100 && !answer.equals("+PONG\r\n"); i++) {
                try (RawClient again = s.raw()) {
                    again.send(RawClient.encode("PING"));
                    answer = again.readReply();
                }
                if (!answer.equals("+PONG\r\n")) {
                    Thread.sleep(20);
                }
            }
            assertEquals("+PONG\r\n", answer);
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws InterruptedException {
        try (TestServer s = TestServer.start(Map.of("timeout", "2")); RawClient idle = s.raw(); RawClient busy = s.raw()) {
            assertEquals("+PONG\r\n", idle.call("PING"));
            // The busy client is never idle for long, so it stays while the idle one passes the timeout.
            for (int i = 0; i < 12; i++) {
                assertEquals("+PONG\r\n", busy.call("PING"));
                Thread.sleep(250);
            }
            assertTrue(idle.isClosedByServer());
            assertEquals("+PONG\r\n", busy.call("PING"));
        }
    }

    @Test
    void noTimeoutByDefault() throws InterruptedException {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("+PONG\r\n", c.call("PING"));
            assertFalse(c.isClosedByServer());
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }
}
