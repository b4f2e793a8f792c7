package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A thousand connections open at once, each pipelining a hundred PINGs, all answered in full. */
class ManyConnectionsTest {
    private static final int CONNECTIONS = 1000;
    private static final int PINGS = 100;

    @Test
    void thousandConcurrentConnectionsEachGetTheirHundredReplies() throws Exception {
        byte[] burst = "*1\r\n$4\r\nPING\r\n".repeat(PINGS).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = "+PONG\r\n".repeat(PINGS).getBytes(StandardCharsets.US_ASCII);
        try (TestServer s = TestServer.start(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch allConnected = new CountDownLatch(CONNECTIONS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                results.add(pool.submit(() -> {
                    try (Socket socket = new Socket("127.0.0.1", s.port())) {
                        socket.setSoTimeout(60_000);
                        allConnected.countDown();
                        go.await();
                        OutputStream out = socket.getOutputStream();
                        out.write(burst);
                        out.flush();
                        InputStream in = socket.getInputStream();
                        return in.readNBytes(expected.length);
                    }
                }));
            }
            assertTrue(allConnected.await(60, TimeUnit.SECONDS), "connections opened");
            // Every socket is accepted and registered before the bursts start.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (s.server().clients().count() < CONNECTIONS && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(CONNECTIONS, s.server().clients().count());
            go.countDown();
            for (Future<byte[]> r : results) {
                assertEquals(new String(expected, StandardCharsets.US_ASCII),
                        new String(r.get(60, TimeUnit.SECONDS), StandardCharsets.US_ASCII));
            }
        }
    }
}
