package dev.basalt.server;

import dev.basalt.command.ServerStats;
import dev.basalt.config.Config;
import dev.basalt.storage.KeyLocks;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.types.Keyspace;
import dev.basalt.util.Log;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deletes expired keys in the background, so that keys nobody reads again leave the disk (Kvrocks leaves
 * that to a compaction filter, which rocksdbjni cannot run). Every interval it walks the metadata column
 * family in bounded chunks, continuing where the previous round stopped; each expired key is re-checked
 * and deleted under its own key lock, in its own commit, so a client waits for at most one key's delete.
 */
public final class ExpirySweeper {
    /** Not a Kvrocks directive: tests shorten the interval with it. */
    public static final String INTERVAL_DIRECTIVE = "expiry-sweep-interval-ms";
    static final long DEFAULT_INTERVAL_MS = 1000;
    /** Metadata entries read per chunk (no lock is held while reading). */
    static final int CHUNK = 256;
    /** Entries examined per round at most; a larger keyspace is covered over several rounds. */
    static final int MAX_PER_ROUND = 16_384;
    private static final long STOP_WAIT_MS = 10_000;

    private final Storage storage;
    private final ServerStats stats;
    private final java.util.function.Consumer<Txn> committed;
    private final long intervalMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** One round at a time, whoever runs it; guards resumeAfter. */
    private final ReentrantLock roundLock = new ReentrantLock();
    private volatile boolean stopped;
    private Thread thread;
    private byte[] resumeAfter;

    public ExpirySweeper(Storage storage, ServerStats stats, long intervalMs) {
        this(storage, stats, intervalMs, txn -> { });
    }

    /**
     * @param committed runs after each delete's commit, still under the key's lock (the "expired"
     *     notification, invalidations)
     */
    public ExpirySweeper(Storage storage, ServerStats stats, long intervalMs, java.util.function.Consumer<Txn> committed) {
        this.storage = storage;
        this.committed = committed;
        this.stats = stats;
        this.intervalMs = Math.max(1, intervalMs);
    }

    /** The sweep interval the configuration asks for (1 s unless {@value #INTERVAL_DIRECTIVE} is set). */
    public static long intervalMs(Config config) {
        String v = config.get(INTERVAL_DIRECTIVE);
        return v == null || v.isBlank() ? DEFAULT_INTERVAL_MS : Long.parseLong(v.trim());
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name("basalt-expiry-sweeper").start(this::loop);
    }

    /** Stops the thread and waits for it, so that the storage can close after this returns. */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                Log.warn("expiry sweeper did not stop within " + STOP_WAIT_MS + " ms");
            }
        }
    }

    private void loop() {
        while (awaitNextRound()) {
            try {
                sweepRound();
            } catch (StorageException | RuntimeException e) {
                Log.warn("expiry sweep failed, retrying next round: " + e.getMessage());
            }
        }
    }

    private boolean awaitNextRound() {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(intervalMs);
            while (!stopped && left > 0) {
                left = wake.awaitNanos(left);
            }
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One round: up to {@link #MAX_PER_ROUND} metadata entries from where the last round stopped
     * (wrapping to the start after the end). Returns how many keys it deleted.
     */
    public long sweepRound() throws StorageException {
        roundLock.lock();
        try {
            long deleted = 0;
            int examined = 0;
            do {
                ExpiredKeyScan.Chunk chunk = ExpiredKeyScan.next(storage, resumeAfter, CHUNK);
                examined += chunk.examined();
                for (ExpiredKeyScan.ExpiredKey k : chunk.expired()) {
                    // A stalled store would park the commit; leave the keys to a later round.
                    if (stopped || storage.writeStalled()) {
                        return deleted;
                    }
                    if (deleteIfExpired(k)) {
                        deleted++;
                    }
                }
                resumeAfter = chunk.resumeAfter();
            } while (resumeAfter != null && examined < MAX_PER_ROUND && !stopped);
            return deleted;
        } finally {
            roundLock.unlock();
        }
    }

    /** Under the key's lock: re-check (a client may have changed it since it was read) and delete. */
    private boolean deleteIfExpired(ExpiredKeyScan.ExpiredKey k) throws StorageException {
        try (KeyLocks.Held held = storage.locks().lock(List.of(k.key()));
                Txn txn = storage.begin(k.namespace())) {
            if (!new Keyspace(txn).deleteIfExpired(k.key())) {
                return false;
            }
            storage.commit(txn);
            committed.accept(txn);
        }
        stats.expiredKeys.increment();
        return true;
    }
}
