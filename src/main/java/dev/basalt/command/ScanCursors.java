package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Numeric SCAN cursors (SCAN, HSCAN, SSCAN, ZSCAN), as Redis clients expect them. RocksDB iterates in
 * key order, so a cursor stands for a saved position (the last key or element examined) and the next
 * call resumes after it; cursor 0 starts a scan. Why it is built this way:
 * <ul>
 * <li>Cursors must work on any connection (client pools run the pages of one scan on different
 *     connections), so the table is server-wide, not per connection.</li>
 * <li>A cursor never restarts a scan silently: one the table does not hold (evicted, from before a
 *     restart, never issued) answers {@link #UNKNOWN}. Cursor numbers start at a random point below
 *     2^52, so a cursor from before a restart almost surely matches nothing; they stay below 2^53,
 *     which every client library reads exactly.</li>
 * <li>A cursor belongs to the namespace it was issued in; in another it is unknown.</li>
 * <li>Memory is bounded by {@link #DEFAULT_BUDGET_BYTES} (each cursor weighs its position plus a fixed
 *     overhead). When a save goes over, the cursors go from the connection that issued the most
 *     (by weight), least recently used first. So one client's flood of abandoned scans evicts only its
 *     own cursors, and another client's scan finishes whatever that client does: a scan's cursor is
 *     evicted only while the connection that issued it holds the most cursor bytes of all.</li>
 * </ul>
 * Issued cursors stay valid until evicted (not only the newest of a scan), so a client may repeat a call
 * with the same cursor, as Redis allows.
 */
public final class ScanCursors {
    /** What a cursor the table does not hold answers, rather than starting over. */
    public static final String UNKNOWN =
            "ERR invalid cursor: unknown to this server (evicted, from another namespace or from before a restart); "
                    + "start the scan again from cursor 0";
    static final long DEFAULT_BUDGET_BYTES = 16L * 1024 * 1024;
    /** A cursor's weight beyond its position's bytes: the map entries and objects that hold it. */
    static final int ENTRY_OVERHEAD_BYTES = 128;
    private static final long MAX_CURSOR = 1L << 53;

    private record Entry(long cursor, Owner owner, String namespace, byte[] position) {
        long weight() {
            return ENTRY_OVERHEAD_BYTES + position.length;
        }
    }

    /** The cursors one connection issued, least recently used first. */
    private static final class Owner {
        final long clientId;
        final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
        long weight;
        long lastUse;

        Owner(long clientId) {
            this.clientId = clientId;
        }
    }

    /** Heaviest first; among equals the one idle longest, so a busy scanner is evicted last. */
    private static final Comparator<Owner> EVICTION_ORDER = Comparator.comparingLong((Owner o) -> -o.weight)
            .thenComparingLong(o -> o.lastUse).thenComparingLong(o -> o.clientId);

    private final long budgetBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Entry> byCursor = new HashMap<>();
    private final Map<Long, Owner> owners = new HashMap<>();
    private final TreeSet<Owner> evictionOrder = new TreeSet<>(EVICTION_ORDER);
    private long totalWeight;
    private long clock;
    private long next = 1 + ThreadLocalRandom.current().nextLong(1L << 52);

    public ScanCursors() {
        this(DEFAULT_BUDGET_BYTES);
    }

    ScanCursors(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** A new cursor for resuming after position, issued to this client in its namespace. */
    public long save(ClientSession client, byte[] position) {
        lock.lock();
        try {
            long cursor = nextCursor();
            Owner owner = owners.computeIfAbsent(client.id(), Owner::new);
            Entry e = new Entry(cursor, owner, client.namespace(), position);
            evictionOrder.remove(owner);
            owner.entries.put(cursor, e);
            owner.weight += e.weight();
            owner.lastUse = ++clock;
            evictionOrder.add(owner);
            byCursor.put(cursor, e);
            totalWeight += e.weight();
            evictOver(e);
            return cursor;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The position a cursor stands for in this client's namespace, or null for cursor 0 (the start).
     *
     * @throws ErrorReply {@link #UNKNOWN} for a cursor the table does not hold for this namespace
     */
    public byte[] position(ClientSession client, long cursor) throws ErrorReply {
        if (cursor == 0) {
            return null;
        }
        lock.lock();
        try {
            Entry e = byCursor.get(cursor);
            if (e == null || !e.namespace().equals(client.namespace())) {
                throw new ErrorReply(UNKNOWN);
            }
            Owner owner = e.owner();
            evictionOrder.remove(owner);
            owner.entries.get(cursor); // marks it recently used
            owner.lastUse = ++clock;
            evictionOrder.add(owner);
            return e.position();
        } finally {
            lock.unlock();
        }
    }

    /** How many cursors the table holds (for tests). */
    int size() {
        lock.lock();
        try {
            return byCursor.size();
        } finally {
            lock.unlock();
        }
    }

    /** Their total weight in bytes: at most the budget, unless the newest cursor alone exceeds it (for tests). */
    long weight() {
        lock.lock();
        try {
            return totalWeight;
        } finally {
            lock.unlock();
        }
    }

    private long nextCursor() {
        while (true) {
            long c = next;
            next = next + 1 >= MAX_CURSOR ? 1 : next + 1;
            if (!byCursor.containsKey(c)) {
                return c;
            }
        }
    }

    /** Evicts until the table is within budget, heaviest owner first, least recently used first; never keep. */
    private void evictOver(Entry keep) {
        while (totalWeight > budgetBytes) {
            Entry victim = null;
            for (Owner o : evictionOrder) {
                for (Entry e : o.entries.values()) {
                    if (e != keep) {
                        victim = e;
                        break;
                    }
                }
                if (victim != null) {
                    break;
                }
            }
            if (victim == null) {
                return; // the new cursor alone is over budget: it stays until the next save
            }
            remove(victim);
        }
    }

    private void remove(Entry e) {
        Owner owner = e.owner();
        evictionOrder.remove(owner);
        owner.entries.remove(e.cursor());
        owner.weight -= e.weight();
        byCursor.remove(e.cursor());
        totalWeight -= e.weight();
        if (owner.entries.isEmpty()) {
            owners.remove(owner.clientId);
        } else {
            evictionOrder.add(owner);
        }
    }

    /**
     * Parses a cursor argument as Redis does (C strtoul): an optional sign, decimal digits, "" is 0 and
     * "-N" wraps around; a leading space, trailing text or overflow is "ERR invalid cursor".
     */
    public static long parse(byte[] arg) throws ErrorReply {
        ErrorReply invalid = new ErrorReply("ERR invalid cursor");
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
