package dev.basalt.server;

import dev.basalt.config.OutputBufferLimits;
import dev.basalt.protocol.ReplyBuffer;
import dev.basalt.util.Log;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A connection's way out to its socket. Its own thread sends replies; any other thread may push a
 * complete frame (pub/sub messages and the like). One permit is held for each whole write, so a frame
 * never lands inside another. A pusher only queues: a helper virtual thread, started at the first push,
 * writes the queue out, so a slow reader stalls that helper and never the pusher. Pending pushes are
 * bounded; past the limit the client is dropped, as Redis drops a subscriber over its output buffer limit.
 * A frame pushed while the connection's thread holds replies not yet sent goes out after them: a
 * message published after SUBSCRIBE subscribed the client never overtakes SUBSCRIBE's confirmation.
 */
final class Outbound {
    private final OutputStream socket;
    private final Supplier<OutputBufferLimits> limits;
    private final Consumer<String> onOverflow;
    /** Guards the choice between {@link #pushes} and {@link #deferred}, and the move from one to the other. */
    private final ReentrantLock queueLock = new ReentrantLock();
    /** Frames pushed while replies were pending; they follow those replies. Guarded by queueLock. */
    private final ArrayDeque<byte[]> deferred = new ArrayDeque<>();
    /** Set by the connection's thread when it starts on a request; cleared once its replies are written. */
    private volatile boolean repliesPending;
    /** Since when (System.nanoTime) pending pushes have been over the soft limit; 0 while under it. */
    private volatile long overSoftSince;
    /**
     * The right to write to the socket. A permit rather than a lock: a large read's reply may start
     * spilling on the platform thread the read moved to, and the connection's thread ends that hold.
     */
    private final Semaphore writePermit = new Semaphore(1);
    private final ConcurrentLinkedQueue<byte[]> pushes = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingPushBytes = new AtomicLong();
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition pushed = wakeLock.newCondition();
    private Thread pusherThread;
    private volatile boolean closed;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    /**
     * Set while a reply is going out in parts (a large read spilling early): the connection keeps
     * the write permit from the first part until the replies are complete, so no push lands inside them.
     */
    private boolean streaming;

    /**
     * @param limits the pending push bytes allowed, read at each push (CONFIG SET applies at once)
     * @param onOverflow logs why and drops the client (called once, from the pushing thread)
     */
    Outbound(OutputStream socket, Supplier<OutputBufferLimits> limits, Consumer<String> onOverflow) {
        this.socket = socket;
        this.limits = limits;
        this.onOverflow = onOverflow;
    }

    /** The connection's thread starts on a request: pushes from now on wait until its replies are written. */
    void beginReplies() {
        repliesPending = true;
    }

    /**
     * The connection's thread is about to wait for its client with no replies to send (CLIENT REPLY OFF
     * answered nothing): pushes held for the replies may go.
     */
    void noRepliesPending() throws IOException {
        if (!repliesPending) {
            return;
        }
        writePermit.acquireUninterruptibly();
        try {
            releaseDeferred();
            drainPushes();
        } finally {
            writePermit.release();
        }
    }

    /** Sends the pending replies (and any queued pushes before them), then empties the buffer. */
    void sendReplies(ReplyBuffer replies) throws IOException {
        boolean held = streaming; // a spilled reply holds the permit already
        if (!held) {
            writePermit.acquireUninterruptibly();
        }
        try {
            if (!held) {
                drainPushes();
            }
            replies.writeTo(socket);
            releaseDeferred();
            drainPushes();
        } finally {
            streaming = false;
            writePermit.release();
        }
    }

    /**
     * Writes part of a large reply early (see ReplyBuffer's spill); the write permit stays held until
     * {@link #sendReplies} completes the replies.
     */
    void writeReplyBytes(byte[] b, int off, int len) throws IOException {
        if (!streaming) {
            writePermit.acquireUninterruptibly();
            streaming = true;
            drainPushes(); // still at a frame boundary
        }
        socket.write(b, off, len);
    }

    /** Queues a frame from any thread; false when the client is (now) over its limit or gone. */
    boolean push(byte[] frame) {
        if (closed) {
            return false;
        }
        long pending = pendingPushBytes.addAndGet(frame.length);
        String over = overLimit(pending);
        if (over != null) {
            pendingPushBytes.addAndGet(-frame.length);
            closed = true;
            // Several publishers can cross the limit at once: one of them logs and drops the client.
            if (overflowed.compareAndSet(false, true)) {
                onOverflow.accept(over);
            }
            return false;
        }
        queueLock.lock();
        try {
            if (repliesPending) {
                deferred.add(frame);
                return true;
            }
            pushes.add(frame);
        } finally {
            queueLock.unlock();
        }
        wakePusher();
        return true;
    }

    /** Why pending bytes break the limits (as Redis's checkClientOutputBufferLimits), or null. */
    private String overLimit(long pending) {
        OutputBufferLimits l = limits.get();
        if (l.hardBytes() > 0 && pending > l.hardBytes()) {
            return pending + " bytes of pushed messages unread, over the hard limit of " + l.hardBytes();
        }
        if (l.softBytes() > 0 && pending > l.softBytes()) {
            long now = System.nanoTime();
            long since = overSoftSince;
            if (since == 0) {
                overSoftSince = now;
            } else if (now - since > l.softSeconds() * 1_000_000_000L) {
                return pending + " bytes of pushed messages unread, over the soft limit of " + l.softBytes()
                        + " for more than " + l.softSeconds() + "s";
            }
        } else if (overSoftSince != 0) {
            overSoftSince = 0;
        }
        return null;
    }

    /** The replies are written: frames that waited for them join the queue (the caller holds the write permit). */
    private void releaseDeferred() {
        queueLock.lock();
        try {
            repliesPending = false;
            byte[] f;
            while ((f = deferred.poll()) != null) {
                pushes.add(f);
            }
        } finally {
            queueLock.unlock();
        }
    }

    long pendingPushBytes() {
        return pendingPushBytes.get();
    }

    private void wakePusher() {
        wakeLock.lock();
        try {
            if (pusherThread == null) {
                pusherThread = Thread.ofVirtual().name("push-writer").start(this::pushLoop);
            }
            pushed.signal();
        } finally {
            wakeLock.unlock();
        }
    }

    private void pushLoop() {
        while (!closed) {
            wakeLock.lock();
            try {
                while (pushes.isEmpty() && !closed) {
                    pushed.await();
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                wakeLock.unlock();
            }
            writePermit.acquireUninterruptibly();
            try {
                drainPushes();
            } catch (IOException e) {
                closed = true;
                return;
            } finally {
                writePermit.release();
            }
        }
    }

    /** Most bytes of queued pushes gathered into one socket write. */
    private static final int GATHER_BYTES = 64 * 1024;

    /**
     * Writes every queued push; the caller holds the write permit. Frames that queued up together go out
     * in one write (a subscriber behind a busy channel costs one system call per batch, not per message).
     */
    private void drainPushes() throws IOException {
        byte[] frame = pushes.poll();
        if (frame == null) {
            return;
        }
        byte[] next = pushes.poll();
        if (next == null) {
            socket.write(frame);
            pendingPushBytes.addAndGet(-frame.length);
            return;
        }
        // Sized to what is queued (at most GATHER_BYTES), so an idle subscriber's batch stays small.
        byte[] gathered = new byte[(int) Math.min(GATHER_BYTES, Math.max(pendingPushBytes.get(),
                (long) frame.length + next.length))];
        int used = 0;
        while (frame != null) {
            if (frame.length > gathered.length - used) {
                if (used > 0) {
                    socket.write(gathered, 0, used);
                    pendingPushBytes.addAndGet(-used);
                    used = 0;
                }
                if (frame.length > gathered.length) {
                    socket.write(frame);
                    pendingPushBytes.addAndGet(-frame.length);
                    frame = next != null ? next : pushes.poll();
                    next = null;
                    continue;
                }
            }
            System.arraycopy(frame, 0, gathered, used, frame.length);
            used += frame.length;
            frame = next != null ? next : pushes.poll();
            next = null;
        }
        if (used > 0) {
            socket.write(gathered, 0, used);
            pendingPushBytes.addAndGet(-used);
        }
    }

    /** Stops the push writer (the connection is ending); called on the connection's own thread. */
    void close() {
        if (streaming) { // a reply that spilled and never completed gives the permit back
            streaming = false;
            writePermit.release();
        }
        closed = true;
        wakeLock.lock();
        try {
            pushed.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }
}
