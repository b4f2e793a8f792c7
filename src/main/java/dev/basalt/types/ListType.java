package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.types.BatchLogData.Command;
import dev.basalt.util.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Lists in Kvrocks's layout. The metadata holds {@code size}, {@code head} and {@code tail}: head is the
 * index of the first element and tail is one past the last, both starting at 2^63 - 1
 * ({@link ListMetadata#INITIAL_INDEX}) for an empty list, so the elements are exactly the indexes
 * {@code [head, tail)} with no gaps and {@code size == tail - head}. Element {@code i} (0-based from the
 * left) lives in the default column family at {@code subkey(key, version, u64 big-endian head + i)}.
 * LPUSH writes at head - 1 and decrements head, RPUSH writes at tail and increments tail (Kvrocks's
 * redis_list.cc does the same). Indexes are unsigned 64-bit; Java's wrapping long arithmetic matches.
 *
 * <p>The ends cost one subkey read or write (LPOP, RPUSH, LINDEX 0/-1, LSET); LRANGE seeks to head +
 * start. Removing or inserting in the middle (LREM, LINSERT) rewrites the shorter side, as Kvrocks does,
 * so the indexes stay contiguous. A list emptied by a command is deleted with {@link Keyspace#delete}.
 */
public final class ListType extends CollectionType<ListMetadata> {
    public static final DataType<ListMetadata> TYPE = DataType.define(3, "list", ListMetadata.class)
            .layout(ListMetadata::read).subkeysIn(ColumnFamily.DEFAULT).objectEncoding("quicklist").build();

    /** The error of LSET on a missing key. */
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String INDEX_OUT_OF_RANGE = "ERR index out of range";

    public ListType(Txn txn) {
        super(txn, TYPE);
    }

    @Override
    protected ListMetadata empty(long version) {
        return ListMetadata.empty(version);
    }

    /** LLEN: from the metadata alone. */
    public long length(byte[] key) throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        return m == null ? 0 : m.size();
    }

    /**
     * LPUSH/RPUSH (and the X forms with createIfMissing false): appends the elements one by one at the
     * chosen end. Returns the new length, or 0 when the key is absent and may not be created.
     */
    public long push(byte[] key, List<byte[]> elements, boolean left, boolean createIfMissing)
            throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        if (m == null && !createIfMissing) {
            return 0;
        }
        log((left ? Command.LPUSH : Command.RPUSH).arg());
        if (m == null) {
            m = create(key);
        }
        return pushInto(key, m, elements, left).size();
    }

    /**
     * Replaces whatever key holds (any type, alive or not, its expiry too) with a list of these
     * elements in order; with none the key is deleted. For SORT ... STORE, which Kvrocks records as RPUSH.
     */
    public void replace(byte[] key, List<byte[]> elements) throws StorageException {
        log(Command.RPUSH.arg());
        keyspace.delete(key);
        if (!elements.isEmpty()) {
            pushInto(key, empty(txn.storage().nextVersion()), elements, false);
        }
    }

    /** Writes the elements one by one at one end; returns the list's new metadata. */
    private ListMetadata pushInto(byte[] key, ListMetadata m, List<byte[]> elements, boolean left) throws StorageException {
        long head = m.head();
        long tail = m.tail();
        for (byte[] e : elements) {
            if (left) {
                putAt(key, m, --head, e);
            } else {
                putAt(key, m, tail++, e);
            }
        }
        ListMetadata pushed = m.withEnds(head, tail);
        keyspace.putMetadata(key, pushed);
        return pushed;
    }

    /**
     * Pops up to count elements from one end, in pop order; null when the key is absent. Popping the
     * last element deletes the key.
     */
    public List<byte[]> pop(byte[] key, boolean left, long count) throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        if (m == null) {
            return null;
        }
        log((left ? Command.LPOP : Command.RPOP).arg());
        return popFrom(key, m, left, count);
    }

    private List<byte[]> popFrom(byte[] key, ListMetadata m, boolean left, long count) throws StorageException {
        int n = (int) Math.min(count, m.size());
        List<byte[]> out;
        if (n == 1) {
            byte[] v = get(key, m, left ? m.head() : m.tail() - 1);
            out = new ArrayList<>(1);
            out.add(v);
        } else {
            out = left ? readRange(key, m, 0, n) : reverse(readRange(key, m, m.size() - n, n));
        }
        long head = m.head();
        long tail = m.tail();
        for (int i = 0; i < n; i++) {
            if (left) {
                deleteAt(key, m, head++);
            } else {
                deleteAt(key, m, --tail);
            }
        }
        store(key, m.withEnds(head, tail));
        return out;
    }

    /** LINDEX: null when the key is absent or the index out of range. One subkey read. */
    public byte[] index(byte[] key, long index) throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        if (m == null) {
            return null;
        }
        long offset = index < 0 ? m.size() + index : index;
        if (offset < 0 || offset >= m.size()) {
            return null;
        }
        return get(key, m, m.head() + offset);
    }

    /** LSET, with Redis's errors for a missing key and an index out of range. */
    public void set(byte[] key, long index, byte[] value) throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        if (m == null) {
            throw new ErrorReply(NO_SUCH_KEY);
        }
        long offset = index < 0 ? m.size() + index : index;
        if (offset < 0 || offset >= m.size()) {
            throw new ErrorReply(INDEX_OUT_OF_RANGE);
        }
        log(Command.LSET.arg(), BatchLogData.decimal(offset));
        putAt(key, m, m.head() + offset, value);
        txn.touch(key);
    }

    /** LRANGE with Redis's index rules (negative from the end, clamped, empty when start > stop). */
    /**
     * LRANGE without holding the elements: announces how many the range holds, then hands each over as
     * it is read (a range of millions is written out as it goes, not collected first).
     */
    public void range(byte[] key, long start, long stop, LongConsumer length, Consumer<byte[]> element)
            throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        IndexRange span = m == null ? null : IndexRange.clamp(m.size(), start, stop);
        if (span == null) {
            length.accept(0);
            return;
        }
        length.accept(span.length());
        long delivered = visitRange(key, m, span.start(), span.length(), element);
        if (delivered != span.length()) {
            throw new StorageException("list size in metadata does not match its elements for key '"
                    + Bytes.str(key) + "'");
        }
    }

    public List<byte[]> range(byte[] key, long start, long stop) throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        if (m == null) {
            return List.of();
        }
        IndexRange span = IndexRange.clamp(m.size(), start, stop);
        if (span == null) {
            return List.of();
        }
        return readRange(key, m, span.start(), (int) span.length());
    }

    /** LTRIM: keeps [start, stop] (Redis's index rules); deletes the key when nothing is kept. */
    public void trim(byte[] key, long start, long stop) throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        if (m == null) {
            return;
        }
        logTrim(m.size(), start, stop);
        IndexRange span = IndexRange.clamp(m.size(), start, stop);
        if (span == null) {
            keyspace.delete(key);
            return;
        }
        long dropLeft = span.start();
        long dropRight = m.size() - span.stop() - 1;
        if (dropLeft == 0 && dropRight == 0) {
            keyspace.putMetadata(key, m); // unchanged, but Redis signals the key as modified all the same (WATCH)
            return;
        }
        for (long i = 0; i < dropLeft; i++) {
            deleteAt(key, m, m.head() + i);
        }
        for (long i = 0; i < dropRight; i++) {
            deleteAt(key, m, m.tail() - 1 - i);
        }
        keyspace.putMetadata(key, m.withEnds(m.head() + dropLeft, m.tail() - dropRight));
    }

    /**
     * LTRIM's log data as Kvrocks's List::Trim writes it: negative indexes counted from the end (a stop
     * before the start as -1), a negative start then 0; the stop is not clamped.
     */
    private void logTrim(long size, long start, long stop) throws StorageException {
        long from = start < 0 ? start + size : start;
        long to = stop < 0 ? (size >= -stop ? size + stop : -1) : stop;
        log(Command.LTRIM.arg(), BatchLogData.decimal(Math.max(from, 0)), BatchLogData.decimal(to));
    }

    /**
     * LREM: removes up to |count| elements equal to value, from the head when count >= 0, from the
     * tail when negative; count 0 (and Long.MIN_VALUE, whose magnitude Redis cannot negate) removes all.
     * Returns the number removed.
     */
    public long remove(byte[] key, long count, byte[] value) throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        if (m == null) {
            return 0;
        }
        boolean fromTail = count < 0;
        long limit = count == 0 || count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count);
        List<Long> matches = new ArrayList<>();
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            byte[] prefix = codec.subkeyPrefix(key, m.version());
            seekEnd(it, key, m, fromTail);
            for (; it.isValid() && Bytes.startsWith(it.key(), prefix) && matches.size() < limit;
                    step(it, fromTail)) {
                if (Arrays.equals(it.value(), value)) {
                    matches.add(offsetOf(it.key(), prefix, m));
                }
            }
        }
        if (matches.isEmpty()) {
            return 0;
        }
        log(Command.LREM.arg(), BatchLogData.decimal(count), value);
        if (matches.size() == m.size()) {
            keyspace.delete(key);
            return matches.size();
        }
        long first = fromTail ? matches.get(matches.size() - 1) : matches.get(0);
        long last = fromTail ? matches.get(0) : matches.get(matches.size() - 1);
        int removed = matches.size();
        java.util.Set<Long> gone = new java.util.HashSet<>(matches);
        // Kvrocks's choice: rewrite the side with fewer elements to move.
        long leftSide = last;
        long rightSide = m.size() - 1 - first;
        if (leftSide <= rightSide) {
            // Everything left of the last removed element slides right; the head advances.
            List<byte[]> part = readRange(key, m, 0, (int) (last + 1));
            long to = last;
            for (long from = last; from >= 0; from--) {
                if (!gone.contains(from)) {
                    putAt(key, m, m.head() + to, part.get((int) from));
                    to--;
                }
            }
            for (int i = 0; i < removed; i++) {
                deleteAt(key, m, m.head() + i);
            }
            keyspace.putMetadata(key, m.withEnds(m.head() + removed, m.tail()));
        } else {
            // Everything right of the first removed element slides left; the tail retreats.
            List<byte[]> part = readRange(key, m, first, (int) (m.size() - first));
            long to = first;
            for (long from = first; from < m.size(); from++) {
                if (!gone.contains(from)) {
                    putAt(key, m, m.head() + to, part.get((int) (from - first)));
                    to++;
                }
            }
            for (int i = 0; i < removed; i++) {
                deleteAt(key, m, m.tail() - 1 - i);
            }
            keyspace.putMetadata(key, m.withEnds(m.head(), m.tail() - removed));
        }
        return removed;
    }

    /**
     * LINSERT: puts value before or after the first element equal to pivot. Returns the new length,
     * -1 when the pivot is not in the list, 0 when the key is absent.
     */
    public long insert(byte[] key, boolean before, byte[] pivot, byte[] value)
            throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        if (m == null) {
            return 0;
        }
        long pivotOffset = -1;
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            byte[] prefix = codec.subkeyPrefix(key, m.version());
            for (it.seek(subkey(key, m, m.head())); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                if (Arrays.equals(it.value(), pivot)) {
                    pivotOffset = offsetOf(it.key(), prefix, m);
                    break;
                }
            }
        }
        if (pivotOffset < 0) {
            return -1;
        }
        log(Command.LINSERT.arg(), BatchLogData.decimal(before ? 1 : 0), pivot, value);
        // The new element's position in the new list; the shorter side moves out of its way.
        long at = before ? pivotOffset : pivotOffset + 1;
        ListMetadata grown;
        if (at <= m.size() - at) {
            List<byte[]> part = readRange(key, m, 0, (int) at);
            for (int i = 0; i < part.size(); i++) {
                putAt(key, m, m.head() - 1 + i, part.get(i));
            }
            grown = m.withEnds(m.head() - 1, m.tail());
        } else {
            List<byte[]> part = readRange(key, m, at, (int) (m.size() - at));
            for (int i = part.size() - 1; i >= 0; i--) {
                putAt(key, m, m.head() + at + 1 + i, part.get(i));
            }
            grown = m.withEnds(m.head(), m.tail() + 1);
        }
        putAt(key, grown, grown.head() + at, value);
        keyspace.putMetadata(key, grown);
        return grown.size();
    }

    /**
     * LPOS: the positions (from the head) of the elements equal to value, Redis 7.0's rules: rank r > 0
     * skips the first r - 1 matches scanning from the head, r < 0 scans from the tail; count 0 means
     * all matches, and the reply holds at most count of them (1 when count is -1, the option absent);
     * maxlen > 0 compares at most that many elements. Null when the key is absent.
     */
    public List<Long> positions(byte[] key, byte[] value, long rank, long count, long maxlen)
            throws StorageException, ErrorReply {
        ListMetadata m = metadata(key);
        if (m == null) {
            return null;
        }
        boolean fromTail = rank < 0;
        if (fromTail) {
            rank = -rank; // Long.MIN_VALUE stays negative, so every match qualifies, as in Redis
        }
        List<Long> out = new ArrayList<>();
        long matches = 0;
        long scanned = 0;
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            byte[] prefix = codec.subkeyPrefix(key, m.version());
            seekEnd(it, key, m, fromTail);
            for (; it.isValid() && Bytes.startsWith(it.key(), prefix) && (maxlen == 0 || scanned < maxlen);
                    step(it, fromTail)) {
                scanned++;
                if (!Arrays.equals(it.value(), value)) {
                    continue;
                }
                matches++;
                if (matches >= rank) {
                    out.add(offsetOf(it.key(), prefix, m));
                    if (count == -1 || (count != 0 && matches - rank + 1 >= count)) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    /**
     * LMOVE: pops from one end of src and pushes onto one end of dst, returning the element; null
     * when src is absent. WRONGTYPE for src, then for dst, is checked before anything changes.
     */
    public byte[] move(byte[] src, byte[] dst, boolean fromLeft, boolean toLeft)
            throws StorageException, ErrorReply {
        ListMetadata sm = metadata(src);
        if (sm == null) {
            return null;
        }
        if (Arrays.equals(src, dst)) {
            return rotate(src, sm, fromLeft, toLeft);
        }
        ListMetadata dm = metadata(dst);
        logMove(src, dst, fromLeft, toLeft);
        byte[] value = popFrom(src, sm, fromLeft, 1).get(0);
        if (dm == null) {
            dm = create(dst);
        }
        pushInto(dst, dm, List.of(value), toLeft);
        return value;
    }

    /** LMOVE's log data: source, destination and the two ends, as Kvrocks's List::LMove writes it. */
    private void logMove(byte[] src, byte[] dst, boolean fromLeft, boolean toLeft) throws StorageException {
        log(Command.LMOVE.arg(), src, dst, Bytes.of(fromLeft ? "left" : "right"), Bytes.of(toLeft ? "left" : "right"));
    }

    /** LMOVE of a list onto itself: the element moves from one end to the other (nothing to do for the same end). */
    private byte[] rotate(byte[] key, ListMetadata m, boolean fromLeft, boolean toLeft) throws StorageException {
        byte[] value = get(key, m, fromLeft ? m.head() : m.tail() - 1);
        logMove(key, key, fromLeft, toLeft);
        if (fromLeft == toLeft || m.size() == 1) {
            // Nothing moves, but Redis counts the command as a modification (WATCH): rewrite the metadata.
            keyspace.putMetadata(key, m);
            return value;
        }
        if (fromLeft) {
            deleteAt(key, m, m.head());
            putAt(key, m, m.tail(), value);
            keyspace.putMetadata(key, m.withEnds(m.head() + 1, m.tail() + 1));
        } else {
            deleteAt(key, m, m.tail() - 1);
            putAt(key, m, m.head() - 1, value);
            keyspace.putMetadata(key, m.withEnds(m.head() - 1, m.tail() - 1));
        }
        return value;
    }

    /** n elements from offset on, read with one seek. */
    private List<byte[]> readRange(byte[] key, ListMetadata m, long offset, int n) {
        List<byte[]> out = new ArrayList<>(Math.min(n, 1024));
        visitRange(key, m, offset, n, out::add);
        return out;
    }

    /** Hands over up to n elements from offset, in order; returns how many there were. */
    private long visitRange(byte[] key, ListMetadata m, long offset, long n, Consumer<byte[]> element) {
        if (n <= 0) {
            return 0;
        }
        long seen = 0;
        // The bound ends the walk after the range's last element, so keys need not be read back.
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT, subkey(key, m, m.head() + offset + n))) {
            for (it.seek(subkey(key, m, m.head() + offset)); it.isValid() && seen < n; it.next()) {
                element.accept(it.value());
                seen++;
            }
        }
        return seen;
    }

    /** Positions it at the list's last element (fromTail) or its first. */
    private void seekEnd(TxnIterator it, byte[] key, ListMetadata m, boolean fromTail) {
        if (fromTail) {
            it.seekForPrev(subkey(key, m, m.tail() - 1));
        } else {
            it.seek(subkey(key, m, m.head()));
        }
    }

    private static void step(TxnIterator it, boolean backwards) {
        if (backwards) {
            it.prev();
        } else {
            it.next();
        }
    }

    /** The 0-based position from the head of the element stored under internalKey. */
    private static long offsetOf(byte[] internalKey, byte[] prefix, ListMetadata m) {
        return ByteBuffer.wrap(internalKey, prefix.length, 8).getLong() - m.head();
    }

    private static <T> List<T> reverse(List<T> items) {
        List<T> out = new ArrayList<>(items);
        java.util.Collections.reverse(out);
        return out;
    }

    /** Writes the metadata back, or deletes the key when the list is now empty. */
    private void store(byte[] key, ListMetadata m) throws StorageException {
        if (m.size() == 0) {
            keyspace.delete(key);
        } else {
            keyspace.putMetadata(key, m);
        }
    }

    private byte[] subkey(byte[] key, ListMetadata m, long index) {
        return codec.subkey(key, m.version(), indexBytes(index));
    }

    /** The subkey bytes of a list index: u64 big-endian. */
    public static byte[] indexBytes(long index) {
        return ByteBuffer.allocate(8).putLong(index).array();
    }

    private byte[] get(byte[] key, ListMetadata m, long index) throws StorageException {
        return txn.get(ColumnFamily.DEFAULT, subkey(key, m, index));
    }

    private void putAt(byte[] key, ListMetadata m, long index, byte[] value) throws StorageException {
        txn.put(ColumnFamily.DEFAULT, subkey(key, m, index), value);
    }

    private void deleteAt(byte[] key, ListMetadata m, long index) throws StorageException {
        txn.delete(ColumnFamily.DEFAULT, subkey(key, m, index));
    }
}
