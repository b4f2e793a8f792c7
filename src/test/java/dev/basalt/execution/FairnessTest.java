package dev.basalt.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Virtual threads are never preempted and run on one carrier here (the tests run as Basalt runs on 2
 * cores), so a long command or a busy client must let others run: while two clients' long scans or two
 * endless pipelines are running, a third client's commands are answered before either ends.
 */
@Timeout(180)
class FairnessTest {
    private static final int ELEMENTS = 1_000_000;

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void twoLongReadsDoNotHoldUpAThirdClient() throws Exception {
        try (RawClient setup = server.raw()) {
            StringBuilder pipeline = new StringBuilder();
            int batches = ELEMENTS / 1000;
            for (int b = 0; b < batches; b++) {
                String[] args = new String[1002];
                args[0] = "RPUSH";
                args[1] = "fair:list";
                for (int i = 0; i < 1000; i++) {
                    args[i + 2] = "element-" + (b * 1000 + i);
                }
                pipeline.append(RawClient.encode(args));
            }
            setup.send(pipeline.toString());
            for (int b = 0; b < batches; b++) {
                setup.readReply();
            }
            assertEquals(":" + ELEMENTS + "\r\n", setup.call("LLEN", "fair:list"));
        }
        try (Socket a = new Socket("127.0.0.1", server.port()); Socket b = new Socket("127.0.0.1", server.port());
                RawClient observer = server.raw()) {
            // LPOS for an element that is not there walks the whole list and answers one short line at the end.
            byte[] lpos = RawClient.encode("LPOS", "fair:list", "absent", "MAXLEN", "0").getBytes(StandardCharsets.UTF_8);
            a.getOutputStream().write(lpos);
            b.getOutputStream().write(lpos);
            // CLIENT LIST from a third client shows both clients in LPOS while neither reply has come: it
            // was answered while both scans ran. Had they held both carriers it could only have been
            // answered after one of them finished.
            Await.until("a third client answered while both scans run", () -> {
                String list = observer.call("CLIENT", "LIST");
                return list.split("cmd=lpos", -1).length - 1 >= 2 && available(a) == 0 && available(b) == 0;
            });
            assertEquals("+PONG\r\n", observer.call("PING"));
            assertEquals("$-1\r\n", readLine(a.getInputStream()));
            assertEquals("$-1\r\n", readLine(b.getInputStream()));
        }
    }

    @Test
    void aKeyspaceWalkHoldsNoLockOverWrites() throws Exception {
        try (RawClient setup = server.raw()) {
            StringBuilder pipeline = new StringBuilder();
            int batches = 400;
            for (int b = 0; b < batches; b++) {
                String[] args = new String[2001];
                args[0] = "MSET";
                for (int i = 0; i < 1000; i++) {
                    args[1 + 2 * i] = "walk:" + (b * 1000 + i);
                    args[2 + 2 * i] = "v";
                }
                pipeline.append(RawClient.encode(args));
            }
            setup.send(pipeline.toString());
            for (int b = 0; b < batches; b++) {
                setup.readReply();
            }
        }
        try (Socket a = new Socket("127.0.0.1", server.port()); RawClient observer = server.raw()) {
            a.getOutputStream().write(RawClient.encode("KEYS", "*nomatch*").getBytes(StandardCharsets.UTF_8));
            // Writes and DBSIZE are answered while KEYS walks the keyspace (which once held the keyspace lock).
            Await.until("a write answered while KEYS runs", () -> {
                boolean walking = observer.call("CLIENT", "LIST").contains("cmd=keys");
                boolean written = observer.call("SET", "walk:during", "1").equals("+OK\r\n");
                return walking && written && available(a) == 0;
            });
            assertEquals("*0\r\n", readLine(a.getInputStream()));
        }
    }

    /**
     * Two clients that pipeline without ever pausing always find their next request after a yield, so their
     * connections never park; a third client, woken by the socket poller, still gets its answers while both
     * go on (with one carrier, as on a 2-core machine, nothing else would make them give way).
     */
    @Test
    void twoClientsThatNeverPauseDoNotHoldUpAThird() throws Exception {
        try (Flood a = new Flood(server.port()); Flood b = new Flood(server.port());
                Socket observer = new Socket("127.0.0.1", server.port())) {
            Await.until("both floods answered", () -> a.replyBytes() > 1_000_000 && b.replyBytes() > 1_000_000);
            observer.setSoTimeout(5_000); // a starved PING fails here instead of waiting for the floods to end
            long aBefore = a.replyBytes();
            long bBefore = b.replyBytes();
            byte[] ping = RawClient.encode("PING").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 20; i++) {
                observer.getOutputStream().write(ping);
                assertEquals("+PONG\r\n", readLine(observer.getInputStream()));
            }
            assertTrue(a.replyBytes() > aBefore && b.replyBytes() > bBefore, "both floods went on meanwhile");
        }
    }

    /** A client writing GETs without pause from one platform thread and reading the replies from another. */
    private static final class Flood implements AutoCloseable {
        private final Socket socket;
        private final java.util.concurrent.atomic.AtomicLong replyBytes = new java.util.concurrent.atomic.AtomicLong();
        private final Thread writer;
        private final Thread reader;

        Flood(int port) throws java.io.IOException {
            socket = new Socket("127.0.0.1", port);
            byte[] block = RawClient.encode("GET", "fair:flood").repeat(2000).getBytes(StandardCharsets.UTF_8);
            writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        socket.getOutputStream().write(block);
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            reader = Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[1 << 16];
                try {
                    int n;
                    while ((n = socket.getInputStream().read(buf)) > 0) {
                        replyBytes.addAndGet(n);
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
        }

        long replyBytes() {
            return replyBytes.get();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            writer.join(10_000);
            reader.join(10_000);
        }
    }

    private static int available(Socket s) {
        try {
            return s.getInputStream().available();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return sb.toString();
    }
}
