package dev.basalt.storage;

import dev.basalt.util.Log;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * The number of keys in each namespace, kept exact at commit time so that DBSIZE never walks the
 * keyspace. A key counts while its metadata entry exists, expired or not, as a key counts in Redis's
 * DBSIZE until expiry removes it (here: lazily on overwrite, or by the expiry sweeper).
 *
 * <p>On open the entries already on disk are counted once, in the background, from a snapshot taken
 * before any commit; commits meanwhile add their deltas on top, and a wipe (FLUSHDB/FLUSHALL) makes the
 * namespace's count start from zero whatever that first count finds. {@link #count} waits for it.
 */
final class KeyCounts {
    private final ReentrantLock lock = new ReentrantLock();
    /** Changes committed since the open-time snapshot (or since the namespace was last wiped). */
    private final Map<String, Long> deltas = new HashMap<>();
    /** Namespaces wiped since open: the initial count no longer applies to them. */
    private final Map<String, Boolean> wipedSinceOpen = new HashMap<>();
    private boolean everyNamespaceWiped;
    private Map<String, Long> initial = Map.of();
    private final CountDownLatch counted = new CountDownLatch(1);
    private volatile boolean stopping;
    private Thread counter;

    /** Counts what the snapshot holds, on a background thread; the snapshot is released when done. */
    void countInBackground(Storage storage, Snapshot snapshot) {
        counter = Thread.ofPlatform().daemon().name("basalt-key-count").start(() -> {
            Map<String, Long> found = new HashMap<>();
            long start = System.nanoTime();
            try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot);
                    RocksIterator it = storage.db().newIterator(storage.handle(ColumnFamily.METADATA), ro)) {
                for (it.seekToFirst(); it.isValid() && !stopping; it.next()) {
                    String ns = KeyCodec.namespaceOf(it.key());
                    if (ns != null) {
                        found.merge(ns, 1L, Long::sum);
                    }
                }
            } catch (RuntimeException e) {
                Log.error("counting keys failed; DBSIZE counts only keys written from now on", e);
            } finally {
                storage.db().releaseSnapshot(snapshot);
            }
            lock.lock();
            try {
                initial = found;
            } finally {
                lock.unlock();
            }
            counted.countDown();
            long total = found.values().stream().mapToLong(Long::longValue).sum();
            Log.info("Counted " + total + " keys in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        });
    }

    /** Stops the initial count (the storage is closing) and waits for its thread. */
    void stop() {
        stopping = true;
        if (counter != null) {
            try {
                counter.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Applies a committed Txn: its delta, after its wipe if it had one. */
    void committed(Txn txn) {
        long delta = txn.keyCountDelta();
        if (delta == 0 && !txn.wiped()) {
            return;
        }
        String ns = namespaceName(txn.codec());
        lock.lock();
        try {
            if (txn.wipesEveryNamespace()) {
                deltas.clear();
                everyNamespaceWiped = true;
            } else if (txn.wiped()) {
                deltas.remove(ns);
                wipedSinceOpen.put(ns, true);
            }
            deltas.merge(ns, delta, Long::sum);
        } finally {
            lock.unlock();
        }
    }

    /** Keys in the namespace; waits for the initial count if it is still running. */
    long count(String namespace) throws InterruptedException {
        counted.await();
        lock.lock();
        try {
            long base = everyNamespaceWiped || wipedSinceOpen.containsKey(namespace) ? 0 : initial.getOrDefault(namespace, 0L);
            return base + deltas.getOrDefault(namespace, 0L);
        } finally {
            lock.unlock();
        }
    }

    private static String namespaceName(KeyCodec codec) {
        return new String(codec.namespaceBytes(), StandardCharsets.UTF_8);
    }
}
