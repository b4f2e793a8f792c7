package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.command.DbJobs;
import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** BGSAVE, LASTSAVE, FLUSHBACKUP, COMPACT, and the README's restore procedure. */
@Timeout(180)
class BackupTest {
    @TempDir
    Path tmp;

    private static long infoField(RawClient c, String section, String field) {
        for (String line : c.call("INFO", section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no " + field);
    }

    private static String infoText(RawClient c, String section, String field) {
        for (String line : c.call("INFO", section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field);
    }

    private static void awaitIdle(TestServer s) {
        Await.until("the background jobs finish", () -> !s.server().jobs().busy()
                && !s.server().jobs().status().bgsaveInProgress() && !s.server().jobs().status().compacting());
    }

    /** The README's restore: the backup directory becomes dir/db of a new data directory. */
    static Path restore(Path backup, Path newDir) throws Exception {
        Path db = newDir.resolve("db");
        Files.createDirectories(db);
        try (Stream<Path> files = Files.list(backup)) {
            for (Path f : files.toList()) {
                Files.copy(f, db.resolve(f.getFileName()));
            }
        }
        return newDir;
    }

    @Test
    void bgsaveWhileTwentyClientsWriteIsAConsistentBackup() throws Exception {
        Path dir = tmp.resolve("data");
        try (TestServer s = TestServer.start(Map.of("dir", dir.toString())); RawClient admin = s.raw()) {
            for (int i = 0; i < 2000; i++) {
                admin.call("SET", "base:" + i, "value-" + i);
            }
            admin.call("HSET", "base:hash", "f1", "v1", "f2", "v2");
            admin.call("RPUSH", "base:list", "a", "b", "c");
            admin.call("ZADD", "base:zset", "1", "one", "2", "two");
            admin.call("SADD", "base:set", "x", "y");
            admin.call("SET", "base:ttl", "v", "EX", "100000");
            long lastBefore = infoField(admin, "persistence", "last_bgsave_time");
            assertTrue(infoField(admin, "persistence", "rdb_changes_since_last_save") >= 2005);

            int writers = 20;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger[] written = new AtomicInteger[writers];
            AtomicReference<String> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                AtomicInteger n = written[w] = new AtomicInteger();
                int id = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (RawClient c = s.raw()) {
                        while (!stop.get()) {
                            String reply = c.call("SET", "w" + id + ":" + n.get(), "v" + n.get());
                            if (!reply.equals("+OK\r\n")) {
                                failure.set(reply);
                                return;
                            }
                            n.incrementAndGet();
                        }
                    }
                }));
            }
            Await.until("writers are writing", () -> written[writers - 1].get() > 50);
            assertEquals("+OK\r\n", admin.call("BGSAVE"));
            awaitIdle(s);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(null, failure.get());
            assertEquals("ok", infoText(admin, "persistence", "last_bgsave_status"));
            assertTrue(infoField(admin, "persistence", "last_bgsave_time") >= lastBefore);
            assertEquals(infoField(admin, "persistence", "last_bgsave_time"), Long.parseLong(admin.call("LASTSAVE").substring(1).trim()));
            long total = 0;
            for (AtomicInteger n : written) {
                total += n.get();
            }

            Path backup = DbJobs.backupDir(s.server().config());
            assertEquals(dir.resolve("backup").toAbsolutePath(), backup);
            assertTrue(Files.exists(backup.resolve("CURRENT")));
            assertFalse(Files.exists(backup.resolveSibling("backup.tmp")));
            s.stop();

            Path restored = restore(backup, tmp.resolve("restored"));
            try (TestServer r = TestServer.start(Map.of("dir", restored.toString())); RawClient c = r.raw()) {
                for (int i = 0; i < 2000; i++) {
                    assertEquals("$" + ("value-" + i).length() + "\r\nvalue-" + i + "\r\n", c.call("GET", "base:" + i));
                }
                assertEquals("*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n", c.call("HGETALL", "base:hash"));
                assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("LRANGE", "base:list", "0", "-1"));
                assertEquals(":2\r\n", c.call("ZCARD", "base:zset"));
                assertEquals(":2\r\n", c.call("SCARD", "base:set"));
                assertTrue(Long.parseLong(c.call("TTL", "base:ttl").substring(1).trim()) > 99_000);
                // A point in time: each writer's keys in the backup are a prefix of what it wrote.
                long inBackup = 0;
                for (int w = 0; w < writers; w++) {
                    int n = 0;
                    while (!c.call("GET", "w" + w + ":" + n).equals("$-1\r\n")) {
                        assertEquals("$" + ("v" + n).length() + "\r\nv" + n + "\r\n", c.call("GET", "w" + w + ":" + n));
                        n++;
                    }
                    assertTrue(n <= written[w].get());
                    for (int k = n; k < Math.min(n + 50, written[w].get()); k++) {
                        assertEquals("$-1\r\n", c.call("GET", "w" + w + ":" + k), "a gap in writer " + w + "'s keys");
                    }
                    inBackup += n;
                }
                assertTrue(inBackup > 0 && inBackup <= total);
                assertEquals(":" + (2005 + inBackup) + "\r\n", c.call("DBSIZE"));
            }
        }
    }

    @Test
    void bgsaveStatusLastsaveFlushbackupAndCompact() throws Exception {
        try (TestServer s = TestServer.start(Map.of("requirepass", "pw", "namespace.ns", "tok")); RawClient c = s.raw();
                RawClient tenant = s.raw()) {
            c.call("AUTH", "pw");
            tenant.call("AUTH", "tok");
            assertEquals("-ERR admin permission required to perform the command\r\n", tenant.call("BGSAVE"));
            assertEquals("-ERR admin permission required to perform the command\r\n", tenant.call("LASTSAVE"));
            assertEquals("-ERR admin permission required to perform the command\r\n", tenant.call("FLUSHBACKUP"));
            long start = Long.parseLong(c.call("LASTSAVE").substring(1).trim());
            assertEquals("0", infoText(c, "persistence", "bgsave_in_progress"));
            assertEquals("-1", infoText(c, "persistence", "last_bgsave_time_sec"));
            c.call("SET", "k", "v");
            assertEquals("+OK\r\n", c.call("BGSAVE"));
            awaitIdle(s);
            Path backup = DbJobs.backupDir(s.server().config());
            assertTrue(Files.exists(backup.resolve("CURRENT")));
            assertTrue(Long.parseLong(c.call("LASTSAVE").substring(1).trim()) >= start);
            assertEquals(0, infoField(c, "persistence", "rdb_changes_since_last_save"));
            c.call("SET", "k2", "v");
            assertEquals(1, infoField(c, "persistence", "rdb_changes_since_last_save"));
            // A second BGSAVE replaces the first backup.
            assertEquals("+OK\r\n", c.call("BGSAVE"));
            awaitIdle(s);
            assertTrue(Files.exists(backup.resolve("CURRENT")));
            assertEquals("+OK\r\n", c.call("FLUSHBACKUP"));
            Await.until("the backup is gone", () -> !Files.exists(backup));
            // COMPACT runs in the background for any client, on its own namespace.
            for (int i = 0; i < 100; i++) {
                c.call("SET", "c" + i, "v");
                c.call("DEL", "c" + i);
            }
            assertEquals("+OK\r\n", c.call("COMPACT"));
            awaitIdle(s);
            assertEquals("+OK\r\n", tenant.call("COMPACT"));
            awaitIdle(s);
            assertEquals("$1\r\nv\r\n", c.call("GET", "k"));
        }
    }

    @Test
    void aFailedBackupIsReported() throws Exception {
        Path inTheWay = tmp.resolve("file");
        Files.writeString(inTheWay, "not a directory");
        try (TestServer s = TestServer.start(Map.of("backup-dir", inTheWay.resolve("backup").toString()));
                RawClient c = s.raw()) {
            assertEquals("+OK\r\n", c.call("BGSAVE"));
            awaitIdle(s);
            assertEquals("err", infoText(c, "persistence", "last_bgsave_status"));
            // backup-dir changes at run time.
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "backup-dir", tmp.resolve("elsewhere").toString()));
            assertEquals("+OK\r\n", c.call("BGSAVE"));
            awaitIdle(s);
            assertEquals("ok", infoText(c, "persistence", "last_bgsave_status"));
            assertTrue(Files.exists(tmp.resolve("elsewhere").resolve("CURRENT")));
        }
    }
}
