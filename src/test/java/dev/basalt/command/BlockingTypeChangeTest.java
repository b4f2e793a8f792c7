package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.BlockedClients;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import org.junit.jupiter.api.Test;

/** As in Redis, a key that turns into another type does not end a client's wait with WRONGTYPE. */
class BlockingTypeChangeTest {
    @Test
    void blockedClientKeepsWaitingThroughAWrongType() throws Exception {
        try (TestServer s = TestServer.start(); RawClient blocked = s.raw(); RawClient other = s.raw()) {
            BlockedClients.sendAndAwait(blocked, other, "BZPOPMIN", "z", "0");
            // A write's reply goes out only after the clients blocked on its keys were tried: by now the
            // waiter has found a string on z and waits on (else the reply below would be WRONGTYPE).
            assertEquals("+OK\r\n", other.call("SET", "z", "a string"));
            assertEquals(":1\r\n", other.call("DEL", "z"));
            assertEquals(":1\r\n", other.call("ZADD", "z", "1", "m"));
            assertEquals("*3\r\n$1\r\nz\r\n$1\r\nm\r\n$1\r\n1\r\n", blocked.readReply());
        }
    }

    @Test
    void aKeyOfAnotherTypeIsPassedOverForTheNextKey() throws Exception {
        try (TestServer s = TestServer.start(); RawClient blocked = s.raw(); RawClient other = s.raw()) {
            BlockedClients.sendAndAwait(blocked, other, "BZPOPMIN", "z1", "z2", "0");
            assertEquals("+OK\r\n", other.call("SET", "z1", "a string"));
            assertEquals(":1\r\n", other.call("ZADD", "z2", "1", "m"));
            assertEquals("*3\r\n$2\r\nz2\r\n$1\r\nm\r\n$1\r\n1\r\n", blocked.readReply());
        }
    }

    @Test
    void blmoveIntoADestinationOfAnotherTypeUnblocksWithWrongType() throws Exception {
        try (TestServer s = TestServer.start(); RawClient blocked = s.raw(); RawClient other = s.raw()) {
            BlockedClients.sendAndAwait(blocked, other, "BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
            assertEquals("+OK\r\n", other.call("SET", "dst", "a string"));
            assertEquals(":1\r\n", other.call("RPUSH", "src", "a"));
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", blocked.readReply());
            assertEquals(":1\r\n", other.call("LLEN", "src"));
        }
    }
}
