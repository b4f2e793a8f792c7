package dev.basalt.server;

import dev.basalt.command.ServerStats;
import dev.basalt.config.RedisParameters;
import dev.basalt.util.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * The server's periodic work on one platform thread, {@link RedisParameters#SERVER_HZ} times a second:
 * sampling the instantaneous stats, and whatever else registers (the scheduled jobs of bgsave-cron,
 * compact-cron, dbsize-scan-cron). Tasks must return quickly; long work starts its own thread.
 */
final class ServerCron {
    private static final long TICK_MS = 1000 / RedisParameters.SERVER_HZ;

    private final List<LongConsumer> tasks = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean stopped;
    private Thread thread;

    ServerCron(ServerStats stats) {
        tasks.add(stats::sample);
    }

    /** Runs task(now in Unix ms) on every tick. */
    void add(LongConsumer task) {
        tasks.add(task);
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("basalt-cron").start(this::loop);
    }

    private void loop() {
        while (!stopped) {
            long now = System.currentTimeMillis();
            for (LongConsumer task : tasks) {
                try {
                    task.accept(now);
                } catch (RuntimeException e) {
                    Log.error("a periodic task failed", e);
                }
            }
            lock.lock();
            try {
                if (!stopped) {
                    wake.await(TICK_MS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    void stop() {
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
