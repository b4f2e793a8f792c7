package dev.basalt.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.Storage;
import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import dev.basalt.testutil.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pipelined requests run as bursts: the data commands already buffered together share one Txn and
 * one commit, and every command still gets exactly the reply it would have had alone.
 */
@Timeout(120)
class BurstTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static String pipeline(String[]... commands) {
        StringBuilder sb = new StringBuilder();
        for (String[] c : commands) {
            sb.append(RawClient.encode(c));
        }
        return sb.toString();
    }

    private static String replies(RawClient c, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(c.readReply());
        }
        return sb.toString();
    }

    /** The replies the commands get one at a time, each waiting for the previous reply. */
    private static String oneByOne(RawClient c, String[]... commands) {
        StringBuilder sb = new StringBuilder();
        for (String[] cmd : commands) {
            sb.append(c.call(cmd));
        }
        return sb.toString();
    }

    @Test
    void pipelinedWritesShareCommits() {
        Storage storage = server.server().storage();
        try (RawClient c = server.raw()) {
            String[][] sets = new String[200][];
            for (int i = 0; i < sets.length; i++) {
                sets[i] = new String[] {"SET", "burst:" + i, "v" + i};
            }
            long before = storage.commitCount();
            c.send(pipeline(sets));
            assertEquals("+OK\r\n".repeat(200), replies(c, 200));
            long commits = storage.commitCount() - before;
            assertTrue(commits >= 1 && commits <= 20, "200 pipelined SETs took " + commits + " commits");
            assertEquals("$4\r\nv199\r\n", c.call("GET", "burst:199"));
        }
    }

    @Test
    void laterCommandsOfABurstReadEarlierOnesWrites() {
        try (RawClient c = server.raw()) {
            c.send(pipeline(new String[] {"SET", "ryw", "v1"}, new String[] {"GET", "ryw"},
                    new String[] {"APPEND", "ryw", "x"}, new String[] {"GET", "ryw"}, new String[] {"DEL", "ryw"},
                    new String[] {"GET", "ryw"}, new String[] {"RPUSH", "ryw:l", "a", "b"},
                    new String[] {"LRANGE", "ryw:l", "0", "-1"}));
            assertEquals("+OK\r\n$2\r\nv1\r\n:3\r\n$3\r\nv1x\r\n:1\r\n$-1\r\n:2\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n", replies(c, 8));
        }
    }

    @Test
    void aBurstWhoseCommitFailsAnswersEachCommandAsAlone() {
        String[][] commands = {
            {"GET", "kept"}, {"SET", "fw:a", "1"}, {"GET", "fw:a"}, {"INCR", "fw:n"}, {"GET", "fw:n"},
            {"RPUSH", "fw:l", "x"}, {"LLEN", "fw:l"}, {"INCR", "kept"}, {"GET", "kept"}, {"HSET", "fw:h", "f", "v"},
        };
        try (RawClient c = server.raw(); RawClient admin = server.raw()) {
            assertEquals("+OK\r\n", c.call("SET", "kept", "old"));
            assertEquals("+OK\r\n", admin.call("DEBUG", "FAIL-WRITES", "on"));
            try {
                long start = writeFailures(admin);
                String alone = oneByOne(c, commands);
                long aloneFailures = writeFailures(admin) - start;
                assertEquals(4, aloneFailures); // SET, INCR, RPUSH, HSET; INCR of "old" is not a write failure
                c.send(pipeline(commands) + RawClient.encode("PING"));
                assertEquals(alone, replies(c, commands.length));
                assertEquals("+PONG\r\n", c.readReply());
                // Each failed write counts once, as it did alone.
                assertEquals(aloneFailures, writeFailures(admin) - start - aloneFailures);
                assertTrue(alone.startsWith("$3\r\nold\r\n-ERR IO error: injected by DEBUG FAIL-WRITES\r\n$-1\r\n"), alone);
            } finally {
                admin.call("DEBUG", "FAIL-WRITES", "off");
            }
            assertEquals("$3\r\nold\r\n", c.call("GET", "kept"));
            assertEquals(":0\r\n", c.call("EXISTS", "fw:a", "fw:n", "fw:l", "fw:h"));
        }
    }

    private static long writeFailures(RawClient c) {
        String info = c.call("INFO", "stats");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("write_failures:")) {
                return Long.parseLong(line.substring("write_failures:".length()));
            }
        }
        throw new AssertionError("no write_failures in INFO stats");
    }

    private static final String BIG = "x".repeat(64 * 1024);

    /** SETs big values until one fails with a stall; the stall is RocksDB's (its write-stopped state). */
    private static void stall(TestServer s, RawClient c) {
        assertEquals("+OK\r\n", c.call("DEBUG", "WRITE-STALL", "on"));
        for (int i = 0; i < 10_000; i++) {
            String r = c.call("SET", "fill" + i, BIG);
            if (!r.equals("+OK\r\n")) {
                assertEquals("-ERR Incomplete: Write stall\r\n", r);
                assertEquals("1", s.server().storage().property(ColumnFamily.DEFAULT, "rocksdb.is-write-stopped"));
                return;
            }
        }
        throw new AssertionError("no stall after 10,000 writes");
    }

    @Test
    void aBurstInAWriteStallAnswersEachCommandItsOwnStallError() {
        Map<String, String> config = Map.of("rocksdb.write_buffer_size", "1", "rocksdb.max_write_buffer_number", "2",
                "rocksdb.write_options.no_slowdown", "yes");
        String[][] commands = {{"GET", "s:a"}, {"SET", "s:a", "1"}, {"GET", "s:a"}, {"LPUSH", "s:l", "x"},
            {"EXISTS", "s:l"}, {"SET", "s:b", "2"}};
        try (TestServer s = TestServer.start(config); RawClient c = s.raw()) {
            stall(s, c);
            String alone = oneByOne(c, commands);
            assertEquals("$-1\r\n-ERR Incomplete: Write stall\r\n$-1\r\n-ERR Incomplete: Write stall\r\n:0\r\n"
                    + "-ERR Incomplete: Write stall\r\n", alone);
            c.send(pipeline(commands) + RawClient.encode("ECHO", "in step"));
            assertEquals(alone, replies(c, commands.length));
            assertEquals("$7\r\nin step\r\n", c.readReply());
        }
    }

    @Test
    void aStalledBurstWaitsOffTheCarriersAndCommitsWhenTheStallEnds() throws Exception {
        Map<String, String> config = Map.of("rocksdb.write_buffer_size", "1", "rocksdb.max_write_buffer_number", "2",
                "rocksdb.write_options.no_slowdown", "no");
        try (TestServer s = TestServer.start(config); RawClient filler = s.raw(); RawClient other = s.raw();
                RawClient third = s.raw()) {
            Storage storage = s.server().storage();
            assertEquals("+OK\r\n", third.call("DEBUG", "WRITE-STALL", "on"));
            // Without no_slowdown a stalled write waits: fill (in the background, since the last write
            // waits) until RocksDB reports writes stopped.
            java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
            Thread fill = Thread.ofVirtual().start(() -> {
                for (int i = 0; !stopped.get(); i++) {
                    filler.call("SET", "wait:" + i, BIG);
                }
            });
            Await.until("RocksDB stops writes", () -> "1".equals(storage.property(ColumnFamily.DEFAULT, "rocksdb.is-write-stopped")));
            stopped.set(true);
            other.send(pipeline(new String[] {"SET", "late:a", "1"}, new String[] {"INCR", "late:n"}));
            Await.until("the burst's commit meets the stall and waits on the committer", () -> storage.stalledCommitCount() > 0);
            // Reads and PING on other connections go on while the stalled writes wait.
            for (int i = 0; i < 20; i++) {
                assertEquals("+PONG\r\n", third.call("PING"));
                assertEquals("$-1\r\n", third.call("GET", "late:a"));
            }
            assertEquals("1", storage.property(ColumnFamily.DEFAULT, "rocksdb.is-write-stopped"));
            assertEquals("+OK\r\n", third.call("DEBUG", "WRITE-STALL", "off"));
            assertEquals("+OK\r\n:1\r\n", replies(other, 2));
            assertEquals("$1\r\n1\r\n", other.call("GET", "late:a"));
            fill.join();
        }
    }

    @Test
    void aClientThatNeverStopsSendingGetsRepliesAsItsBurstsCommit() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            AtomicLong received = new AtomicLong();
            Thread reader = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[64 * 1024];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        received.addAndGet(n);
                    }
                } catch (IOException e) {
                    // socket closed at the end
                }
            });
            byte[] chunk = pipeline(java.util.stream.IntStream.range(0, 1000)
                    .mapToObj(i -> new String[] {"SET", "stream:" + i, "v"}).toArray(String[][]::new))
                    .getBytes(StandardCharsets.UTF_8);
            // Keep the server's input full; the first replies must come while the client is still sending.
            for (int i = 0; i < 50 && received.get() == 0; i++) {
                out.write(chunk);
            }
            Await.until("a reply while the client keeps sending", () -> received.get() > 0);
            out.write(chunk);
            Await.until("all replies", () -> received.get() % 5 == 0 && received.get() > 0
                    && "+OK\r\n".length() * 1000L <= received.get());
            socket.close();
            reader.join();
        }
    }

    @Test
    void aBurstThatFeedsABlockedClientStopsThereUntilItIsServed() {
        try (RawClient waiter = server.raw(); RawClient pusher = server.raw()) {
            dev.basalt.testutil.BlockedClients.sendAndAwait(waiter, pusher, "BLPOP", "bq", "0");
            pusher.send(pipeline(new String[] {"SET", "bq:before", "1"}, new String[] {"RPUSH", "bq", "a", "b"},
                    new String[] {"LPOP", "bq"}, new String[] {"LLEN", "bq"}));
            assertEquals("+OK\r\n:2\r\n$1\r\nb\r\n:0\r\n", replies(pusher, 4));
            assertEquals("*2\r\n$2\r\nbq\r\n$1\r\na\r\n", waiter.readReply());
        }
    }
}
