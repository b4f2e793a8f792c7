package dev.basalt.execution;

import dev.basalt.command.ClientSession;
import dev.basalt.command.CommandSpec;
import dev.basalt.util.ByteKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Clients parked in blocking commands (BLPOP, BLMOVE, BZPOPMIN...), queued per key first-come
 * first-served. A parked client costs a parked virtual thread and this entry, nothing more.
 *
 * <p>A waiter is served by the thread whose commit fed its keys, before that thread replies (see
 * {@link Dispatcher}): it {@link Waiter#claim claims} the waiter, runs the waiter's command for it and
 * {@link Waiter#complete completes} it with the reply. A waiter whose time runs out, or whose client
 * hangs up, {@link Waiter#cancel cancels} itself instead; exactly one of the two wins.
 */
public final class BlockingRegistry {
    /** Why a wait ended. */
    public enum Outcome { SERVED, TIMED_OUT, DISCONNECTED, UNBLOCKED_ERROR }

    private enum State { WAITING, SERVING, DONE, CANCELLED }

    /** One parked client and the command it waits to run. */
    public final class Waiter {
        private final ClientSession client;
        private final CommandSpec spec;
        private final byte[][] argv;
        private final List<ByteKey> keys;
        private final boolean wokenByDeletion;
        private final AtomicReference<State> state = new AtomicReference<>(State.WAITING);
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private boolean wake;
        /** How a CLIENT UNBLOCK ended the wait (TIMED_OUT or UNBLOCKED_ERROR). */
        private volatile Outcome forced;
        private byte[] reply;
        private boolean failed;

        private Waiter(ClientSession client, CommandSpec spec, byte[][] argv, List<ByteKey> keys,
                boolean wokenByDeletion) {
            this.client = client;
            this.spec = spec;
            this.argv = argv;
            this.keys = keys;
            this.wokenByDeletion = wokenByDeletion;
        }

        ClientSession client() {
            return client;
        }

        CommandSpec spec() {
            return spec;
        }

        byte[][] argv() {
            return argv;
        }

        /** Its command answers when a key it waits on is deleted (XREADGROUP), so it runs then too. */
        boolean wokenByDeletion() {
            return wokenByDeletion;
        }

        /** The reply a server wrote for this waiter, once {@link #await} answered SERVED. */
        byte[] reply() {
            return reply;
        }

        boolean failed() {
            return failed;
        }

        /** A feeding thread takes this waiter to serve it; false when it is no longer waiting. */
        boolean claim() {
            return state.compareAndSet(State.WAITING, State.SERVING);
        }

        /** The claimed waiter could not be served after all: it waits on. */
        void unclaim() {
            state.set(State.WAITING);
            signal(); // its deadline may have passed while it was claimed
        }

        /** Hands the claimed waiter its reply and wakes it. */
        void complete(byte[] reply, boolean failed) {
            this.reply = reply;
            this.failed = failed;
            state.set(State.DONE);
            signal();
        }

        /**
         * CLIENT UNBLOCK: ends the wait as a timeout, or with the UNBLOCKED error; false when the waiter
         * is already being served or done.
         */
        public boolean unblock(boolean withError) {
            forced = withError ? Outcome.UNBLOCKED_ERROR : Outcome.TIMED_OUT;
            if (!cancel()) {
                return false;
            }
            signal();
            return true;
        }

        /** The waiter gives up (timeout, hang-up); false when a server has already claimed it. */
        private boolean cancel() {
            return state.compareAndSet(State.WAITING, State.CANCELLED);
        }

        private void signal() {
            lock.lock();
            try {
                wake = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Parks until served, the deadline (System.nanoTime, 0 = none) passes, or the peer hangs up
         * (disconnect completes with a negative byte count). A waiter already claimed when its time runs
         * out waits for the reply being made for it: that element is taken, so it must be delivered.
         */
        public Outcome await(long deadlineNanos, CompletableFuture<Integer> disconnect) {
            if (disconnect != null) {
                disconnect.thenAccept(n -> {
                    if (n < 0) {
                        signal();
                    }
                });
            }
            boolean gone = false;
            lock.lock();
            try {
                while (state.get() != State.DONE) {
                    if (state.get() == State.CANCELLED) {
                        return forced; // CLIENT UNBLOCK cancelled it
                    }
                    gone = gone || disconnect != null && disconnect.isDone() && disconnect.getNow(0) < 0;
                    long left = deadlineNanos == 0 ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
                    if ((gone || left <= 0) && cancel()) {
                        return gone ? Outcome.DISCONNECTED : Outcome.TIMED_OUT;
                    }
                    wake = false;
                    if (state.get() == State.SERVING || left == Long.MAX_VALUE) {
                        awaitSignal(0);
                    } else {
                        awaitSignal(left);
                    }
                }
                return Outcome.SERVED;
            } finally {
                lock.unlock();
            }
        }

        /** Waits for a signal, at most nanos (0 = no limit); interrupts are ignored, the state decides. */
        private void awaitSignal(long nanos) {
            while (!wake) {
                try {
                    if (nanos == 0) {
                        changed.await();
                    } else {
                        changed.await(nanos, TimeUnit.NANOSECONDS);
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<ByteKey, Deque<Waiter>> byKey = new HashMap<>();
    private volatile int waiting;

    /**
     * Queues a client on keys (metadata keys, which name their namespace). The caller holds the keys'
     * locks, so no commit to them can slip between its look at the keys and this registration.
     */
    Waiter register(ClientSession client, CommandSpec spec, byte[][] argv, List<ByteKey> keys,
            boolean wokenByDeletion) {
        Waiter w = new Waiter(client, spec, argv, keys, wokenByDeletion);
        lock.lock();
        try {
            for (ByteKey k : keys) {
                byKey.computeIfAbsent(k, x -> new ArrayDeque<>()).addLast(w);
            }
            waiting++;
        } finally {
            lock.unlock();
        }
        return w;
    }

    void unregister(Waiter w) {
        lock.lock();
        try {
            boolean found = false;
            for (ByteKey k : w.keys) {
                Deque<Waiter> q = byKey.get(k);
                if (q != null) {
                    found |= q.remove(w);
                    if (q.isEmpty()) {
                        byKey.remove(k);
                    }
                }
            }
            if (found) {
                waiting--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** True when some client waits (a cheap check on every commit's path). */
    boolean anyWaiting() {
        return waiting > 0;
    }

    /** True when some client waits on one of the keys (metadata keys). */
    boolean anyWaitingOn(List<byte[]> keys) {
        lock.lock();
        try {
            for (byte[] k : keys) {
                if (byKey.containsKey(new ByteKey(k))) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The clients waiting on a key, longest waiting first. */
    List<Waiter> waitersOn(ByteKey key) {
        lock.lock();
        try {
            Deque<Waiter> q = byKey.get(key);
            return q == null ? List.of() : new ArrayList<>(q);
        } finally {
            lock.unlock();
        }
    }

    /** Clients currently blocked. */
    public int blockedClients() {
        return waiting;
    }
}
