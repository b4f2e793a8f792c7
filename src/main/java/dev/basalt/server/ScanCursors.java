package dev.basalt.server;

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

    /** Parses a cursor argument; Redis's error for anything that is not an unsigned integer. */
    public static long parse(byte[] arg) throws dev.basalt.command.CommandException {
        try {
            return Long.parseUnsignedLong(new String(arg, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new dev.basalt.command.CommandException("ERR invalid cursor");
        }
    }
}
