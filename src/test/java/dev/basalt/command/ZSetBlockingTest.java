package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.testutil.BlockedClients;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** BZPOPMIN, BZPOPMAX and BZMPOP: waiting, wake-ups by other clients, timeouts, and MULTI. */
class ZSetBlockingTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void bzpopminWaitsAndIsWokenByZaddFromAnotherClient() throws Exception {
        try (RawClient blocked = server.raw(); RawClient writer = server.raw()) {
            blocked.send(RawClient.encode("BZPOPMIN", "w1", "w2", "0"));
            BlockedClients.await(writer, 1);
            assertEquals(":2\r\n", writer.call("ZADD", "w2", "5", "m", "3", "low"));
            assertEquals("*3\r\n$2\r\nw2\r\n$3\r\nlow\r\n$1\r\n3\r\n", blocked.readReply());
            BlockedClients.await(writer, 0);
            // Only the popped member went.
            assertEquals("*2\r\n$1\r\nm\r\n$1\r\n5\r\n", writer.call("ZRANGE", "w2", "0", "-1", "WITHSCORES"));
        }
    }

    @Test
    void bzpopmaxAndBzmpopServeFromTheFirstNonEmptyKey() throws Exception {
        try (RawClient c = server.raw(); RawClient writer = server.raw()) {
            writer.call("ZADD", "x2", "1", "a", "2", "b", "3", "c");
            assertEquals("*3\r\n$2\r\nx2\r\n$1\r\nc\r\n$1\r\n3\r\n", c.call("BZPOPMAX", "x1", "x2", "0"));
            assertEquals("*2\r\n$2\r\nx2\r\n*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
                    c.call("BZMPOP", "0", "2", "x1", "x2", "MIN", "COUNT", "5"));
            c.send(RawClient.encode("BZMPOP", "0", "2", "x1", "x2", "MAX", "COUNT", "2"));
            BlockedClients.await(writer, 1);
            writer.call("ZADD", "x1", "7", "p", "8", "q", "9", "r");
            assertEquals("*2\r\n$2\r\nx1\r\n*2\r\n*2\r\n$1\r\nr\r\n$1\r\n9\r\n*2\r\n$1\r\nq\r\n$1\r\n8\r\n", c.readReply());
        }
    }

    @Test
    void timeoutRepliesAsRedisInBothProtocols() {
        try (RawClient c = server.raw()) {
            assertEquals("*-1\r\n", c.call("BZPOPMIN", "t1", "0.05"));
            assertEquals("*-1\r\n", c.call("BZPOPMAX", "t1", "t2", "0.05"));
            assertEquals("*-1\r\n", c.call("BZMPOP", "0.05", "1", "t1", "MIN"));
            c.call("HELLO", "3");
            assertEquals("_\r\n", c.call("BZPOPMIN", "t1", "0.05"));
            assertEquals("_\r\n", c.call("BZMPOP", "0.05", "2", "t1", "t2", "MAX", "COUNT", "3"));
            c.call("HELLO", "2");
        }
    }

    @Test
    void argumentErrors() {
        try (RawClient c = server.raw()) {
            assertEquals("-ERR timeout is negative\r\n", c.call("BZPOPMIN", "k", "-1"));
            assertEquals("-ERR timeout is not a float or out of range\r\n", c.call("BZPOPMAX", "k", "abc"));
            assertEquals("-ERR numkeys should be greater than 0\r\n", c.call("BZMPOP", "abc", "0", "k", "MIN"));
            assertEquals("-ERR syntax error\r\n", c.call("BZMPOP", "0", "2", "k", "MIN"));
            assertEquals("-ERR syntax error\r\n", c.call("BZMPOP", "0", "1", "k", "FOO"));
            assertEquals("-ERR count should be greater than 0\r\n", c.call("BZMPOP", "0", "1", "k", "MIN", "COUNT", "0"));
            assertEquals("-ERR timeout is negative\r\n", c.call("BZMPOP", "-1", "1", "k", "MIN"));
            assertEquals("-ERR wrong number of arguments for 'bzpopmin' command\r\n", c.call("BZPOPMIN", "k"));
        }
    }

    @Test
    void insideMultiAnswersAtOnce() {
        try (RawClient c = server.raw()) {
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("BZPOPMIN", "m1", "0"));
            assertEquals("+QUEUED\r\n", c.call("BZMPOP", "0", "1", "m1", "MIN"));
            assertEquals("+QUEUED\r\n", c.call("ZADD", "m1", "1", "a"));
            assertEquals("+QUEUED\r\n", c.call("BZPOPMAX", "m1", "0"));
            assertEquals("*4\r\n*-1\r\n*-1\r\n:1\r\n*3\r\n$2\r\nm1\r\n$1\r\na\r\n$1\r\n1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void waitersAreServedInArrivalOrderAndByExec() throws Exception {
        try (RawClient first = server.raw(); RawClient second = server.raw(); RawClient writer = server.raw()) {
            first.send(RawClient.encode("BZPOPMIN", "f1", "0"));
            BlockedClients.await(writer, 1);
            second.send(RawClient.encode("BZPOPMIN", "f1", "0"));
            BlockedClients.await(writer, 2);
            writer.call("ZADD", "f1", "1", "a");
            assertEquals("*3\r\n$2\r\nf1\r\n$1\r\na\r\n$1\r\n1\r\n", first.readReply());
            BlockedClients.await(writer, 1);
            // A write inside MULTI wakes the waiter once EXEC has committed.
            writer.call("MULTI");
            writer.call("ZADD", "f1", "2", "b");
            writer.call("ZADD", "f1", "3", "c");
            assertEquals("*2\r\n:1\r\n:1\r\n", writer.call("EXEC"));
            assertEquals("*3\r\n$2\r\nf1\r\n$1\r\nb\r\n$1\r\n2\r\n", second.readReply());
            BlockedClients.await(writer, 0);
            assertEquals(":1\r\n", writer.call("ZCARD", "f1"));
        }
    }

    @Test
    void wrongTypeKeyAnswersAtOnce() {
        try (RawClient c = server.raw()) {
            c.call("SET", "wt", "v");
            assertEquals("-" + ErrorReply.WRONGTYPE + "\r\n", c.call("BZPOPMIN", "nokey", "wt", "0"));
            assertEquals("-" + ErrorReply.WRONGTYPE + "\r\n", c.call("BZMPOP", "0", "2", "nokey", "wt", "MIN"));
        }
    }
}
