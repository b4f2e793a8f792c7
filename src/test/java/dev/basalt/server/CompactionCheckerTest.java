package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.Storage;
import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** compaction-checker-cron: SST files full of deletions get their key range compacted. */
class CompactionCheckerTest {
    private static long deletions(Storage storage, String family) {
        return storage.sstFiles().stream().filter(f -> f.family().equals(family)).mapToLong(Storage.SstFile::deletions).sum();
    }

    /** Makes every SST file look days old (the checker leaves files younger than an hour alone). */
    private static void age(Path dbDir) throws Exception {
        FileTime old = FileTime.from(Instant.now().minus(3, ChronoUnit.DAYS));
        try (Stream<Path> files = Files.list(dbDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sst")).toList()) {
                Files.setLastModifiedTime(f, old);
            }
        }
    }

    @Test
    void filesFullOfDeletionsAreCompactedOnSchedule() throws Exception {
        try (TestServer s = TestServer.start(Map.of("compaction-checker-cron", "0 3 * * *")); RawClient c = s.raw()) {
            Storage storage = s.server().storage();
            for (int i = 0; i < 2000; i++) {
                c.call("SET", "k" + i, "v");
            }
            storage.flush();
            for (int i = 0; i < 1800; i++) {
                c.call("DEL", "k" + i);
            }
            storage.flush();
            age(Storage.dbDir(s.dir()));
            assertTrue(deletions(storage, "metadata") >= 1800, "the second file holds the deletions");

            CronJobs cron = new CronJobs(s.server().config(), s.server().jobs());
            cron.tick(LocalDateTime.of(2026, 12, 2, 2, 59));
            Await.until("nothing due yet", () -> !s.server().jobs().busy());
            assertEquals(List.of(), s.server().jobs().lastCheckCompacted());
            cron.tick(LocalDateTime.of(2026, 12, 2, 3, 0));
            Await.until("the checker finishes", () -> !s.server().jobs().busy());
            List<String> compacted = s.server().jobs().lastCheckCompacted();
            assertFalse(compacted.isEmpty());
            assertTrue(compacted.get(0).startsWith("metadata/"), compacted.toString());
            assertTrue(deletions(storage, "metadata") < 1800, "the tombstones are compacted away");
            assertEquals(":200\r\n", c.call("DBSIZE"));
            assertEquals("$1\r\nv\r\n", c.call("GET", "k1999"));
        }
    }

    @Test
    void aRangeOfHoursIsTheOlderFormAndCheckerReplacesCompactCron() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertTrue(c.call("CONFIG", "SET", "compaction-checker-range", "25-26").startsWith(
                    "-ERR CONFIG SET failed (possibly related to argument 'compaction-checker-range') - cron expression"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "compaction-checker-range", "0-7"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "compaction-checker-cron", "*/5 * * * *"));
        }
    }
}
