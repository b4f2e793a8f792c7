package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import dev.basalt.util.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subscriber that stops reading is dropped once its unread messages pass client-output-buffer-limit
 * (the pubsub class), with a log line, while PUBLISH goes on answering everyone else.
 */
@Timeout(120)
class SlowSubscriberTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer(Map.of("client-output-buffer-limit", "pubsub 1mb 0 0"));

    /** A subscriber that sends SUBSCRIBE, reads its confirmation, and then never reads again. */
    private static Socket stalledSubscriber(String channel) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
        OutputStream out = s.getOutputStream();
        out.write(RawClient.encode("SUBSCRIBE", channel).getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] confirmation = ("*3\r\n$9\r\nsubscribe\r\n$" + channel.length() + "\r\n" + channel + "\r\n:1\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(new String(confirmation, StandardCharsets.UTF_8),
                new String(in.readNBytes(confirmation.length), StandardCharsets.UTF_8));
        return s;
    }

    @Test
    void aSubscriberOverTheHardLimitIsDroppedWhilePublishKeepsAnswering() throws Exception {
        Path logDir = Files.createTempDirectory("basalt-slowsub");
        Log.setDirectory(logDir.toString());
        try (Socket slow = stalledSubscriber("slow:ch"); RawClient pub = server.raw(); RawClient other = server.raw()) {
            other.call("SUBSCRIBE", "slow:other");
            String message = "x".repeat(16 * 1024);
            int published = 0;
            // 1 MB allowed: far fewer than 4096 messages of 16 KB reach it; without the limit this would hold 64 MB.
            while (!pub.call("PUBSUB", "NUMSUB", "slow:ch").endsWith(":0\r\n")) {
                String r = pub.call("PUBLISH", "slow:ch", message);
                assertTrue(r.equals(":1\r\n") || r.equals(":0\r\n"), r);
                published++;
                assertTrue(published < 4096, "the stalled subscriber is still subscribed after " + published);
            }
            // Everyone else is served as before.
            assertEquals(":1\r\n", pub.call("PUBLISH", "slow:other", "still here"));
            assertEquals("*3\r\n$7\r\nmessage\r\n$10\r\nslow:other\r\n$10\r\nstill here\r\n", other.readReply());
            Path log = logDir.resolve("basalt.log");
            Await.until("the drop is logged", () -> {
                try {
                    return Files.readString(log).contains("closed for overcoming of output buffer limits");
                } catch (IOException e) {
                    return false;
                }
            });
        } finally {
            Log.setDirectory("stdout");
        }
    }

    @Test
    void theSoftLimitDropsASubscriberThatStaysOverItTooLong() throws Exception {
        try (RawClient admin = server.raw()) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 256kb 1"));
            assertEquals("*2\r\n$26\r\nclient-output-buffer-limit\r\n$58\r\nnormal 0 0 0 slave 268435456 67108864 60 "
                    + "pubsub 0 262144 1\r\n", admin.call("CONFIG", "GET", "client-output-buffer-limit"));
            try (Socket slow = stalledSubscriber("soft:ch"); RawClient pub = server.raw()) {
                String message = "y".repeat(8 * 1024);
                Await.until("the subscriber over the soft limit for over a second is dropped", () -> {
                    pub.call("PUBLISH", "soft:ch", message);
                    return pub.call("PUBSUB", "NUMSUB", "soft:ch").endsWith(":0\r\n");
                });
            } finally {
                admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0");
            }
        }
    }
}
