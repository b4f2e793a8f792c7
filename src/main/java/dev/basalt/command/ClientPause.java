package dev.basalt.command;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * CLIENT PAUSE / UNPAUSE: until the deadline, clients' commands wait before they run: every command
 * (ALL), or those that write (WRITE: write commands, PUBLISH, an EXEC with a write queued). Parked
 * clients are virtual threads waiting on a condition, woken by UNPAUSE or the deadline.
 */
public final class ClientPause {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile long untilMs;
    private volatile boolean all;

    /** Pauses until untilMs; a later pause extends it, and ALL wins over WRITE while both last (as in Redis). */
    void pause(long untilMs, boolean all) {
        lock.lock();
        try {
            long now = System.currentTimeMillis();
            boolean active = this.untilMs > now;
            this.all = all || (active && this.all);
            this.untilMs = Math.max(untilMs, active ? this.untilMs : 0);
        } finally {
            lock.unlock();
        }
    }

    void unpause() {
        lock.lock();
        try {
            untilMs = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True while a pause lasts (one volatile read when none does). */
    public boolean active() {
        return untilMs != 0 && untilMs > System.currentTimeMillis();
    }

    /** Whether a command of this kind waits under the current pause. */
    public boolean holds(boolean writes) {
        return active() && (all || writes);
    }

    /** Waits while the pause holds commands of this kind. */
    public void await(boolean writes) {
        lock.lock();
        try {
            while (holds(writes)) {
                long left = untilMs - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    changed.await(left, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
