package dev.basalt.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * request-memory-limit bounds the heap clients' requests hold at once (beyond each request's first
 * megabyte): a request over it is read, dropped and answered with an error in its own place, the
 * connection stays in step, other clients go on, and the memory comes back.
 */
@Timeout(120)
class RequestMemoryTest {
    private static final int MB = 1024 * 1024;

    @Test
    void aRequestOverTheLimitIsRefusedInItsOwnPlace() throws Exception {
        try (TestServer s = TestServer.start(Map.of("request-memory-limit", Integer.toString(8 * MB)));
                RawClient c = s.raw(); RawClient other = s.raw()) {
            // 6 MB: 5 MB beyond the free first megabyte, within the 8 MB budget.
            assertEquals("+OK\r\n", c.call("SET", "fits", "x".repeat(6 * MB)));
            assertEquals(":" + 6 * MB + "\r\n", c.call("STRLEN", "fits"));

            // 12 MB cannot be held: its bytes are read and dropped, it gets its error, the next request runs.
            c.send(bulkSet("toolarge", 12 * MB) + RawClient.encode("PING"));
            assertEquals("-ERR request too large for the memory requests may use right now; try again\r\n", c.readReply());
            assertEquals("+PONG\r\n", c.readReply());
            assertEquals(":0\r\n", c.call("EXISTS", "toolarge"));
            assertEquals("+OK\r\n", other.call("SET", "small", "v"));
            // The refused request gave its memory back: a large request fits again.
            assertEquals("+OK\r\n", c.call("SET", "fits2", "y".repeat(6 * MB)));
        }
    }

    @Test
    void clientsHoldingHalfSentRequestsCannotStarveTheOthers() throws Exception {
        try (TestServer s = TestServer.start(Map.of("request-memory-limit", Integer.toString(8 * MB)));
                RawClient c = s.raw(); Socket a = new Socket("127.0.0.1", s.port());
                Socket b = new Socket("127.0.0.1", s.port())) {
            // Two clients announce 512 MB arguments and send 5 MB of each: together over the budget.
            for (Socket holder : new Socket[] {a, b}) {
                OutputStream out = holder.getOutputStream();
                out.write(("*3\r\n$3\r\nSET\r\n$4\r\nhold\r\n$" + 512 * MB + "\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[MB];
                Arrays.fill(chunk, (byte) 'z');
                for (int i = 0; i < 5; i++) {
                    out.write(chunk);
                }
                out.flush();
            }
            // Small requests need no reservation: they are answered at once.
            assertEquals("+OK\r\n", c.call("SET", "small", "v"));
            assertEquals("$1\r\nv\r\n", c.call("GET", "small"));
        }
    }

    private static String bulkSet(String key, int size) {
        return "*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + size + "\r\n" + "z".repeat(size) + "\r\n";
    }
}
