package dev.basalt.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Log files in log-dir: one per day, old ones deleted after log-retention-days, reopened on request. */
@ResourceLock("dev.basalt.util.Log")
class LogTest {
    @TempDir
    Path dir;

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @AfterEach
    void backToStdout() throws Exception {
        Log.setRetentionDays(-1);
        Log.setDirectory("stdout");
        Log.setClock(Clock.system(ZoneId.systemDefault()));
    }

    @Test
    void eachDayGetsItsFileAndOldOnesGo() throws Exception {
        Log.setClock(at("2026-12-01T10:00:00Z"));
        Log.setDirectory(dir.toString());
        Log.warn("first day");
        Log.setClock(at("2026-12-02T00:00:01Z"));
        Log.warn("second day");
        Log.setClock(at("2026-12-03T08:00:00Z"));
        Log.warn("third day");
        assertEquals(List.of("basalt-2026-12-01.log", "basalt-2026-12-02.log", "basalt.log"), files());
        assertTrue(Files.readString(dir.resolve("basalt-2026-12-01.log")).contains("[WARNING] first day"));
        assertTrue(Files.readString(dir.resolve("basalt-2026-12-02.log")).contains("second day"));
        assertTrue(Files.readString(dir.resolve("basalt.log")).contains("third day"));

        // Keep one day: the file of the 1st is older than that.
        Log.setRetentionDays(1);
        assertEquals(List.of("basalt-2026-12-02.log", "basalt.log"), files());
        Log.setClock(at("2026-12-04T08:00:00Z"));
        Log.warn("fourth day");
        assertEquals(List.of("basalt-2026-12-03.log", "basalt.log"), files(), "the 2nd's is two days old now");
        Log.setClock(at("2026-12-06T08:00:00Z"));
        Log.warn("sixth day");
        assertEquals(List.of("basalt.log"), files());
        assertTrue(Files.readString(dir.resolve("basalt.log")).contains("sixth day"));
    }

    @Test
    void reopenStartsANewFileAfterLogrotateMovedIt() throws Exception {
        Log.setClock(at("2026-12-01T10:00:00Z"));
        Log.setDirectory(dir.toString());
        Log.warn("before");
        Files.move(dir.resolve("basalt.log"), dir.resolve("basalt.log.1"));
        Log.reopen();
        Log.warn("after");
        assertTrue(Files.readString(dir.resolve("basalt.log.1")).contains("before"));
        String now = Files.readString(dir.resolve("basalt.log"));
        assertTrue(now.contains("after"), now);
        assertFalse(now.contains("before"), now);
    }
}
