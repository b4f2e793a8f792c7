package dev.basalt.server;

import dev.basalt.protocol.ReplyBuffer;
import dev.basalt.util.Log;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection's way out to its socket. Its own thread sends replies; any other thread may push a
 * complete frame (pub/sub messages and the like). One lock is held for each whole write, so a frame
 * never lands inside another. A pusher only queues: a helper virtual thread, started at the first push,
 * writes the queue out, so a slow reader stalls that helper and never the pusher. Pending pushes are
 * bounded; past the limit the client is dropped, as Redis drops a subscriber over its output buffer limit.
 */
final class Outbound {
    private final OutputStream socket;
    private final long pushLimitBytes;
    private final Runnable onOverflow;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<byte[]> pushes = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingPushBytes = new AtomicLong();
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition pushed = wakeLock.newCondition();
    private Thread pusherThread;
    private volatile boolean closed;
    /**
     * Set while a reply is going out in parts (a large read spilling early): the connection's thread keeps
     * the write lock from the first part until the replies are complete, so no push lands inside them.
     */
    private boolean streaming;

    /**
     * @param pushLimitBytes pending push bytes beyond which the client is dropped
     * @param onOverflow drops the client (called once, from the pushing thread)
     */
    Outbound(OutputStream socket, long pushLimitBytes, Runnable onOverflow) {
        this.socket = socket;
        this.pushLimitBytes = pushLimitBytes;
        this.onOverflow = onOverflow;
    }

    /** Sends the pending replies (and any queued pushes before them), then empties the buffer. */
    void sendReplies(ReplyBuffer replies) throws IOException {
        writeLock.lock();
        try {
            if (!streaming) {
                drainPushes();
            }
            replies.writeTo(socket);
        } finally {
            writeLock.unlock();
            endStream();
        }
    }

    /**
     * Writes part of a large reply early (see ReplyBuffer's spill); the write lock stays held until
     * {@link #sendReplies} completes the replies.
     */
    void writeReplyBytes(byte[] b, int off, int len) throws IOException {
        if (!streaming) {
            writeLock.lock();
            streaming = true;
            drainPushes(); // still at a frame boundary
        }
        socket.write(b, off, len);
    }

    /** Releases the hold a spilled reply took (on the connection's own thread). */
    private void endStream() {
        if (streaming) {
            streaming = false;
            writeLock.unlock();
        }
    }

    /** Queues a frame from any thread; false when the client is (now) over its limit or gone. */
    boolean push(byte[] frame) {
        if (closed) {
            return false;
        }
        if (pendingPushBytes.addAndGet(frame.length) > pushLimitBytes) {
            pendingPushBytes.addAndGet(-frame.length);
            Log.warn("client dropped: " + pendingPushBytes.get() + " bytes of pushed messages unread, over the limit of "
                    + pushLimitBytes);
            closed = true;
            onOverflow.run();
            return false;
        }
        pushes.add(frame);
        wakePusher();
        return true;
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
            writeLock.lock();
            try {
                drainPushes();
            } catch (IOException e) {
                closed = true;
                return;
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Writes every queued push; the caller holds the write lock. */
    private void drainPushes() throws IOException {
        byte[] frame;
        while ((frame = pushes.poll()) != null) {
            socket.write(frame);
            pendingPushBytes.addAndGet(-frame.length);
        }
    }

    /** Stops the push writer (the connection is ending); called on the connection's own thread. */
    void close() {
        endStream();
        closed = true;
        wakeLock.lock();
        try {
            pushed.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }
}
