package dev.basalt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pipelined requests: answered in order, and flushed as a burst rather than one write per reply. */
class PipelineTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void thousandPipelinedPingsInOneWriteAreAnsweredInOrder() {
        try (RawClient c = server.raw()) {
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                burst.append(RawClient.encode("PING", Integer.toString(i)));
            }
            c.send(burst.toString());
            for (int i = 0; i < 1000; i++) {
                String n = Integer.toString(i);
                assertEquals("$" + n.length() + "\r\n" + n + "\r\n", c.readReply(), "reply " + i);
            }
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void plainPingsPipelinedInOneWriteGetOnePongEach() {
        try (RawClient c = server.raw()) {
            c.send(RawClient.encode("PING").repeat(1000) + RawClient.encode("ECHO", "end"));
            for (int i = 0; i < 1000; i++) {
                assertEquals("+PONG\r\n", c.readReply(), "reply " + i);
            }
            assertEquals("$3\r\nend\r\n", c.readReply());
        }
    }

    @Test
    void repliesToABurstLeaveInFewSocketWrites() {
        try (RawClient c = server.raw(); RawClient observer = server.raw()) {
            long before = writesProcessed(observer);
            c.send(RawClient.encode("PING").repeat(1000));
            for (int i = 0; i < 1000; i++) {
                assertEquals("+PONG\r\n", c.readReply());
            }
            long after = writesProcessed(observer);
            // One write per reply would be 1000; a burst is flushed when the input runs dry. The
            // observer's own first INFO reply is counted too. The bound leaves room for the burst
            // arriving in several TCP segments.
            long writes = after - before;
            assertTrue(writes >= 1 && writes < 50, "socket writes for 1000 pipelined replies: " + writes);
        }
    }

    @Test
    void completeRequestsAreAnsweredWhileTheNextOneIsStillArriving() {
        try (RawClient c = server.raw()) {
            // Two whole requests and the first half of a third: the two replies must not wait for the rest.
            c.send("PING\r\n" + RawClient.encode("ECHO", "one") + "*2\r\n$4\r\nECHO\r\n$3\r\ntw");
            assertEquals("+PONG\r\n", c.readReply());
            assertEquals("$3\r\none\r\n", c.readReply());
            c.send("o\r\n");
            assertEquals("$3\r\ntwo\r\n", c.readReply());
        }
    }

    @Test
    void inlineAndMultibulkRequestsMixInOneBurst() {
        try (RawClient c = server.raw()) {
            c.send("PING\r\n" + RawClient.encode("ECHO", "a") + "ECHO b\r\n" + RawClient.encode("PING"));
            assertEquals("+PONG\r\n", c.readReply());
            assertEquals("$1\r\na\r\n", c.readReply());
            assertEquals("$1\r\nb\r\n", c.readReply());
            assertEquals("+PONG\r\n", c.readReply());
        }
    }

    @Test
    void bytesAfterABulkPayloadAreSkippedLikeRedis() {
        try (RawClient c = server.raw()) {
            // Redis skips the two bytes after a payload unchecked; "PING\r\n" after them is inline.
            c.send("*1\r\n$4\r\nPINGxxPING\r\n");
            assertEquals("+PONG\r\n", c.readReply());
            assertEquals("+PONG\r\n", c.readReply());
        }
    }

    static long writesProcessed(RawClient c) {
        String info = c.call("INFO", "stats");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("total_writes_processed:")) {
                return Long.parseLong(line.substring("total_writes_processed:".length()));
            }
        }
        throw new AssertionError("no total_writes_processed in " + info);
    }
}
