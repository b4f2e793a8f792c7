package dev.basalt.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failed commits are logged with RocksDB's status, at most one line per ten seconds, counting the rest. */
@Timeout(10)
class WriteFailureLogTest {
    @Test
    void oneLinePerIntervalCountingTheFailuresInBetween() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong(1_000_000);
        WriteFailureLog log = new WriteFailureLog(lines::add, now::get);
        for (int i = 0; i < 50; i++) {
            log.report(new StorageException("IO error: injected"), 64);
        }
        assertEquals(List.of("Write failed: IO error: injected"), lines);
        now.addAndGet(10_000);
        log.report(new StorageException("Incomplete: Write stall"), 64);
        assertEquals("Write failed: Incomplete: Write stall (and 49 more failed writes since the last report)", lines.get(1));
    }

    @Test
    void aFullDiskSaysWhatToFree() {
        List<String> lines = new ArrayList<>();
        new WriteFailureLog(lines::add, () -> 0).report(
                new StorageException("IO error: No space left on device: While appending to file: 000012.log"), 64);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("free at least that much") && lines.get(0).contains("64 MB"), lines.get(0));
    }
}
