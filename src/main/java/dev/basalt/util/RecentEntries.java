package dev.basalt.util;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * The newest entries of a log any thread may add to (SLOWLOG, PERFLOG), newest first, each made with its
 * sequence number (0, 1, 2... in the order they were added; clearing does not restart it).
 */
public final class RecentEntries<E> {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<E> entries = new ArrayDeque<>();
    private long added;

    /** Adds the entry made from its sequence number and keeps the newest max (max < 0: all). */
    public void add(LongFunction<E> entry, long max) {
        lock.lock();
        try {
            entries.addFirst(entry.apply(added++));
            while (max >= 0 && entries.size() > max) {
                entries.removeLast();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The newest count entries (count < 0: all), newest first. */
    public List<E> newest(long count) {
        lock.lock();
        try {
            List<E> out = new ArrayList<>();
            for (E e : entries) {
                if (count >= 0 && out.size() >= count) {
                    break;
                }
                out.add(e);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    public void clear() {
        lock.lock();
        try {
            entries.clear();
        } finally {
            lock.unlock();
        }
    }
}
