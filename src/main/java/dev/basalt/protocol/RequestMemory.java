package dev.basalt.protocol;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap all clients' requests may hold at once, beyond the first megabyte of each. Without it,
 * a few clients each announcing a 512 MB argument exhaust the heap. A request that would exceed it
 * waits a moment for others to finish, then is refused with an error in its own place.
 */
public final class RequestMemory {
    /** How long a large request waits for memory before it is refused. */
    private static final long WAIT_MS = 2_000;
    private static final int UNIT = 1024;

    private final Semaphore kilobytes;
    private final long limitBytes;

    public RequestMemory(long limitBytes) {
        this.limitBytes = limitBytes;
        this.kilobytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, limitBytes / UNIT));
    }

    /** Half of the maximum heap: room for requests and for what commands make of them. */
    public static RequestMemory forHeap() {
        return new RequestMemory(Runtime.getRuntime().maxMemory() / 2);
    }

    public long limitBytes() {
        return limitBytes;
    }

    /**
     * Reserves at least the given bytes (whole kilobytes), waiting briefly when {@code wait}; returns the
     * bytes reserved, to be given back to {@link #release}, or 0 when refused.
     */
    long acquire(long bytes, boolean wait) {
        int units = units(bytes);
        boolean got = kilobytes.tryAcquire(units);
        if (!got && wait) {
            try {
                got = kilobytes.tryAcquire(units, WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return got ? (long) units * UNIT : 0;
    }

    /** Gives back bytes this budget granted (a sum of {@link #acquire} results). */
    void release(long grantedBytes) {
        if (grantedBytes > 0) {
            kilobytes.release((int) (grantedBytes / UNIT));
        }
    }

    private static int units(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + UNIT - 1) / UNIT);
    }
}
