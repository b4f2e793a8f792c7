package dev.basalt.storage;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Per-key locks: striped {@link ReentrantLock}s taken in ascending stripe order (so multi-key
 * commands cannot deadlock), under a keyspace lock that commands without static keys (FLUSHALL,
 * KEYS...) take exclusively.
 */
public final class KeyLocks {
    private final ReentrantLock[] stripes;
    private final ReentrantReadWriteLock keyspace = new ReentrantReadWriteLock();

    public KeyLocks(int stripeCount) {
        stripes = new ReentrantLock[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Locks the given keys (any order, duplicates allowed); close the handle to release. */
    public Held lock(Collection<byte[]> keys) {
        int[] idx = new int[keys.size()];
        int n = 0;
        for (byte[] k : keys) {
            idx[n++] = Math.floorMod(Arrays.hashCode(k) * 0x9E3779B9, stripes.length);
        }
        Arrays.sort(idx);
        int unique = 0;
        for (int i = 0; i < n; i++) {
            if (unique == 0 || idx[unique - 1] != idx[i]) {
                idx[unique++] = idx[i];
            }
        }
        int[] taken = Arrays.copyOf(idx, unique);
        keyspace.readLock().lock();
        for (int i : taken) {
            stripes[i].lock();
        }
        return new Held(this, taken, false);
    }

    /** Locks the whole keyspace: waits for every key lock holder to finish. */
    public Held lockAll() {
        keyspace.writeLock().lock();
        return new Held(this, new int[0], true);
    }

    private void release(int[] taken, boolean exclusive) {
        if (exclusive) {
            keyspace.writeLock().unlock();
            return;
        }
        for (int i = taken.length - 1; i >= 0; i--) {
            stripes[taken[i]].unlock();
        }
        keyspace.readLock().unlock();
    }

    /** A set of held locks. */
    public static final class Held implements AutoCloseable {
        private final KeyLocks owner;
        private final int[] taken;
        private final boolean exclusive;
        private boolean released;

        private Held(KeyLocks owner, int[] taken, boolean exclusive) {
            this.owner = owner;
            this.taken = taken;
            this.exclusive = exclusive;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                owner.release(taken, exclusive);
            }
        }
    }
}
