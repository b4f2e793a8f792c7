package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.command.DbJobs;
import dev.basalt.storage.KeyCodec;
import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bgsave-cron, compact-cron, dbsize-scan-cron and the backup purge, driven by a test clock. */
class CronJobsTest {
    private static void awaitIdle(TestServer s) {
        Await.until("the background jobs finish", () -> !s.server().jobs().busy());
    }

    @Test
    void schedulesRunInTheirMinuteOnce() throws Exception {
        try (TestServer s = TestServer.start(Map.of("requirepass", "pw", "namespace.ns", "tok")); RawClient c = s.raw()) {
            c.call("AUTH", "pw");
            c.call("SET", "a", "1");
            c.call("SET", "b", "2", "EX", "1000");
            try (RawClient t = s.raw()) {
                t.call("AUTH", "tok");
                t.call("SET", "x", "1");
            }
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "bgsave-cron", "30 4 * * *", "dbsize-scan-cron", "0 5 * * *"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "compact-cron", "0 6 * * 1-5"));
            CronJobs cron = new CronJobs(s.server().config(), s.server().jobs());
            DbJobs jobs = s.server().jobs();
            Path backup = DbJobs.backupDir(s.server().config());

            cron.tick(LocalDateTime.of(2026, 12, 2, 4, 29, 59));
            awaitIdle(s);
            assertFalse(Files.exists(backup), "not yet due");
            long lastBefore = jobs.status().lastBgsaveSecs();

            cron.tick(LocalDateTime.of(2026, 12, 2, 4, 30, 0));
            awaitIdle(s);
            assertTrue(Files.exists(backup.resolve("CURRENT")), "bgsave-cron made a backup");
            assertEquals("ok", jobs.status().lastBgsaveStatus());
            long first = jobs.status().lastBgsaveSecs();
            assertTrue(first >= lastBefore);

            // Once per minute, however often the cron ticks in it.
            Files.writeString(backup.resolve("marker"), "x");
            cron.tick(LocalDateTime.of(2026, 12, 2, 4, 30, 20));
            cron.tick(LocalDateTime.of(2026, 12, 2, 4, 30, 40));
            awaitIdle(s);
            assertTrue(Files.exists(backup.resolve("marker")), "no second backup in the same minute");

            assertNull(jobs.lastScan(KeyCodec.DEFAULT_NAMESPACE));
            cron.tick(LocalDateTime.of(2026, 12, 2, 5, 0, 0));
            awaitIdle(s);
            assertEquals(2, jobs.lastScan(KeyCodec.DEFAULT_NAMESPACE).stats().keys());
            assertEquals(1, jobs.lastScan(KeyCodec.DEFAULT_NAMESPACE).stats().expires());
            assertEquals(1, jobs.lastScan("ns").stats().keys(), "every namespace is recounted");

            // compact-cron on a weekday (2026-12-02 is a Wednesday), not on Sunday the 6th.
            cron.tick(LocalDateTime.of(2026, 12, 6, 6, 0, 0));
            awaitIdle(s);
            cron.tick(LocalDateTime.of(2026, 12, 2, 6, 0, 0));
            awaitIdle(s);
            assertEquals("$1\r\n1\r\n", c.call("GET", "a"));

            // The backup is purged once older than max-backup-keep-hours (checked every ten seconds).
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "max-backup-keep-hours", "1"));
            cron.tick(LocalDateTime.of(2026, 12, 2, 6, 0, 30));
            awaitIdle(s);
            assertTrue(Files.exists(backup.resolve("CURRENT")), "a fresh backup stays");
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "max-backup-to-keep", "0"));
            cron.tick(LocalDateTime.of(2026, 12, 2, 6, 0, 45));
            awaitIdle(s);
            assertFalse(Files.exists(backup.resolve("CURRENT")), "max-backup-to-keep 0 removes it");
        }
    }

    @Test
    void aBadScheduleIsRefused() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'bgsave-cron') - cron expression format "
                    + "error, should only contain 5x fields\r\n", c.call("CONFIG", "SET", "bgsave-cron", "0 3 * *"));
            assertEquals("$0\r\n\r\n", c.call("CONFIG", "GET", "bgsave-cron").substring(c.call("CONFIG", "GET", "bgsave-cron").indexOf("$0")));
        }
    }
}
