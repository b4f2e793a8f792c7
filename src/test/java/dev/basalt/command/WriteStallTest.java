package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The failure Basalt exists to get right, with a real RocksDB write stall (DEBUG WRITE-STALL pauses
 * flushes and compactions; small memtables fill up).
 */
class WriteStallTest {
    private static final String BIG = "x".repeat(64 * 1024);

    private static Map<String, String> stallConfig(boolean noSlowdown) {
        return Map.of("rocksdb.write_buffer_size", "1", "rocksdb.max_write_buffer_number", "2",
                "rocksdb.write_options.no_slowdown", noSlowdown ? "yes" : "no");
    }

    /** SETs big values until one fails; returns the error reply. */
    private static String fillUntilStall(RawClient c) {
        for (int i = 0; i < 10_000; i++) {
            String r = c.call("SET", "fill" + i, BIG);
            if (!r.equals("+OK\r\n")) {
                return r;
            }
        }
        throw new AssertionError("no stall after 10,000 writes");
    }

    @Test
    void execDuringStallAnswersOneErrorAndStaysInStep() throws Exception {
        try (TestServer s = TestServer.start(stallConfig(true)); RawClient c = s.raw(); RawClient other = s.raw()) {
            assertEquals("+OK\r\n", c.call("DEBUG", "WRITE-STALL", "on"));
            assertEquals("-ERR Incomplete: Write stall\r\n", fillUntilStall(c));
            // The next command on the same connection answers correctly.
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals("+PONG\r\n", other.call("PING"));

            c.send(RawClient.encode("MULTI") + RawClient.encode("SET", "a", "b") + RawClient.encode("EXEC")
                    + RawClient.encode("PING") + RawClient.encode("GET", "a"));
            String expected = "+OK\r\n+QUEUED\r\n-ERR EXEC aborted, no command applied: Incomplete: Write stall\r\n"
                    + "+PONG\r\n$-1\r\n";
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                got.append(c.readReply());
            }
            assertEquals(expected, got.toString());
            // Exactly five replies: nothing more is pending on the connection.
            assertEquals("$4\r\nmark\r\n", c.call("ECHO", "mark"));

            // A transaction without writes still works on the stalled database.
            c.call("MULTI");
            c.call("GET", "a");
            assertEquals("*1\r\n$-1\r\n", c.call("EXEC"));

            assertEquals("+OK\r\n", other.call("DEBUG", "WRITE-STALL", "off"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String r;
            do {
                r = c.call("SET", "a", "b");
                if (!r.equals("+OK\r\n")) {
                    Thread.sleep(20);
                }
            } while (!r.equals("+OK\r\n") && System.nanoTime() < deadline);
            assertEquals("+OK\r\n", r);
            c.call("MULTI");
            c.call("SET", "t", "1");
            assertEquals("*1\r\n+OK\r\n", c.call("EXEC"));
            assertEquals("$1\r\nb\r\n", c.call("GET", "a"));
        }
    }

    @Test
    void delayedWriteDoesNotFreezeOtherConnections() throws Exception {
        try (TestServer s = TestServer.start(stallConfig(false)); RawClient writer = s.raw();
                RawClient admin = s.raw(); RawClient pinger = s.raw()) {
            assertEquals("+OK\r\n", admin.call("DEBUG", "WRITE-STALL", "on"));
            // Without no_slowdown the writes wait instead of failing: write until one does not return.
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            CompletableFuture<String> stuck = CompletableFuture.supplyAsync(() -> {
                for (int i = 0; i < 10_000 && !stop.get(); i++) {
                    String r = writer.call("SET", "fill" + i, BIG);
                    if (!r.equals("+OK\r\n")) {
                        return r;
                    }
                }
                return stop.get() ? "done" : "never stalled";
            });
            // Wait until the writer is stuck (no completion for a while), then check PING elsewhere.
            boolean stalled = false;
            for (int i = 0; i < 100 && !stalled; i++) {
                try {
                    String r = stuck.get(200, TimeUnit.MILLISECONDS);
                    throw new AssertionError("writer finished without stalling: " + r);
                } catch (java.util.concurrent.TimeoutException e) {
                    stalled = true;
                }
            }
            assertTrue(stalled);
            for (int i = 0; i < 50; i++) {
                assertEquals("+PONG\r\n", pinger.call("PING"));
            }
            stop.set(true);
            assertEquals("+OK\r\n", admin.call("DEBUG", "WRITE-STALL", "off"));
            // The delayed write completes (successfully) once flushes resume.
            assertEquals("done", stuck.get(60, TimeUnit.SECONDS));
        }
    }
}
