package dev.basalt.execution;

import dev.basalt.util.ByteKey;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Clients parked in blocking commands, queued per key first-come first-served. A committed write to a
 * key wakes the first client waiting on it; that client retries, and once served wakes the next one
 * (so each element goes to the longest waiter). Parked clients cost a parked virtual thread, nothing more.
 */
public final class BlockingRegistry {
    /** Why a wait ended. */
    public enum Outcome { SIGNALED, TIMED_OUT, DISCONNECTED }

    /** One parked client. */
    public final class Waiter {
        private final List<ByteKey> keys;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private boolean signaled;

        private Waiter(List<ByteKey> keys) {
            this.keys = keys;
        }

        public List<ByteKey> keys() {
            return keys;
        }

        void signal() {
            lock.lock();
            try {
                signaled = true;
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Parks until signalled, the deadline (System.nanoTime, 0 = none) passes, or the peer hangs up
         * (disconnect completes with a negative byte count).
         */
        public Outcome await(long deadlineNanos, CompletableFuture<Integer> disconnect) throws InterruptedException {
            if (disconnect != null) {
                disconnect.thenAccept(n -> {
                    if (n < 0) {
                        signal();
                    }
                });
            }
            lock.lock();
            try {
                while (true) {
                    if (disconnect != null && disconnect.isDone() && disconnect.getNow(0) < 0) {
                        return Outcome.DISCONNECTED;
                    }
                    if (signaled) {
                        signaled = false;
                        return Outcome.SIGNALED;
                    }
                    if (deadlineNanos == 0) {
                        changed.await();
                    } else {
                        long left = deadlineNanos - System.nanoTime();
                        if (left <= 0) {
                            return Outcome.TIMED_OUT;
                        }
                        changed.await(left, TimeUnit.NANOSECONDS);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<ByteKey, Deque<Waiter>> byKey = new HashMap<>();
    private int waiting;

    /** Queues a client on the namespaced keys (see {@link KeyEvents#scoped}). */
    public Waiter register(List<ByteKey> scopedKeys) {
        Waiter w = new Waiter(scopedKeys);
        lock.lock();
        try {
            for (ByteKey k : scopedKeys) {
                byKey.computeIfAbsent(k, x -> new ArrayDeque<>()).addLast(w);
            }
            waiting++;
        } finally {
            lock.unlock();
        }
        return w;
    }

    public void unregister(Waiter w) {
        lock.lock();
        try {
            for (ByteKey k : w.keys) {
                Deque<Waiter> q = byKey.get(k);
                if (q != null) {
                    q.remove(w);
                    if (q.isEmpty()) {
                        byKey.remove(k);
                    }
                }
            }
            waiting--;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the longest-waiting client of each written key. */
    public void signal(Collection<ByteKey> scopedKeys) {
        lock.lock();
        try {
            if (byKey.isEmpty()) {
                return;
            }
            for (ByteKey k : scopedKeys) {
                Deque<Waiter> q = byKey.get(k);
                if (q != null && !q.isEmpty()) {
                    q.peekFirst().signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Clients currently blocked, for INFO's blocked_clients. */
    public int blockedClients() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }
}
