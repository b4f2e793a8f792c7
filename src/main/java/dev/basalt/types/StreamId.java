package dev.basalt.types;

import java.nio.ByteBuffer;

/**
 * A stream entry ID: milliseconds and a sequence number, both unsigned 64-bit (Java longs compared
 * unsigned). Stored as 16 bytes big-endian, so byte order is ID order, as Kvrocks writes them.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    /** "+": the greatest ID Redis knows. */
    public static final StreamId MAX = new StreamId(-1L, -1L);
    /**
     * The greatest ID an entry can have in Kvrocks's layout: subkeys starting with UINT64_MAX are the
     * stream's consumer groups, consumers and pending entries.
     */
    public static final StreamId MAX_STORABLE = new StreamId(-2L, -1L);

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    public boolean greaterThan(StreamId o) {
        return compareTo(o) > 0;
    }

    public boolean lessThan(StreamId o) {
        return compareTo(o) < 0;
    }

    /** The next ID, or null after the greatest one (Redis's streamIncrID failing). */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The previous ID, or null before 0-0 (streamDecrID failing). */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    /** An entry with this ID can be stored (see {@link #MAX_STORABLE}). */
    public boolean storable() {
        return ms != -1L;
    }

    public byte[] bytes() {
        return ByteBuffer.allocate(16).putLong(ms).putLong(seq).array();
    }

    /** The ID stored in 16 bytes at offset. */
    public static StreamId read(byte[] b, int offset) {
        ByteBuffer in = ByteBuffer.wrap(b, offset, 16);
        return new StreamId(in.getLong(), in.getLong());
    }

    /** {@code <ms>-<seq>} in decimal, as replies show IDs. */
    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
}
