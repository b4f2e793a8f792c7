package dev.basalt.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A connection's pending reply bytes: a growable array that replies are encoded into and that goes to
 * the socket in one write. It starts small (idle connections are common) and {@link #shrink()} gives
 * back what a large reply made it grow to.
 *
 * <p>Positions ({@link #position()}, {@link #truncate}) count every byte since the buffer was made,
 * so a mark stays meaningful after a spill. A reply that grows past {@link #SPILL_BYTES} while spilling
 * is allowed (a read with nothing uncommitted before it) is written out early through the spill sink,
 * so a huge LRANGE neither doubles in memory nor waits whole; a mark from before a spill can then no
 * longer be truncated to.
 */
public final class ReplyBuffer {
    /** Size a buffer starts at and shrinks back to. */
    static final int INITIAL_BYTES = 256;
    /** A buffer grown beyond this is shrunk when it empties. */
    static final int RETAINED_BYTES = 64 * 1024;
    static final int SPILL_BYTES = 256 * 1024;

    /** Where spilled bytes go: the socket, under the connection's output lock. */
    @FunctionalInterface
    public interface Sink {
        void write(byte[] bytes, int off, int len) throws IOException;
    }

    private byte[] buf = new byte[INITIAL_BYTES];
    private int size;
    /** Bytes already handed on (flushed or spilled): positions below this cannot be truncated to. */
    private long base;
    private Sink spillSink;
    private boolean spillAllowed;

    public void setSpillSink(Sink sink) {
        this.spillSink = sink;
    }

    /** Whether what is in the buffer now, and what is written next, may go out before the command ends. */
    public void allowSpill(boolean allowed) {
        this.spillAllowed = allowed;
    }

    public long position() {
        return base + size;
    }

    /** Bytes pending (not yet handed on). */
    public int size() {
        return size;
    }

    /** Whether everything written since the mark is still here (none of it flushed or spilled). */
    public boolean holdsSince(long mark) {
        return mark >= base;
    }

    /** Drops what was written after the mark; false when part of it has already gone out. */
    public boolean truncate(long mark) {
        if (mark < base) {
            return false;
        }
        size = (int) (mark - base);
        return true;
    }

    /** The pending bytes from the mark on (for EXEC and bursts that copy a command's reply). */
    public byte[] copyFrom(long mark) {
        return Arrays.copyOfRange(buf, (int) (mark - base), size);
    }

    public void write(int b) {
        if (size == buf.length) {
            grow(1);
        }
        buf[size++] = (byte) b;
    }

    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    public void write(byte[] b, int off, int len) {
        if (size + len > buf.length) {
            if (spillAllowed && spillSink != null && size + len > SPILL_BYTES) {
                spill();
                if (len > SPILL_BYTES) {
                    writeThrough(b, off, len);
                    return;
                }
            }
            grow(len);
        }
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Room for n more bytes, for encoders that write into {@link #array()} at {@link #size()} directly. */
    byte[] reserve(int n) {
        if (size + n > buf.length) {
            if (spillAllowed && spillSink != null && size + n > SPILL_BYTES) {
                spill();
            }
            if (size + n > buf.length) {
                grow(n);
            }
        }
        return buf;
    }

    void advance(int n) {
        size += n;
    }

    /** Writes the pending bytes to out and empties the buffer (shrinking it if a large reply grew it). */
    public void writeTo(OutputStream out) throws IOException {
        if (size > 0) {
            out.write(buf, 0, size);
        }
        base += size;
        size = 0;
        shrink();
    }

    /** Gives back memory a large reply made the buffer grow to, once it is empty. */
    public void shrink() {
        if (size == 0 && buf.length > RETAINED_BYTES) {
            buf = new byte[INITIAL_BYTES];
        }
    }

    private void spill() {
        try {
            spillSink.write(buf, 0, size);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        base += size;
        size = 0;
    }

    private void writeThrough(byte[] b, int off, int len) {
        try {
            spillSink.write(b, off, len);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        base += len;
    }

    private void grow(int needed) {
        long want = Math.max((long) buf.length * 2, (long) size + needed);
        if (want > Integer.MAX_VALUE - 16) {
            throw new OutOfMemoryError("reply larger than 2 GB");
        }
        buf = Arrays.copyOf(buf, (int) want);
    }
}
