package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.util.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Kvrocks's sorted integers (src/types/redis_sortedint.cc): a set of unsigned 64-bit ids kept in order.
 * Metadata (type 7, version, size) and one subkey per id in the default column family,
 * {@code [key, version, id u64 big-endian] = ""}, so the subkeys sort as the ids do.
 */
public final class SortedIntType extends CollectionType<CollectionMetadata> {
    public static final DataType<CollectionMetadata> TYPE = DataType.define(7, "sortedint", CollectionMetadata.class)
            .layout(CollectionMetadata::read).subkeysIn(ColumnFamily.DEFAULT).objectEncoding("raw").build();

    private static final byte[] EMPTY = new byte[0];

    /**
     * SIRANGEBYVALUE's interval (Kvrocks's SortedintRangeSpec): unsigned bounds, either exclusive; offset
     * (negative = none) and count (positive = at most that many).
     */
    public record ValueRange(long min, boolean minExclusive, long max, boolean maxExclusive, long offset, long count) {
        boolean belowMin(long id) {
            int c = Long.compareUnsigned(id, min);
            return c < 0 || (minExclusive && c == 0);
        }

        boolean aboveMax(long id) {
            int c = Long.compareUnsigned(id, max);
            return c > 0 || (maxExclusive && c == 0);
        }
    }

    public SortedIntType(Txn txn) {
        super(txn, TYPE);
    }

    @Override
    protected CollectionMetadata empty(long version) {
        return CollectionMetadata.empty(TYPE, version);
    }

    private byte[] idKey(byte[] key, long version, long id) {
        return codec.subkey(key, version, ByteBuffer.allocate(8).putLong(id).array());
    }

    private static long idOf(byte[] internalKey, int prefixLength) {
        return ByteBuffer.wrap(internalKey, prefixLength, 8).getLong();
    }

    /** SIADD: how many of the ids were not there yet (an id given twice counts once). */
    public long add(byte[] key, List<Long> ids) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        boolean created = m == null;
        if (created) {
            m = create(key);
        }
        long added = 0;
        for (long id : ids) {
            byte[] sk = idKey(key, m.version(), id);
            if (!created || added > 0) {
                if (txn.get(ColumnFamily.DEFAULT, sk) != null) {
                    continue;
                }
            }
            if (added == 0) {
                log();
            }
            txn.put(ColumnFamily.DEFAULT, sk, EMPTY);
            added++;
        }
        if (added > 0) {
            keyspace.putMetadata(key, m.withSize(m.size() + added));
        }
        return added;
    }

    /** SIREM: how many of the ids were there; the key goes with its last id. */
    public long remove(byte[] key, List<Long> ids) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return 0;
        }
        long removed = 0;
        for (long id : ids) {
            byte[] sk = idKey(key, m.version(), id);
            if (txn.get(ColumnFamily.DEFAULT, sk) == null) {
                continue;
            }
            if (removed == 0) {
                log();
            }
            txn.delete(ColumnFamily.DEFAULT, sk);
            removed++;
        }
        shrink(key, m, removed);
        return removed;
    }

    public long card(byte[] key) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m == null ? 0 : m.size();
    }

    /** SIEXISTS: 1 or 0 per id. */
    public List<Long> exist(byte[] key, List<Long> ids) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        List<Long> out = new ArrayList<>(ids.size());
        for (long id : ids) {
            out.add(m != null && txn.get(ColumnFamily.DEFAULT, idKey(key, m.version(), id)) != null ? 1L : 0L);
        }
        return out;
    }

    /**
     * SIRANGE / SIREVRANGE as Kvrocks answers them: from the cursor id (0 = the lowest id, or with reverse
     * the highest) in order, skipping the cursor id itself and then offset ids, at most limit ids (0 = no
     * limit).
     */
    public List<Long> range(byte[] key, long cursor, long offset, long limit, boolean reverse)
            throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        List<Long> out = new ArrayList<>();
        if (m == null) {
            return out;
        }
        long start = reverse && cursor == 0 ? -1L : cursor;
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        long skipped = 0;
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            position(it, idKey(key, m.version(), start), reverse);
            for (; it.isValid() && Bytes.startsWith(it.key(), prefix); step(it, reverse)) {
                long id = idOf(it.key(), prefix.length);
                if (id == cursor || Long.compareUnsigned(skipped++, offset) < 0) {
                    continue;
                }
                out.add(id);
                if (limit != 0 && Long.compareUnsigned(out.size(), limit) >= 0) {
                    break;
                }
            }
        }
        return out;
    }

    /** SIRANGEBYVALUE / SIREVRANGEBYVALUE: the ids within the range, in order (reversed: from max down). */
    public List<Long> rangeByValue(byte[] key, ValueRange r, boolean reverse) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        List<Long> out = new ArrayList<>();
        if (m == null) {
            return out;
        }
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        long position = 0;
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            position(it, idKey(key, m.version(), reverse ? r.max() : r.min()), reverse);
            for (; it.isValid() && Bytes.startsWith(it.key(), prefix); step(it, reverse)) {
                long id = idOf(it.key(), prefix.length);
                if (reverse ? r.belowMin(id) : r.aboveMax(id)) {
                    break;
                }
                if (reverse ? r.aboveMax(id) : r.belowMin(id)) {
                    continue;
                }
                if (r.offset() >= 0 && position++ < r.offset()) {
                    continue;
                }
                out.add(id);
                if (r.count() > 0 && out.size() >= r.count()) {
                    break;
                }
            }
        }
        return out;
    }

    /** At the first subkey at or after from, or (reverse) the last at or before it. */
    private static void position(TxnIterator it, byte[] from, boolean reverse) {
        if (reverse) {
            it.seekForPrev(from);
        } else {
            it.seek(from);
        }
    }

    private static void step(TxnIterator it, boolean reverse) {
        if (reverse) {
            it.prev();
        } else {
            it.next();
        }
    }
}
