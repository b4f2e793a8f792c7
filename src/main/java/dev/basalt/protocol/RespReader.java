package dev.basalt.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads client requests: RESP multibulk arrays and inline commands (as telnet and redis-cli send
 * them). Limits and error texts follow Redis 7's networking.c.
 */
public final class RespReader {
    /** Longest inline request, and longest count line, Redis accepts before answering an error. */
    public static final int INLINE_MAX = 64 * 1024;
    /** Redis limits unauthenticated clients to small requests so that they cannot exhaust memory. */
    static final int UNAUTH_MAX_ARGS = 10;
    static final int UNAUTH_MAX_BULK = 16384;
    /** Bulk arguments up to this size are allocated at once; larger ones grow as their bytes arrive. */
    private static final int BULK_PREALLOCATE = 1 << 20;
    /** The read buffer starts this small (idle connections are common), doubles as requests need, and shrinks back when idle. */
    static final int INITIAL_BUFFER = 1024;
    private static final int RETAINED_BUFFER = 64 * 1024;
    /** What a request's arguments may take before it must reserve from the shared {@link RequestMemory}. */
    static final long UNRESERVED_REQUEST_BYTES = 1 << 20;
    /** Per-argument overhead counted against the budget besides its bytes (array header, list slot). */
    private static final int ARGUMENT_OVERHEAD = 32;
    /** How long a connection looks for its client's next request before parking, when it came quickly last time... */
    private static final long SPIN_NANOS = 50_000;
    /** ...that is, within this long (a wait that included parking takes longer than the client took). */
    private static final long QUICK_NANOS = 200_000;

    /** Thrown inside {@link #nextBuffered} when the next request is not complete in the buffer yet. */
    private static final class NotBuffered extends RuntimeException {
        NotBuffered() {
            super(null, null, false, false);
        }
    }

    private static final NotBuffered NOT_BUFFERED = new NotBuffered();

    /** Something to do before a read that would wait for the client. */
    @FunctionalInterface
    public interface BeforeWait {
        void run() throws IOException;
    }

    private final InputStream in;
    private final RequestMemory memory;
    /** How long the last socket read waited for its bytes. */
    private long lastWaitNanos = Long.MAX_VALUE;
    private BeforeWait beforeWait = () -> { };
    private byte[] buf = new byte[INITIAL_BUFFER];
    /** While set, parsing must not read from the socket: {@link #nextBuffered} looks at the buffer only. */
    private boolean bufferedOnly;
    /** Bytes the request being parsed has taken so far. */
    private long requestBytes;
    /** Bytes reserved from the shared budget by the requests read and not yet released. */
    private long reserved;
    /** Set when the budget refused the request being parsed: its arguments are read and dropped. */
    private boolean discarding;
    private int pos;
    private int end;
    private volatile long maxBulkLen;
    private boolean eof;
    /** A read started in the background while the connection is parked in a blocking command. */
    private java.util.concurrent.CompletableFuture<Integer> pending;

    public RespReader(InputStream in, long maxBulkLen, RequestMemory memory) {
        this.in = in;
        this.maxBulkLen = maxBulkLen;
        this.memory = memory;
    }

    /**
     * Runs before every read from the client (any of which may wait): the connection sends the replies
     * held so far, since a client that sent half a request may wait for the answers to the whole ones first.
     */
    public void setBeforeWait(BeforeWait hook) {
        this.beforeWait = hook;
    }

    public void setMaxBulkLen(long maxBulkLen) {
        this.maxBulkLen = maxBulkLen;
    }

    /** True when bytes of a further request are already buffered, so replies may wait to be flushed together. */
    public boolean hasBufferedInput() {
        if (pending != null && pending.isDone()) {
            absorbPending();
        }
        return pos < end;
    }

    /**
     * Starts (or returns the already started) background read, used while the connection waits in a
     * blocking command to notice the peer hanging up: completes with the byte count, negative at end
     * of stream. The bytes read are kept for the next request.
     */
    public java.util.concurrent.CompletableFuture<Integer> readAhead() {
        if (pending == null) {
            makeRoom();
            java.util.concurrent.CompletableFuture<Integer> f = new java.util.concurrent.CompletableFuture<>();
            byte[] target = buf;
            int off = end;
            Thread.ofVirtual().name("read-ahead").start(() -> {
                try {
                    f.complete(in.read(target, off, target.length - off));
                } catch (IOException e) {
                    f.complete(-1);
                }
            });
            pending = f;
        }
        return pending;
    }

    /** Takes in the result of a background read; false at end of stream. */
    private boolean absorbPending() {
        int n = pending.join();
        pending = null;
        if (n <= 0) {
            eof = true;
            return false;
        }
        end += n;
        return true;
    }

    /**
     * Reads the next request. Returns null at a clean end of stream (between requests). Empty requests
     * (an empty inline line, {@code *0}) are skipped as Redis does. A request the shared request
     * memory could not hold is read and dropped; it comes back as {@link #TOO_LARGE}.
     */
    public byte[][] read(boolean authenticated) throws IOException, ProtocolException {
        while (true) {
            if (pos >= end) {
                shrinkIfIdle();
                if (!fill()) {
                    return null;
                }
            }
            requestBytes = 0;
            discarding = false;
            byte[][] req = buf[pos] == '*' ? readMultibulk(authenticated) : readInline();
            if (discarding) {
                discarding = false;
                return TOO_LARGE;
            }
            if (req != null && req.length > 0) {
                return req;
            }
        }
    }

    /** Stands in for a request the shared request memory refused (its bytes were read and dropped). */
    public static final byte[][] TOO_LARGE = new byte[0][];

    /**
     * The next request if it is already complete in the buffer, else null (nothing is consumed then):
     * lets the caller gather a pipelined burst without waiting for the client.
     */
    public byte[][] nextBuffered(boolean authenticated) throws IOException, ProtocolException {
        while (pos < end) {
            int start = pos;
            long reservedBefore = reserved;
            bufferedOnly = true;
            byte[][] req;
            try {
                requestBytes = 0;
                discarding = false;
                req = buf[pos] == '*' ? readMultibulk(authenticated) : readInline();
            } catch (NotBuffered e) {
                pos = start;
                memory.release(reserved - reservedBefore);
                reserved = reservedBefore;
                discarding = false;
                return null;
            } finally {
                bufferedOnly = false;
            }
            if (discarding) {
                discarding = false;
                return TOO_LARGE;
            }
            if (req != null && req.length > 0) {
                return req;
            }
        }
        return null;
    }

    /** Gives back the shared request memory held by the requests read so far (they have run). */
    public void releaseRequestMemory() {
        if (reserved > 0) {
            memory.release(reserved);
            reserved = 0;
        }
    }

    /** Between requests, returns to a small buffer if a large request made it grow. */
    private void shrinkIfIdle() {
        if (pos >= end && pending == null && buf.length > RETAINED_BUFFER) {
            buf = new byte[INITIAL_BUFFER];
            pos = 0;
            end = 0;
        }
    }

    /**
     * Counts an argument's bytes against the request: beyond {@link #UNRESERVED_REQUEST_BYTES} they
     * are reserved from the shared budget, waiting a little when it is short; when it stays short the
     * request is dropped rather than the heap exhausted.
     */
    private void account(long bytes) {
        long before = requestBytes;
        requestBytes += bytes;
        if (discarding || requestBytes <= UNRESERVED_REQUEST_BYTES) {
            return;
        }
        long need = requestBytes - Math.max(before, UNRESERVED_REQUEST_BYTES);
        long granted = memory.acquire(need, !bufferedOnly);
        if (granted > 0) {
            reserved += granted;
        } else if (bufferedOnly) {
            throw NOT_BUFFERED; // left for read(), which may wait for memory
        } else {
            discarding = true;
        }
    }

    private byte[][] readMultibulk(boolean authenticated) throws IOException, ProtocolException {
        pos++; // '*'
        int eol = findCr("too big mbulk count string");
        long count = parseLong(pos, eol);
        if (count == Long.MIN_VALUE || count > Integer.MAX_VALUE) {
            throw new ProtocolException("invalid multibulk length");
        }
        if (!authenticated && count > UNAUTH_MAX_ARGS) {
            throw new ProtocolException("unauthenticated multibulk length");
        }
        pos = eol + 2;
        if (count <= 0) {
            return new byte[0][];
        }
        // Do not trust the count for preallocation: a client may announce millions and send nothing.
        List<byte[]> args = new ArrayList<>((int) Math.min(count, 16));
        for (long i = 0; i < count; i++) {
            if (pos >= end && !fill()) {
                throw new EOFException();
            }
            if (buf[pos] != '$') {
                throw new ProtocolException("expected '$', got '" + (char) (buf[pos] & 0xff) + "'");
            }
            pos++;
            int lineEnd = findCr("too big bulk count string");
            long len = parseLong(pos, lineEnd);
            if (len < 0 || len > maxBulkLen) {
                throw new ProtocolException("invalid bulk length");
            }
            if (!authenticated && len > UNAUTH_MAX_BULK) {
                throw new ProtocolException("unauthenticated bulk length");
            }
            pos = lineEnd + 2;
            account(len + ARGUMENT_OVERHEAD);
            byte[] arg = discarding ? skipBulk((int) len) : readBulk((int) len);
            if (!discarding) {
                args.add(arg);
            }
        }
        return discarding ? null : args.toArray(new byte[0][]);
    }

    private byte[] readBulk(int len) throws IOException {
        // Grow with the data that arrives rather than trusting the announced length up front, so that
        // clients announcing huge arguments and sending nothing cannot exhaust the heap.
        byte[] value = new byte[Math.min(len, BULK_PREALLOCATE)];
        int copied = 0;
        while (copied < len) {
            if (pos >= end && !fill()) {
                throw new EOFException();
            }
            int n = Math.min(len - copied, end - pos);
            if (copied + n > value.length) {
                value = Arrays.copyOf(value, (int) Math.min(len, Math.max(2L * value.length, copied + n)));
            }
            System.arraycopy(buf, pos, value, copied, n);
            pos += n;
            copied += n;
        }
        // Redis skips the two bytes after the payload without checking them; so do we.
        for (int skip = 0; skip < 2; skip++) {
            if (pos >= end && !fill()) {
                throw new EOFException();
            }
            pos++;
        }
        return value;
    }

    /** Reads past a bulk argument without keeping it (its request was refused memory). */
    private byte[] skipBulk(int len) throws IOException {
        long left = len + 2L; // the payload and its CRLF
        while (left > 0) {
            if (pos >= end && !fill()) {
                throw new EOFException();
            }
            int n = (int) Math.min(left, end - pos);
            pos += n;
            left -= n;
        }
        return null;
    }

    private byte[][] readInline() throws IOException, ProtocolException {
        int nl;
        while ((nl = indexOf((byte) '\n', pos)) < 0) {
            if (end - pos > INLINE_MAX) {
                throw new ProtocolException("too big inline request");
            }
            if (!fill()) {
                throw new EOFException();
            }
        }
        if (nl - pos > INLINE_MAX) {
            throw new ProtocolException("too big inline request");
        }
        int lineEnd = nl > pos && buf[nl - 1] == '\r' ? nl - 1 : nl;
        byte[] line = Arrays.copyOfRange(buf, pos, lineEnd);
        pos = nl + 1;
        List<byte[]> args = InlineSplitter.split(line);
        if (args == null) {
            throw new ProtocolException("unbalanced quotes in request");
        }
        return args.toArray(new byte[0][]);
    }

    /** Finds the CR ending a count line starting at pos, reading more as needed; the LF must follow. */
    private int findCr(String tooBig) throws IOException, ProtocolException {
        while (true) {
            int cr = indexOf((byte) '\r', pos);
            if (cr >= 0 && cr + 1 < end) {
                return cr;
            }
            if (end - pos > INLINE_MAX) {
                throw new ProtocolException(tooBig);
            }
            if (!fill()) {
                throw new EOFException();
            }
        }
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < end; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Parses a signed decimal; Long.MIN_VALUE for anything that is not one. */
    private long parseLong(int from, int to) {
        if (from >= to || to - from > 20) {
            return Long.MIN_VALUE;
        }
        boolean neg = buf[from] == '-';
        int i = neg ? from + 1 : from;
        if (i >= to) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** Reads more bytes, compacting or growing the buffer; false at end of stream. */
    private boolean fill() throws IOException {
        if (bufferedOnly) {
            throw NOT_BUFFERED;
        }
        // Every socket read may wait; the replies so far go out first (one write per read, as Redis
        // answers once per read of a client's input).
        if (pending == null || !pending.isDone()) {
            beforeWait.run();
        }
        if (pending != null) {
            return absorbPending();
        }
        if (eof) {
            return false;
        }
        makeRoom();
        long waitStart = System.nanoTime();
        if (Thread.currentThread().isVirtual() && in.available() == 0) {
            // Nothing there yet: other clients ready to run go first. By the time this one is back its
            // client has usually sent more, so the read finds bytes instead of failing, registering with
            // the poller and parking (system calls and two thread wake-ups saved per request under load).
            // A client whose next requests are already there reads on at once, so a pipelining publisher
            // queues a whole burst for its subscribers' writers before they run.
            Thread.yield();
            if (lastWaitNanos < QUICK_NANOS && in.available() == 0) {
                // A client that answered quickly last time likely will again: look a little longer
                // (still letting others run) before parking, which costs more than this wait.
                do {
                    Thread.yield();
                } while (in.available() == 0 && System.nanoTime() - waitStart < SPIN_NANOS);
            }
        }
        int n = in.read(buf, end, buf.length - end);
        lastWaitNanos = System.nanoTime() - waitStart;
        if (n <= 0) {
            return false;
        }
        end += n;
        return true;
    }

    /** Moves unread bytes to the front, and doubles the buffer when it is full. */
    private void makeRoom() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
    }
}
