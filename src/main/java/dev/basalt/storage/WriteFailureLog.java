package dev.basalt.storage;

import dev.basalt.util.Log;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Logs failed commits with RocksDB's status, at most one line per {@value #INTERVAL_MS} ms (a failing
 * disk fails every write); the line counts the failures it stands for.
 */
final class WriteFailureLog {
    private static final long INTERVAL_MS = 10_000;

    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong nextLogMs = new AtomicLong();
    private final Consumer<String> sink;
    private final LongSupplier clockMs;

    WriteFailureLog() {
        this(Log::warn, System::currentTimeMillis);
    }

    /** A log writing to sink, by clockMs (tests give their own). */
    WriteFailureLog(Consumer<String> sink, LongSupplier clockMs) {
        this.sink = sink;
        this.clockMs = clockMs;
    }

    void report(StorageException e, long writeBufferSizeMb) {
        long now = clockMs.getAsLong();
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
        sink.accept(line.toString());
    }

    private static boolean isNoSpace(String status) {
        return status != null && (status.contains("No space left") || status.contains("NoSpace"));
    }
}
