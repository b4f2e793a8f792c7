package dev.basalt.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.AbstractWriteBatch;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Writes commits on their callers' threads, one caller at a time (flat combining): a caller that
 * arrives while another is writing queues its batch and waits for the lock; whoever holds the lock
 * writes everything queued in one RocksDB write. So at most one carrier thread is ever inside RocksDB's
 * write path (a second would wait in RocksDB's own write queue, spinning or blocking that carrier), and
 * commits that arrive together share one WAL record. Writes use no_slowdown, so none of them sleeps.
 */
final class InlineWriter {
    /** Batches written together at most; more wait for the next round. */
    private static final int MAX_GROUP = 64;

    private static final class Pending {
        final AbstractWriteBatch batch;
        boolean done;
        RocksDBException failure;

        Pending(AbstractWriteBatch batch) {
            this.batch = batch;
        }
    }

    private final RocksDB db;
    private final WriteOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

    InlineWriter(RocksDB db, WriteOptions noSlowdownOptions) {
        this.db = db;
        this.options = noSlowdownOptions;
    }

    /** Writes the batch, alone or with others; throws this batch's own failure (a stall included). */
    void write(AbstractWriteBatch batch) throws RocksDBException {
        Pending p = new Pending(batch);
        queue.add(p);
        lock.lock();
        try {
            // done and failure were set under this lock, by this thread or by a writer before it.
            while (!p.done) {
                writeQueued();
            }
        } finally {
            lock.unlock();
        }
        if (p.failure != null) {
            throw p.failure;
        }
    }

    private void writeQueued() {
        List<Pending> group = new ArrayList<>();
        Pending q;
        while (group.size() < MAX_GROUP && (q = queue.poll()) != null) {
            group.add(q);
        }
        if (group.size() == 1) {
            writeAlone(group.get(0));
            return;
        }
        try {
            try (WriteBatch combined = Batches.combine(group.stream().map(p -> p.batch).toList())) {
                db.write(options, combined);
            }
            for (Pending p : group) {
                p.done = true;
            }
        } catch (RocksDBException | RuntimeException e) {
            // Each batch is written alone then, so that each caller learns its own outcome.
            group.forEach(this::writeAlone);
        }
    }

    private void writeAlone(Pending p) {
        try {
            Batches.write(db, options, p.batch);
        } catch (RocksDBException e) {
            p.failure = e;
        }
        p.done = true;
    }
}
