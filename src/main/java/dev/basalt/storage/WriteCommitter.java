package dev.basalt.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.rocksdb.AbstractWriteBatch;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Commits the write batches that must wait (a write stall, or {@code sync yes}) on one dedicated
 * platform thread, so that the wait pins that thread and not one of the few carriers that run the
 * connections' virtual threads. Batches that wait at the same moment go out in one {@code write()}
 * (group commit, which also shares one fsync); if that combined write fails, each batch is retried
 * alone so that each caller learns its own outcome.
 */
final class WriteCommitter implements AutoCloseable {
    private static final int MAX_GROUP = 128;

    private record Pending(AbstractWriteBatch batch, CompletableFuture<Void> done) {
    }

    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    WriteCommitter(RocksDB db, WriteOptions writeOptions) {
        this.db = db;
        this.writeOptions = writeOptions;
        this.thread = Thread.ofPlatform().name("basalt-committer").daemon(true).start(this::run);
    }

    /** Writes the batch; the calling (virtual) thread parks until RocksDB answered. */
    void commit(AbstractWriteBatch batch) throws StorageException {
        if (closed) {
            throw new StorageException("Shutdown in progress: storage is closing");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(batch, done));
        try {
            done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("IO error: " + e.getCause());
        } catch (InterruptedException e) {
            // The write may still land; wait for its outcome rather than reply early.
            Thread.currentThread().interrupt();
            done.join();
        }
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                if (closed && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            int marker = -1;
            for (int i = 0; i < group.size() && marker < 0; i++) {
                if (group.get(i).batch == null) {
                    marker = i;
                }
            }
            if (marker < 0) {
                writeGroup(group);
                group.clear();
                continue;
            }
            // Closing: write what was queued before and after the marker, then refuse latecomers.
            if (marker > 0) {
                writeGroup(group.subList(0, marker));
            }
            group.subList(marker + 1, group.size()).forEach(this::writeAlone);
            Pending late;
            while ((late = queue.poll()) != null) {
                if (late.batch != null) {
                    late.done.completeExceptionally(new StorageException("Shutdown in progress: storage is closing"));
                }
            }
            return;
        }
    }

    private void writeGroup(List<Pending> group) {
        if (group.size() == 1) {
            writeAlone(group.get(0));
            return;
        }
        try {
            try (WriteBatch combined = Batches.combine(group.stream().map(p -> p.batch).toList())) {
                Batches.write(db, writeOptions, combined);
            }
            group.forEach(p -> p.done.complete(null));
        } catch (RocksDBException | RuntimeException | Error e) {
            group.forEach(this::writeAlone);
        }
    }

    private void writeAlone(Pending p) {
        if (p.batch == null) {
            return;
        }
        try {
            Batches.write(db, writeOptions, p.batch);
            p.done.complete(null);
        } catch (RocksDBException e) {
            p.done.completeExceptionally(StorageException.of(e));
        } catch (RuntimeException | Error e) {
            // Even an OutOfMemoryError answers its caller and leaves this thread running for the next batch.
            p.done.completeExceptionally(new StorageException("IO error: " + e));
        }
    }



    @Override
    public void close() {
        closed = true;
        queue.add(new Pending(null, new CompletableFuture<>()));
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
