package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Numeric SCAN cursors, as Redis clients expect them: a cursor stands for the position (the last key
 * or element returned) where the next call resumes. Positions live in a bounded LRU table; cursor 0
 * means "from the start", and a cursor the table no longer knows also resumes from the start.
 */
public final class ScanCursors {
    private static final int CAPACITY = 16_384;

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong next = new AtomicLong(1 + (long) (Math.random() * 1_000_000));
    private final Map<Long, byte[]> positions = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CAPACITY;
        }
    };

    /** A new cursor for resuming after position. */
    public long save(byte[] position) {
        long id = next.getAndIncrement();
        lock.lock();
        try {
            positions.put(id, position);
        } finally {
            lock.unlock();
        }
        return id;
    }

    /** The position a cursor stands for, or null to start from the beginning. */
    public byte[] position(long cursor) {
        if (cursor == 0) {
            return null;
        }
        lock.lock();
        try {
            return positions.get(cursor);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Parses a cursor argument as Redis does (C strtoul): an optional sign, decimal digits, "" is 0 and
     * "-N" wraps around; a leading space, trailing text or overflow is "ERR invalid cursor".
     */
    public static long parse(byte[] arg) throws dev.basalt.protocol.ErrorReply {
        dev.basalt.protocol.ErrorReply invalid = new dev.basalt.protocol.ErrorReply("ERR invalid cursor");
        int i = 0;
        boolean negative = false;
        if (arg.length > 0 && (arg[0] == '+' || arg[0] == '-')) {
            negative = arg[0] == '-';
            i = 1;
        }
        long value = 0;
        for (; i < arg.length; i++) {
            int d = arg[i] - '0';
            if (d < 0 || d > 9) {
                throw invalid;
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw invalid;
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }
}
