package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Streams in Kvrocks's layout (see {@link StreamLayout} for the subkeys and {@link StreamMetadata} for
 * the metadata): entries by ID in the {@code stream} column family, so XADD, XRANGE from any ID and XLEN
 * cost a few reads however long the stream is. Consumer groups are {@link StreamGroups}'.
 *
 * <p>Semantics are Redis 7.0's (t_stream.c): IDs, trimming, the first/last/max-deleted IDs and the
 * entries-added counter that consumer-group lag is computed from. Approximate trimming ({@code ~})
 * removes whole nodes as Redis does, with Redis's default node of 100 entries ({@link #NODE_ENTRIES}):
 * Kvrocks's layout has no nodes, so entry number n ever added (counting from 0) is taken to be in node
 * n / 100, which is where Redis puts it while entries are added and trimmed from the head.
 */
public final class StreamType extends CollectionType<StreamMetadata> {
    public static final DataType<StreamMetadata> TYPE = DataType.define(8, "stream", StreamMetadata.class)
            .layout(StreamMetadata::read).subkeysIn(ColumnFamily.STREAM).mayBeEmpty().objectEncoding("stream")
            .build();

    /** Redis's stream-node-max-entries default: what approximate trimming removes at once. */
    static final int NODE_ENTRIES = 100;
    /** Most entries exact trimming reads at once. */
    private static final int TRIM_CHUNK = 1024;
    /** Redis's limit on the field and value bytes of one entry (STREAM_LISTPACK_MAX_SIZE). */
    private static final long MAX_ENTRY_BYTES = 1L << 30;

    public static final String ID_ZERO = "ERR The ID specified in XADD must be greater than 0-0";
    public static final String EXHAUSTED = "ERR The stream has exhausted the last possible ID, unable to add more items";
    public static final String ID_NOT_GREATER = "ERR The ID specified in XADD is equal or smaller than the target stream top item";
    public static final String TOO_LARGE = "ERR Elements are too large to be stored";
    /** Kvrocks's layout cannot hold an entry whose ms is UINT64_MAX (see {@link StreamId#MAX_STORABLE}). */
    public static final String NOT_STORABLE = "ERR The ID specified in XADD is greater than "
            + StreamId.MAX_STORABLE + ", the greatest ID a stream can hold in Kvrocks's layout";
    public static final String SETID_TOO_SMALL = "ERR The ID specified in XSETID is smaller than the target stream top item";
    public static final String SETID_ENTRIES_ADDED = "ERR The entries_added specified in XSETID is smaller than the target stream length";

    /**
     * A trimming request (XADD and XTRIM): MAXLEN keeps at most maxLen entries, MINID drops entries below
     * minId; approx removes whole nodes only; limit (0 = none) caps the entries removed.
     */
    public record Trim(boolean byMinId, long maxLen, StreamId minId, boolean approx, long limit) {
    }

    /** An entry as read: its ID and its encoded fields (see {@link StreamLayout#decodeFields}). */
    @FunctionalInterface
    public interface EntrySink {
        void accept(StreamId id, byte[] value) throws StorageException;
    }

    private boolean logged;

    public StreamType(Txn txn) {
        super(txn, TYPE);
    }

    @Override
    protected StreamMetadata empty(long version) {
        return StreamMetadata.empty(version);
    }

    StreamLayout layout(byte[] key, StreamMetadata m) {
        return new StreamLayout(codec, key, m.version());
    }

    /** Kvrocks's log data for a stream write (its type, no arguments), once per operation before its first write. */
    void logOnce() throws StorageException {
        if (!logged) {
            logged = true;
            log();
        }
    }

    /** Writes a new stream (an empty one for XGROUP CREATE MKSTREAM) in place of whatever key held. */
    StreamMetadata createEmpty(byte[] key) throws StorageException {
        logOnce();
        StreamMetadata m = create(key);
        keyspace.putMetadata(key, m);
        return m;
    }

    /** Writes the metadata: signalled marks the key written (WATCH, blocked readers), as Redis does for XADD, XDEL and XTRIM. */
    void store(byte[] key, StreamMetadata m, boolean signalled) throws StorageException {
        if (signalled) {
            keyspace.putMetadata(key, m);
        } else {
            keyspace.putMetadataUnsignalled(key, m);
        }
    }

    // ---- XADD -----------------------------------------------------------------------------------

    /**
     * XADD: appends an entry and returns its ID; null when the key does not exist and noMkStream is set.
     * wanted is null for {@code *}; with seqGiven false it is {@code <ms>-*}. Trimming (when trim is not
     * null) follows the append, as in Redis, so the new entry itself may be trimmed away.
     */
    public StreamId add(byte[] key, StreamId wanted, boolean seqGiven, boolean noMkStream, Trim trim,
            List<byte[]> fieldsAndValues) throws StorageException, ErrorReply {
        if (wanted != null && seqGiven && wanted.isZero()) {
            throw new ErrorReply(ID_ZERO);
        }
        StreamMetadata m = metadata(key);
        if (m == null && noMkStream) {
            return null;
        }
        StreamId last = m == null ? StreamId.MIN : m.lastGeneratedId();
        if (last.equals(StreamId.MAX)) {
            throw new ErrorReply(EXHAUSTED);
        }
        StreamId id = nextId(last, wanted, seqGiven);
        long bytes = 0;
        for (byte[] f : fieldsAndValues) {
            bytes += f.length;
        }
        if (bytes > MAX_ENTRY_BYTES) {
            throw new ErrorReply(TOO_LARGE);
        }
        if (!id.storable()) {
            throw new ErrorReply(NOT_STORABLE);
        }
        logOnce();
        if (m == null) {
            m = create(key);
        }
        StreamLayout at = layout(key, m);
        txn.put(ColumnFamily.STREAM, at.entry(id), StreamLayout.encodeFields(fieldsAndValues));
        StreamMetadata.Edit e = m.edit().size(m.size() + 1).entriesAdded(m.entriesAdded() + 1).lastGeneratedId(id)
                .lastEntryId(id);
        if (m.size() == 0) {
            e.firstEntryId(id);
        }
        m = e.done();
        if (trim != null) {
            m = trimHead(at, m, trim).metadata();
        }
        store(key, m, true);
        return id;
    }

    /** The ID XADD gives the new entry (Redis's streamAppendItem), or its error. */
    private static StreamId nextId(StreamId last, StreamId wanted, boolean seqGiven) throws ErrorReply {
        StreamId id;
        if (wanted == null) {
            long now = System.currentTimeMillis();
            if (Long.compareUnsigned(now, last.ms()) > 0) {
                id = new StreamId(now, 0);
            } else {
                id = last.next();
                if (id == null) {
                    id = StreamId.MIN;
                }
            }
        } else if (!seqGiven && wanted.ms() == last.ms()) {
            if (last.seq() == -1L) {
                throw new ErrorReply(TOO_LARGE);
            }
            id = new StreamId(last.ms(), last.seq() + 1);
        } else {
            id = wanted;
        }
        if (id.compareTo(last) <= 0) {
            throw new ErrorReply(ID_NOT_GREATER);
        }
        return id;
    }

    // ---- trimming -------------------------------------------------------------------------------

    /** What trimming left, and how many entries it removed. */
    private record Trimmed(StreamMetadata metadata, long deleted) {
    }

    /** XTRIM: returns the number of entries removed (0 for a missing key). */
    public long trim(byte[] key, Trim trim) throws StorageException, ErrorReply {
        StreamMetadata m = metadata(key);
        if (m == null) {
            return 0;
        }
        Trimmed t = trimHead(layout(key, m), m, trim);
        if (t.deleted() > 0) {
            store(key, t.metadata(), true);
        }
        return t.deleted();
    }

    /**
     * Redis's streamTrim over Kvrocks's layout: node by node from the head, a node going whole when what
     * is left still satisfies the request (MAXLEN) or its last entry is below the minimum (MINID); an
     * exact trim then removes single entries of the next node, an approximate one stops. A limit stops
     * before a node that would take the removals past it. Exact trimming needs no nodes: it reads the
     * head in chunks, only as many entries as it may remove.
     */
    private Trimmed trimHead(StreamLayout at, StreamMetadata m, Trim t) throws StorageException {
        long size = m.size();
        long deleted = 0;
        long ordinal = Math.max(0, m.entriesAdded() - size); // of the first entry, counting every entry ever added
        StreamId from = m.firstEntryId();
        StreamId first = from;
        while (size > 0) {
            if (!t.byMinId() && size <= t.maxLen()) {
                break;
            }
            int nodeEntries = (int) Math.min(size, t.approx() ? NODE_ENTRIES - Math.floorMod(ordinal, NODE_ENTRIES)
                    : t.byMinId() ? TRIM_CHUNK : Math.min(TRIM_CHUNK, size - t.maxLen()));
            if (t.limit() > 0 && deleted + nodeEntries > t.limit()) {
                break;
            }
            // One more than the node: the entry after it, the new first one if the whole node goes.
            List<StreamId> read = entryIds(at, from, nodeEntries + 1);
            List<StreamId> node = read.subList(0, Math.min(nodeEntries, read.size()));
            if (node.isEmpty()) {
                break;
            }
            boolean wholeNode = t.byMinId() ? node.get(node.size() - 1).lessThan(t.minId())
                    : size - node.size() >= t.maxLen();
            int drop = node.size();
            if (!wholeNode) {
                if (t.approx()) {
                    break;
                }
                drop = 0;
                while (drop < node.size()
                        && (t.byMinId() ? node.get(drop).lessThan(t.minId()) : size - drop > t.maxLen())) {
                    drop++;
                }
            }
            if (drop > 0) {
                logOnce();
            }
            for (int i = 0; i < drop; i++) {
                txn.delete(ColumnFamily.STREAM, at.entry(node.get(i)));
            }
            deleted += drop;
            size -= drop;
            ordinal += drop;
            first = drop < read.size() ? read.get(drop) : StreamId.MIN;
            if (!wholeNode || drop == 0) {
                break;
            }
            from = node.get(drop - 1).next();
        }
        if (deleted == 0) {
            return new Trimmed(m, 0);
        }
        StreamMetadata.Edit e = m.edit().size(size);
        if (size == 0) {
            e.firstEntryId(StreamId.MIN).lastEntryId(StreamId.MIN);
        } else {
            e.firstEntryId(first);
        }
        return new Trimmed(e.done(), deleted);
    }

    /** The IDs of up to n entries from the first at or after from. */
    private List<StreamId> entryIds(StreamLayout at, StreamId from, int n) {
        List<StreamId> out = new ArrayList<>(n);
        try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
            for (it.seek(at.entry(from)); it.isValid() && out.size() < n; it.next()) {
                byte[] k = it.key();
                if (!at.isEntry(k)) {
                    break;
                }
                out.add(at.entryId(k));
            }
        }
        return out;
    }

    /** The first entry at or after from, 0-0 when there is none. */
    private StreamId firstFrom(StreamLayout at, StreamId from) {
        List<StreamId> first = entryIds(at, from, 1);
        return first.isEmpty() ? StreamId.MIN : first.get(0);
    }

    /** The last entry at or before upTo, 0-0 when there is none. */
    private StreamId lastUpTo(StreamLayout at, StreamId upTo) {
        try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
            it.seekForPrev(at.entry(upTo));
            return it.isValid() && at.isEntry(it.key()) ? at.entryId(it.key()) : StreamId.MIN;
        }
    }

    // ---- XDEL -----------------------------------------------------------------------------------

    /** XDEL: removes the entries that exist and returns how many; the stream stays, even when emptied. */
    public long delete(byte[] key, StreamMetadata m, List<StreamId> ids) throws StorageException {
        StreamLayout at = layout(key, m);
        long deleted = 0;
        boolean first = false;
        boolean last = false;
        StreamId maxDeleted = m.maxDeletedEntryId();
        for (StreamId id : ids) {
            if (!id.storable() || txn.get(ColumnFamily.STREAM, at.entry(id)) == null) {
                continue;
            }
            logOnce();
            txn.delete(ColumnFamily.STREAM, at.entry(id));
            deleted++;
            first |= id.equals(m.firstEntryId());
            last |= id.equals(m.lastEntryId());
            if (id.greaterThan(maxDeleted)) {
                maxDeleted = id;
            }
        }
        if (deleted == 0) {
            return 0;
        }
        long size = m.size() - deleted;
        StreamMetadata.Edit e = m.edit().size(size).maxDeletedEntryId(maxDeleted);
        if (size <= 0) {
            e.size(0).firstEntryId(StreamId.MIN).lastEntryId(StreamId.MIN);
        } else {
            if (first) {
                e.firstEntryId(firstFrom(at, m.firstEntryId()));
            }
            if (last) {
                e.lastEntryId(lastUpTo(at, m.lastEntryId()));
            }
        }
        store(key, e.done(), true);
        return deleted;
    }

    // ---- XSETID ---------------------------------------------------------------------------------

    /**
     * XSETID on an existing stream, with Redis's checks: entriesAdded -1 and a zero maxDeleted leave
     * those fields as they are.
     */
    public void setId(byte[] key, StreamMetadata m, StreamId id, long entriesAdded, StreamId maxDeleted)
            throws StorageException, ErrorReply {
        if (m.size() > 0) {
            if (id.lessThan(m.lastEntryId())) {
                throw new ErrorReply(SETID_TOO_SMALL);
            }
            if (entriesAdded != -1 && Long.compareUnsigned(m.size(), entriesAdded) > 0) {
                throw new ErrorReply(SETID_ENTRIES_ADDED);
            }
        }
        log(BatchLogData.XSETID);
        StreamMetadata.Edit e = m.edit().lastGeneratedId(id);
        if (entriesAdded != -1) {
            e.entriesAdded(entriesAdded);
        }
        if (!maxDeleted.isZero()) {
            e.maxDeletedEntryId(maxDeleted);
        }
        store(key, e.done(), false);
    }

    // ---- reading --------------------------------------------------------------------------------

    /** The encoded fields of one entry, null when there is no such entry. */
    public byte[] entry(byte[] key, StreamMetadata m, StreamId id) throws StorageException {
        return id.storable() ? txn.get(ColumnFamily.STREAM, layout(key, m).entry(id)) : null;
    }

    /** How many entries a range reply holds before it is written out as it is read. */
    private static final int COLLECTED = 256;

    /**
     * The entries with start <= ID <= end, at most count of them (0 = no limit), in ID order or reversed:
     * announces how many first, then hands each over. A long range is not held in memory: past the first
     * few hundred entries it is counted, then read again from the same snapshot as it is written.
     */
    public void range(byte[] key, StreamMetadata m, StreamId start, StreamId end, long count, boolean reverse,
            LongConsumer length, EntrySink sink) throws StorageException {
        StreamLayout at = layout(key, m);
        StreamId last = end.compareTo(StreamId.MAX_STORABLE) > 0 ? StreamId.MAX_STORABLE : end;
        long limit = count <= 0 ? Long.MAX_VALUE : count;
        if (start.compareTo(last) > 0 || m.size() == 0) {
            length.accept(0);
            return;
        }
        List<StreamId> ids = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        long total;
        try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
            seekRange(it, at, start, last, reverse);
            for (; inRange(it, at, start, last) && ids.size() < Math.min(limit, COLLECTED); step(it, reverse)) {
                ids.add(at.entryId(it.key()));
                values.add(it.value());
            }
            total = ids.size();
            if (total == COLLECTED) {
                for (; inRange(it, at, start, last) && total < limit; step(it, reverse)) {
                    total++;
                }
            }
        }
        length.accept(total);
        for (int i = 0; i < ids.size(); i++) {
            sink.accept(ids.get(i), values.get(i));
        }
        if (total == ids.size()) {
            return;
        }
        StreamId resume = reverse ? ids.get(ids.size() - 1).previous() : ids.get(ids.size() - 1).next();
        long left = total - ids.size();
        try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
            seekRange(it, at, reverse ? start : resume, reverse ? resume : last, reverse);
            for (; left > 0 && inRange(it, at, start, last); step(it, reverse), left--) {
                sink.accept(at.entryId(it.key()), it.value());
            }
        }
        if (left > 0) {
            throw new StorageException("stream entries changed under a snapshot for key '"
                    + dev.basalt.util.Bytes.str(key) + "'");
        }
    }

    private static void seekRange(TxnIterator it, StreamLayout at, StreamId start, StreamId last, boolean reverse) {
        if (reverse) {
            it.seekForPrev(at.entry(last));
        } else {
            it.seek(at.entry(start));
        }
    }

    private static boolean inRange(TxnIterator it, StreamLayout at, StreamId start, StreamId last) {
        if (!it.isValid()) {
            return false;
        }
        byte[] k = it.key();
        if (!at.isEntry(k)) {
            return false;
        }
        StreamId id = at.entryId(k);
        return id.compareTo(start) >= 0 && id.compareTo(last) <= 0;
    }

    private static void step(TxnIterator it, boolean reverse) {
        if (reverse) {
            it.prev();
        } else {
            it.next();
        }
    }

    /**
     * How many nodes Redis's radix tree would hold for this stream under the node model above (XINFO's
     * radix-tree-keys).
     */
    public static long nodes(StreamMetadata m) {
        if (m.size() == 0) {
            return 0;
        }
        long offset = Math.floorMod(Math.max(0, m.entriesAdded() - m.size()), NODE_ENTRIES);
        return (offset + m.size() + NODE_ENTRIES - 1) / NODE_ENTRIES;
    }
}
