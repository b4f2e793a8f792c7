package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A separate server process runs transactions that each set the same 10 keys to one counter value;
 * it is killed with SIGKILL at random moments. After a restart the 10 keys are always equal: a
 * transaction is on disk whole or not at all.
 */
// Longer than the 60 s default: ten kill-and-restart rounds of a separate JVM take ~20 s, far more when loaded.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashAtomicityTest {
    private static final int KEYS = 10;

    @Test
    void killNineNeverLeavesHalfATransaction() throws Exception {
        Path dir = Files.createTempDirectory("basalt-crash");
        Random random = new Random(42);
        try {
            long lastSeen = -1;
            for (int trial = 0; trial < 10; trial++) {
                java.util.concurrent.atomic.AtomicLong lastAcked = new java.util.concurrent.atomic.AtomicLong();
                int port = freePort();
                Process p = startServer(dir, port);
                try {
                    awaitPort(port);
                    long before = readEqualKeys(port);
                    assertTrue(before >= lastSeen, "acknowledged transactions survive restarts");
                    AtomicBoolean acked = new AtomicBoolean();
                    lastAcked.set(before);
                    long start = before + 1;
                    Thread writer = Thread.ofVirtual().start(() -> runTransactions(port, start, acked, lastAcked));
                    long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(400));
                    Await.until("a transaction acknowledged by the server", acked::get);
                    // Then kill at a random moment of the stream of transactions.
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, killAt - System.nanoTime()));
                    p.destroyForcibly(); // SIGKILL
                    p.waitFor(30, TimeUnit.SECONDS);
                    writer.join(10_000);
                } finally {
                    p.destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
                long ackedValue = lastAcked.get();
                int port2 = freePort();
                Process check = startServer(dir, port2);
                try {
                    awaitPort(port2);
                    lastSeen = readEqualKeys(port2);
                    assertTrue(lastSeen >= ackedValue, "every acknowledged transaction survived: on disk "
                            + lastSeen + ", acknowledged " + ackedValue);
                } finally {
                    check.destroyForcibly();
                    check.waitFor(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }

    /** Pipelines MULTI / SET k0..k9 n / EXEC for n = start, start+1, ... until the connection dies. */
    private static void runTransactions(int port, long start, AtomicBoolean acked,
            java.util.concurrent.atomic.AtomicLong lastAcked) {
        try (RawClient c = new RawClient(port)) {
            for (long n = start; ; n++) {
                StringBuilder sb = new StringBuilder(RawClient.encode("MULTI"));
                for (int k = 0; k < KEYS; k++) {
                    sb.append(RawClient.encode("SET", "k" + k, Long.toString(n)));
                }
                sb.append(RawClient.encode("EXEC"));
                c.send(sb.toString());
                for (int i = 0; i < KEYS + 2; i++) {
                    c.readReply();
                }
                lastAcked.set(n);
                acked.set(true);
            }
        } catch (RuntimeException e) {
            // the server was killed
        }
    }

    /** Reads k0..k9, asserts they are all equal, returns the value (0 when none exists yet). */
    private static long readEqualKeys(int port) {
        try (RawClient c = new RawClient(port)) {
            Set<String> values = new HashSet<>();
            List<String> all = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                String r = c.call("GET", "k" + k);
                values.add(r);
                all.add(r);
            }
            assertEquals(1, values.size(), "all 10 keys hold one transaction's value: " + all);
            String r = all.get(0);
            if (r.equals("$-1\r\n")) {
                return 0;
            }
            return Long.parseLong(r.substring(r.indexOf("\r\n") + 2, r.length() - 2));
        }
    }

    private static Process startServer(Path dir, int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.basalt.cli.Main",
                "--port", Integer.toString(port), "--dir", dir.toString(),
                "--rocksdb.block_cache_size", "16", "--log-level", "warning");
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("server did not start on port " + port);
    }
}
