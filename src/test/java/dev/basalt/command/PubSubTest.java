package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pub/sub frames byte for byte, in RESP2 and RESP3, and the RESP2 subscribed-mode rules. */
@Timeout(60)
class PubSubTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    private static String frame(char header, String... parts) {
        StringBuilder sb = new StringBuilder().append(header).append(parts.length).append("\r\n");
        for (String p : parts) {
            sb.append(p.startsWith(":") ? p + "\r\n" : bulk(p));
        }
        return sb.toString();
    }

    @Test
    void resp2SubscribeReceivesMessagesAndPatternMessages() {
        try (RawClient sub = server.raw(); RawClient pub = server.raw()) {
            sub.send(RawClient.encode("SUBSCRIBE", "ps:a", "ps:b"));
            assertEquals(frame('*', "subscribe", "ps:a", ":1"), sub.readReply());
            assertEquals(frame('*', "subscribe", "ps:b", ":2"), sub.readReply());
            assertEquals(frame('*', "psubscribe", "ps:*", ":3"), sub.call("PSUBSCRIBE", "ps:*"));
            assertEquals(":2\r\n", pub.call("PUBLISH", "ps:a", "hello"));
            assertEquals(frame('*', "message", "ps:a", "hello"), sub.readReply());
            assertEquals(frame('*', "pmessage", "ps:*", "ps:a", "hello"), sub.readReply());
            assertEquals(":1\r\n", pub.call("PUBLISH", "ps:zzz", "x"));
            assertEquals(frame('*', "pmessage", "ps:*", "ps:zzz", "x"), sub.readReply());
            assertEquals(":0\r\n", pub.call("PUBLISH", "other", "x"));
            assertEquals(":4\r\n", pub.call("MPUBLISH", "ps:b", "1", "2"));
            assertEquals(frame('*', "message", "ps:b", "1"), sub.readReply());
            assertEquals(frame('*', "pmessage", "ps:*", "ps:b", "1"), sub.readReply());
            assertEquals(frame('*', "message", "ps:b", "2"), sub.readReply());
            assertEquals(frame('*', "pmessage", "ps:*", "ps:b", "2"), sub.readReply());
            assertEquals("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
                    + "are allowed in this context\r\n", sub.call("GET", "x"));
            assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", sub.call("PING"));
            assertEquals("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n", sub.call("PING", "hi"));
            assertTrue(pub.call("CLIENT", "LIST").contains("flags=P db=0 sub=2 psub=1 ssub=0"));
            assertTrue(pub.call("INFO", "stats").contains("pubsub_patterns:1"));
            sub.send(RawClient.encode("UNSUBSCRIBE"));
            assertEquals(frame('*', "unsubscribe", "ps:a", ":2"), sub.readReply());
            assertEquals(frame('*', "unsubscribe", "ps:b", ":1"), sub.readReply());
            assertEquals(frame('*', "punsubscribe", "ps:*", ":0"), sub.call("PUNSUBSCRIBE"));
            assertEquals("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", sub.call("UNSUBSCRIBE"));
            assertEquals("$-1\r\n", sub.call("GET", "ps:nothing"));
            assertEquals("+PONG\r\n", sub.call("PING"));
        }
    }

    @Test
    void resp3PushesInterleaveWithPipelinedReplies() {
        try (RawClient sub = server.raw(); RawClient pub = server.raw()) {
            sub.call("HELLO", "3");
            assertEquals(frame('>', "subscribe", "r3:a", ":1"), sub.call("SUBSCRIBE", "r3:a"));
            // Normal commands keep working beside the subscription.
            assertEquals("+OK\r\n", sub.call("SET", "r3:k", "v"));
            assertEquals(":1\r\n", pub.call("PUBLISH", "r3:a", "m1"));
            assertEquals(frame('>', "message", "r3:a", "m1"), sub.readReply());
            // A pipeline whose middle command publishes to the client itself: the push sits between replies,
            // exactly where Redis puts it.
            sub.send(RawClient.encode("GET", "r3:k") + RawClient.encode("PUBLISH", "r3:a", "self")
                    + RawClient.encode("GET", "r3:k"));
            assertEquals("$1\r\nv\r\n", sub.readReply());
            assertEquals(frame('>', "message", "r3:a", "self"), sub.readReply());
            assertEquals(":1\r\n", sub.readReply());
            assertEquals("$1\r\nv\r\n", sub.readReply());
            assertEquals("+PONG\r\n", sub.call("PING"));
            // Inside EXEC the message cannot go among the replies (they are one array): it follows them.
            assertEquals("+OK\r\n", sub.call("MULTI"));
            assertEquals("+QUEUED\r\n", sub.call("PUBLISH", "r3:a", "in-exec"));
            assertEquals("*1\r\n:1\r\n", sub.call("EXEC"));
            assertEquals(frame('>', "message", "r3:a", "in-exec"), sub.readReply());
            assertEquals(frame('>', "ssubscribe", "r3:s", ":1"), sub.call("SSUBSCRIBE", "r3:s"));
            assertEquals(":1\r\n", pub.call("SPUBLISH", "r3:s", "sm"));
            assertEquals(frame('>', "smessage", "r3:s", "sm"), sub.readReply());
            assertEquals(":0\r\n", pub.call("PUBLISH", "r3:s", "not-a-shard-message"));
            assertEquals("*2\r\n$4\r\nr3:s\r\n:1\r\n", pub.call("PUBSUB", "SHARDNUMSUB", "r3:s"));
            assertEquals("+RESET\r\n", sub.call("RESET"));
            assertEquals("*2\r\n$4\r\nr3:a\r\n:0\r\n", pub.call("PUBSUB", "NUMSUB", "r3:a"));
            assertEquals("*0\r\n", pub.call("PUBSUB", "SHARDCHANNELS"));
        }
    }

    @Test
    void aMessageNeverOvertakesTheSubscribeConfirmation() {
        try (RawClient pub = server.raw()) {
            Thread publisher = Thread.ofVirtual().start(() -> {
                try (RawClient p = server.raw()) {
                    while (!Thread.currentThread().isInterrupted()) {
                        p.call("PUBLISH", "race:ch", "m");
                    }
                }
            });
            try {
                for (int i = 0; i < 200; i++) {
                    try (RawClient sub = server.raw()) {
                        assertEquals(frame('*', "subscribe", "race:ch", ":1"), sub.call("SUBSCRIBE", "race:ch"));
                        assertEquals(frame('*', "message", "race:ch", "m"), sub.readReply());
                    }
                }
            } finally {
                publisher.interrupt();
            }
        }
    }

    @Test
    void pubsubIntrospection() {
        try (RawClient a = server.raw(); RawClient b = server.raw(); RawClient q = server.raw()) {
            a.call("SUBSCRIBE", "in:x");
            b.send(RawClient.encode("SUBSCRIBE", "in:x", "in:y"));
            b.readReply();
            b.readReply();
            b.call("PSUBSCRIBE", "in:p*");
            Await.equal("numsub", "*6\r\n$4\r\nin:x\r\n:2\r\n$4\r\nin:y\r\n:1\r\n$4\r\nin:z\r\n:0\r\n",
                    () -> q.call("PUBSUB", "NUMSUB", "in:x", "in:y", "in:z"));
            String channels = q.call("PUBSUB", "CHANNELS", "in:[xy]");
            assertTrue(channels.startsWith("*2\r\n") && channels.contains("in:x") && channels.contains("in:y"), channels);
            assertEquals(":1\r\n", q.call("PUBSUB", "NUMPAT"));
            assertEquals("-ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.\r\n",
                    q.call("PUBSUB", "channels", "a", "b"));
            assertTrue(q.call("CLIENT", "LIST", "TYPE", "pubsub").split("\n").length >= 2);
        }
        try (RawClient q = server.raw()) {
            Await.equal("subscriptions end with the connection", ":0\r\n", () -> q.call("PUBSUB", "NUMPAT"));
        }
    }

    @Test
    void subscribeInsideMultiRunsAtExec() {
        try (RawClient c = server.raw()) {
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("SUBSCRIBE", "mx"));
            assertEquals("*1\r\n" + frame('*', "subscribe", "mx", ":1"), c.call("EXEC"));
            assertEquals("+RESET\r\n", c.call("RESET"));
            assertEquals("$-1\r\n", c.call("GET", "mx"));
        }
    }
}
