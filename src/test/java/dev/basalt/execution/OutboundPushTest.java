package dev.basalt.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.command.ClientSession;
import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every connection has an outbound path other threads can push whole frames to (pub/sub, MONITOR and
 * client tracking will): a pushed frame never lands inside a reply, and a reader that does not read
 * never blocks the pusher; past the limit it is dropped.
 */
@Timeout(120)
class OutboundPushTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static ClientSession session(String name) {
        for (ClientSession c : server.server().clients().list()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no client named " + name);
    }

    private static byte[] frame(int i) {
        String body = "pushed-" + i;
        return ("*2\r\n$4\r\npush\r\n$" + body.length() + "\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void pushesInterleaveWithPipelinedRepliesOnlyBetweenFrames() throws Exception {
        int replies = 300;
        int pushes = 2_000;
        try (RawClient c = server.raw(); RawClient setup = server.raw()) {
            String[] elements = new String[1002];
            elements[0] = "RPUSH";
            elements[1] = "push:big";
            for (int i = 2; i < elements.length; i++) {
                elements[i] = "element-" + i;
            }
            setup.call(elements);
            assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "pushme"));
            ClientSession target = session("pushme");
            String lrange = RawClient.encode("LRANGE", "push:big", "0", "-1");
            String expectedReply = setup.call("LRANGE", "push:big", "0", "-1");
            Thread pusher = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < pushes; i++) {
                    assertTrue(target.channel().push(frame(i)));
                }
            });
            c.send(lrange.repeat(replies));
            int gotReplies = 0;
            int gotPushes = 0;
            while (gotReplies < replies || gotPushes < pushes) {
                String r = c.readReply();
                if (r.startsWith("*2\r\n$4\r\npush\r\n")) {
                    assertEquals(new String(frame(gotPushes), StandardCharsets.US_ASCII), r, "pushes in order");
                    gotPushes++;
                } else {
                    assertEquals(expectedReply, r, "reply " + gotReplies + " whole");
                    gotReplies++;
                }
            }
            pusher.join();
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void aClientThatNeverReadsIsDroppedWithoutBlockingThePusher() throws Exception {
        try (RawClient slow = server.raw(); RawClient observer = server.raw()) {
            assertEquals("+OK\r\n", slow.call("CLIENT", "SETNAME", "neverreads"));
            ClientSession target = session("neverreads");
            byte[] big = new byte[64 * 1024];
            java.util.Arrays.fill(big, (byte) 'x');
            byte[] frame = ("$" + big.length + "\r\n" + new String(big, StandardCharsets.US_ASCII) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            AtomicInteger accepted = new AtomicInteger();
            // 64 MB, twice the limit: a pusher that waited for this reader would never finish.
            Thread pusher = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 1024; i++) {
                    if (target.channel().push(frame)) {
                        accepted.incrementAndGet();
                    }
                }
            });
            Await.until("the pusher finishes without waiting for the reader", () -> !pusher.isAlive());
            assertTrue(accepted.get() < 1024, "every push was accepted: " + accepted.get());
            Await.until("the slow client is dropped", () -> !observer.call("CLIENT", "LIST").contains("name=neverreads"));
            assertFalse(target.channel().push(frame));
            assertEquals("+PONG\r\n", observer.call("PING"));
        }
    }
}
