package dev.basalt.server;

import dev.basalt.util.StepAside;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells a connection's thread when to step aside so that threads woken from outside the carriers get
 * to run. A carrier runs the virtual threads in its own queue before any that another thread woke (the
 * socket poller once it went idle, a timer, the committer), and a yielding thread goes back into that
 * same queue: clients that keep finding their next request after a yield (a pipeline that never pauses,
 * or ping-pong under load) could keep every other client waiting for as long as they go on. A heartbeat
 * woken by a timer, queued as those others are, shows how long they have waited; past a bound, each busy
 * connection parks for a moment, which queues it behind them.
 */
final class FairShare {
    private static final long BEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Others have waited too long once the heartbeat is this late. */
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private volatile long lastBeat = System.nanoTime();
    private volatile boolean stopped;
    private final Thread heart;

    FairShare() {
        heart = Thread.ofVirtual().name("fair-share-heartbeat").start(() -> {
            while (!stopped) {
                LockSupport.parkNanos(BEAT_NANOS);
                lastBeat = System.nanoTime();
            }
        });
    }

    /** True when threads woken from outside have waited past the bound: the caller should step aside ({@link StepAside}). */
    boolean othersWaiting() {
        return System.nanoTime() - lastBeat > BEAT_NANOS + LATE_NANOS;
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(heart);
    }
}
