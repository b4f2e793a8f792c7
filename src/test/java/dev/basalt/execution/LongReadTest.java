package dev.basalt.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import dev.basalt.testutil.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A read still walking after its first slice starts over on a platform thread (INFO long_reads_moved
 * counts each move): its reply is exactly what it would have been, whole even though it spills to the
 * socket from that thread, after the earlier writes of its burst, from one commit's view, and with no
 * pushed frame inside it.
 */
@Timeout(180)
class LongReadTest {
    /** Far more than one 0.5 ms slice of walking, and a reply (~2 MB) well past the 256 KB spill point. */
    private static final int ELEMENTS = 200_000;

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void aLongReadMovesAndAnswersInFull() {
        try (RawClient c = server.raw()) {
            List<String> elements = fill(c, "long:full", ELEMENTS);
            long before = moved(c);
            assertEquals(array(elements), c.call("LRANGE", "long:full", "0", "-1"));
            assertTrue(moved(c) > before, "the read moved to a platform thread");
            assertEquals("+PONG\r\n", c.call("PING"), "the connection is in step after it");
        }
    }

    @Test
    void aMovedReadSeesTheWritesBeforeItInItsBurst() {
        try (RawClient c = server.raw()) {
            List<String> elements = new ArrayList<>(fill(c, "long:burst", ELEMENTS));
            long before = moved(c);
            // Both requests arrive together, so they share one burst and one Txn: the moved read runs
            // on another thread over that Txn, which holds the RPUSH not yet committed.
            c.send(RawClient.encode("RPUSH", "long:burst", "tail") + RawClient.encode("LRANGE", "long:burst", "0", "-1"));
            assertEquals(":" + (ELEMENTS + 1) + "\r\n", c.readReply());
            elements.add("tail");
            assertEquals(array(elements), c.readReply());
            assertTrue(moved(c) > before, "the read moved to a platform thread");
        }
    }

    /** A transaction rotates the list (push the next number, pop the first): every whole view is consecutive. */
    @Test
    void aMovedReadSeesOneCommitWhileWritersGoOn() throws Exception {
        int n = ELEMENTS / 2;
        try (RawClient c = server.raw()) {
            fill(c, "long:rotating", n);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailed = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try (RawClient w = server.raw()) {
                for (int next = n; !stop.get(); next++) {
                    w.send(RawClient.encode("MULTI") + RawClient.encode("RPUSH", "long:rotating", String.valueOf(next))
                            + RawClient.encode("LPOP", "long:rotating") + RawClient.encode("EXEC"));
                    for (int i = 0; i < 4; i++) {
                        w.readReply();
                    }
                }
            } catch (Throwable t) {
                writerFailed.set(t);
            }
        });
        try (RawClient r = server.raw()) {
            long before = moved(r);
            for (int round = 0; round < 5; round++) {
                String[] lines = r.call("LRANGE", "long:rotating", "0", "-1").split("\r\n");
                assertEquals("*" + n, lines[0]);
                long first = Long.parseLong(lines[2]);
                for (int i = 0; i < n; i++) {
                    assertEquals(String.valueOf(first + i), lines[2 + 2 * i], "element " + i + " of round " + round);
                }
            }
            assertTrue(moved(r) >= before + 5, "every read moved");
        } finally {
            stop.set(true);
            writer.join();
        }
        assertEquals(null, writerFailed.get());
    }

    @Test
    void pushesNeverLandInsideAMovedReadsReply() throws Exception {
        List<String> elements;
        try (RawClient c = server.raw()) {
            elements = fill(c, "long:pushed", ELEMENTS);
        }
        String expected = array(elements);
        int messages = 2_000;
        try (RawClient sub = server.raw(); RawClient pub = server.raw()) {
            sub.call("HELLO", "3");
            assertTrue(sub.call("SUBSCRIBE", "long:ch").startsWith(">3"));
            long before = moved(pub);
            Thread publisher = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < messages; i++) {
                    pub.call("PUBLISH", "long:ch", "m" + i);
                }
            });
            int pushes = 0;
            int reads = 0;
            for (int round = 0; round < 3; round++) {
                sub.send(RawClient.encode("LRANGE", "long:pushed", "0", "-1"));
                String frame;
                while ((frame = sub.readReply()).startsWith(">")) {
                    assertEquals(message(pushes), frame);
                    pushes++;
                }
                assertEquals(expected, frame, "round " + round);
                reads++;
            }
            publisher.join();
            while (pushes < messages) {
                assertEquals(message(pushes), sub.readReply());
                pushes++;
            }
            assertEquals(3, reads);
            assertTrue(moved(pub) >= before + 3, "every read moved");
        }
    }

    /**
     * SHUTDOWN with a moved read stuck writing to a client that never reads (its reply, ~13 MB, is far more
     * than the socket buffers hold): after the grace period the client's socket closes, so the read ends
     * before the storage closes under its iterator.
     */
    @Test
    void stoppingEndsAMovedReadStuckOnAClientThatDoesNotRead() throws Exception {
        try (TestServer stopped = TestServer.start()) {
            try (RawClient setup = stopped.raw()) {
                fill(setup, "long:stuck", 5 * ELEMENTS);
            }
            try (Socket stuck = new Socket(); RawClient observer = stopped.raw()) {
                stuck.setReceiveBufferSize(4096);
                stuck.connect(new InetSocketAddress("127.0.0.1", stopped.port()));
                stuck.getOutputStream().write(RawClient.encode("LRANGE", "long:stuck", "0", "-1")
                        .getBytes(StandardCharsets.UTF_8));
                Await.until("the read moved", () -> moved(observer) == 1);
                // It spills a part every 256 KB, a few milliseconds apart: output that stops growing for
                // half a second means the read waits on the socket.
                // INFO's own replies count in the server's output too: what the observer received is taken off.
                long[] last = {-1, System.nanoTime()};
                long[] ownReplies = {0};
                Await.until("the read is stuck writing to the client", () -> {
                    String info = observer.call("INFO", "stats");
                    long out = statsField(info, "total_net_output_bytes") - ownReplies[0];
                    ownReplies[0] += info.length();
                    if (out != last[0]) {
                        last[0] = out;
                        last[1] = System.nanoTime();
                        return false;
                    }
                    return out > 1_000_000 && System.nanoTime() - last[1] > 500_000_000L;
                });
                stopped.stop();
                assertTrue(stopped.server().dispatcher().awaitLongReads(0), "no long read outlived the storage");
            }
        }
    }

    private static int available(Socket s) {
        try {
            return s.getInputStream().available();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String message(int i) {
        String m = "m" + i;
        return ">3\r\n$7\r\nmessage\r\n$7\r\nlong:ch\r\n$" + m.length() + "\r\n" + m + "\r\n";
    }

    /** RPUSHes the numbers 0..n-1 and returns them as strings. */
    private static List<String> fill(RawClient c, String key, int n) {
        List<String> all = new ArrayList<>(n);
        StringBuilder pipeline = new StringBuilder();
        int batches = 0;
        for (int start = 0; start < n; start += 1000) {
            List<String> args = new ArrayList<>(List.of("RPUSH", key));
            for (int i = start; i < Math.min(n, start + 1000); i++) {
                args.add(String.valueOf(i));
                all.add(String.valueOf(i));
            }
            pipeline.append(RawClient.encode(args.toArray(new String[0])));
            batches++;
        }
        c.send(pipeline.toString());
        for (int b = 0; b < batches; b++) {
            c.readReply();
        }
        assertEquals(":" + n + "\r\n", c.call("LLEN", key));
        return all;
    }

    private static String array(List<String> elements) {
        StringBuilder sb = new StringBuilder("*").append(elements.size()).append("\r\n");
        for (String e : elements) {
            sb.append('$').append(e.length()).append("\r\n").append(e).append("\r\n");
        }
        return sb.toString();
    }

    private static long moved(RawClient c) {
        return statsField(c.call("INFO", "stats"), "long_reads_moved");
    }

    /** A number from INFO stats' text. */
    private static long statsField(String info, String field) {
        Matcher m = Pattern.compile("\r\n" + field + ":(\\d+)\r\n").matcher(info);
        assertTrue(m.find(), "INFO stats has " + field);
        return Long.parseLong(m.group(1));
    }
}
