package dev.basalt.storage;

import dev.basalt.util.Log;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs failed commits with RocksDB's status, at most one line per {@value #INTERVAL_MS} ms (a failing
 * disk fails every write); the line counts the failures it stands for.
 */
final class WriteFailureLog {
    private static final long INTERVAL_MS = 10_000;

    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong nextLogMs = new AtomicLong();

    void report(StorageException e, long writeBufferSizeMb) {
        long now = System.currentTimeMillis();
        long next = nextLogMs.get();
        if (now < next || !nextLogMs.compareAndSet(next, now + INTERVAL_MS)) {
            suppressed.incrementAndGet();
            return;
        }
        long others = suppressed.getAndSet(0);
        StringBuilder line = new StringBuilder("Write failed: ").append(e.getMessage());
        if (others > 0) {
            line.append(" (and ").append(others).append(" more failed writes since the last report)");
        }
        if (isNoSpace(e.getMessage())) {
            line.append(". RocksDB resumes writing on its own once the disk has more free space than its reserve, about ")
                    .append(writeBufferSizeMb).append(" MB (rocksdb.write_buffer_size): free at least that much in the data directory");
        }
        Log.warn(line.toString());
    }

    private static boolean isNoSpace(String status) {
        return status != null && (status.contains("No space left") || status.contains("NoSpace"));
    }
}
