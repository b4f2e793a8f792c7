package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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

    /** RocksDB's own word that writes are stopped (memtables full, flushes paused): "1" or "0". */
    private static String writeStopped(TestServer s) {
        return s.server().storage().property(ColumnFamily.DEFAULT, "rocksdb.is-write-stopped");
    }

    @Test
    void delayedWriteDoesNotFreezeOtherConnections() throws Exception {
        try (TestServer s = TestServer.start(stallConfig(false)); RawClient writer = s.raw();
                RawClient admin = s.raw(); RawClient pinger = s.raw()) {
            assertEquals("0", writeStopped(s));
            assertEquals("+OK\r\n", admin.call("DEBUG", "WRITE-STALL", "on"));
            // Without no_slowdown the writes wait instead of failing: write until RocksDB stops them.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong written = new AtomicLong();
            CompletableFuture<String> stuck = CompletableFuture.supplyAsync(() -> {
                for (int i = 0; i < 10_000 && !stop.get(); i++) {
                    String r = writer.call("SET", "fill" + i, BIG);
                    if (!r.equals("+OK\r\n")) {
                        return r;
                    }
                    written.incrementAndGet();
                }
                return stop.get() ? "done" : "never stalled";
            });
            Await.until("RocksDB reports writes stopped", () -> "1".equals(writeStopped(s)));
            long writtenWhenStopped = written.get();
            for (int i = 0; i < 50; i++) {
                assertEquals("+PONG\r\n", pinger.call("PING"));
            }
            // The stall held throughout: no write completed while the other connection was served.
            assertEquals("1", writeStopped(s));
            assertEquals(writtenWhenStopped, written.get());
            assertFalse(stuck.isDone(), "the writer waits in its write");
            stop.set(true);
            assertEquals("+OK\r\n", admin.call("DEBUG", "WRITE-STALL", "off"));
            // The delayed write completes (successfully) once flushes resume.
            assertEquals("done", stuck.get(60, TimeUnit.SECONDS));
            Await.until("RocksDB reports writes resumed", () -> "0".equals(writeStopped(s)));
        }
    }
}
