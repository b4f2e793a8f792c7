package dev.basalt.execution;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.StorageException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads for reads that turn out long. Clients' virtual threads share few carriers that are
 * never preempted: a read walking millions of entries there steps aside every slice, yet behind two or
 * three such walks a PING still waited over 50 ms at p99 (StressCheck, one carrier). A read that is
 * still walking after its first slice starts over here instead, where the operating system shares
 * the CPU, while its connection parks; the carriers stay free for everyone else.
 */
final class LongReads {
    /** Ends a read's first try so that it can start over on a platform thread; no stack trace. */
    static final class Move extends RuntimeException {
        private Move() {
            super(null, null, false, false);
        }
    }

    static final Move MOVE = new Move();

    /** Ends a moved read at its next slice once the server is stopping; no stack trace. */
    static final class Stopped extends RuntimeException {
        private Stopped() {
            super(null, null, false, false);
        }
    }

    private static final Stopped STOPPED = new Stopped();

    /** The body of a read, as a handler runs it. */
    interface Read {
        void run() throws ErrorReply, StorageException;
    }

    private final ThreadPoolExecutor pool;
    private volatile boolean stopping;

    LongReads(int threads) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon().name("basalt-long-read-" + n.incrementAndGet()).unstarted(r));
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * The server is stopping: reads running here end at their next slice (answering an error) and no
     * more start, so that the storage is never closed under a walk that would go on for long.
     */
    void stop() {
        stopping = true;
        pool.shutdown();
    }

    /** Waits up to the timeout for the reads still running here; true when none is left. */
    boolean awaitStopped(long timeoutMillis) {
        try {
            return pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What a moved read does each time it has walked a slice: nothing, unless the server is stopping. */
    void sliceEnded() {
        if (stopping) {
            throw STOPPED;
        }
    }

    /** Whether a read running on this thread may move: only connections' virtual threads hold a carrier. */
    static boolean mayMove() {
        return Thread.currentThread().isVirtual();
    }

    /**
     * Runs the read on a platform thread and waits for it, uninterruptibly: the caller's Txn and reply
     * are the read's until it ends. Its errors are thrown here as they would have been on the caller's thread.
     */
    void run(Read read) throws ErrorReply, StorageException {
        Future<Void> done;
        try {
            done = pool.submit(() -> {
                read.run();
                return null;
            });
        } catch (RejectedExecutionException e) {
            throw STOPPED;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    switch (e.getCause()) {
                        case ErrorReply r -> throw r;
                        case StorageException s -> throw s;
                        case RuntimeException r -> throw r;
                        case Error r -> throw r;
                        default -> throw new IllegalStateException(e.getCause());
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
