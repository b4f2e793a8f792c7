package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.util.Bytes;
import dev.basalt.util.LongDouble;
import dev.basalt.util.RedisNumbers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Hashes in Kvrocks's layout: {@code metadata[key] = flags(hash) | expire | version | size} and one
 * subkey per field, {@code default[key, version, field] = value}. The size in the metadata is the
 * number of fields, so HLEN reads one key and HGET reads two. A hash whose last field goes is deleted
 * through {@link Keyspace#delete}, which also reclaims its subkeys.
 */
public final class HashType extends CollectionType<CollectionMetadata> {
    /** Redis 7.0's listpack limits for hashes (hash-max-listpack-entries, -value). */
    private static final int LISTPACK_ENTRIES = 512;
    private static final int LISTPACK_VALUE = 64;

    public static final DataType<CollectionMetadata> TYPE = DataType.define(2, "hash", CollectionMetadata.class)
            .layout(CollectionMetadata::read).subkeysIn(ColumnFamily.DEFAULT)
            .objectEncoding((txn, key, m) -> new HashType(txn).encoding(key, m)).build();

    /** Above this many random picks, loading the whole hash is cheaper than walking to each pick. */
    private static final long MAX_PICKS = 1 << 20;

    /** One field and its value. */
    public record Entry(byte[] field, byte[] value) {
    }

    public HashType(Txn txn) {
        super(txn, TYPE);
    }

    @Override
    protected CollectionMetadata empty(long version) {
        return CollectionMetadata.empty(TYPE, version);
    }

    /** Listpack while both the field count and every field and value stay within Redis's limits. */
    private String encoding(byte[] key, CollectionMetadata m) {
        return m.size() <= LISTPACK_ENTRIES
                && everySubkey(key, m, (field, value) -> field.length <= LISTPACK_VALUE && value.length <= LISTPACK_VALUE)
                ? "listpack" : "hashtable";
    }

    public byte[] get(byte[] key, byte[] field) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m == null ? null : txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), field));
    }

    /** Values of the fields in order, null for a missing field (all null when the key is missing). */
    public List<byte[]> getMany(byte[] key, List<byte[]> fields) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        List<byte[]> out = new ArrayList<>(fields.size());
        for (byte[] f : fields) {
            out.add(m == null ? null : txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), f)));
        }
        return out;
    }

    public long length(byte[] key) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m == null ? 0 : m.size();
    }

    public boolean fieldExists(byte[] key, byte[] field) throws StorageException, ErrorReply {
        return get(key, field) != null;
    }

    public long valueLength(byte[] key, byte[] field) throws StorageException, ErrorReply {
        byte[] v = get(key, field);
        return v == null ? 0 : v.length;
    }

    /**
     * Sets every entry (a later entry for the same field wins), creating the hash if needed; returns
     * how many fields did not exist before.
     */
    public int set(byte[] key, List<Entry> entries) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        log();
        if (m == null) {
            m = create(key);
        }
        int added = 0;
        for (Entry e : entries) {
            byte[] sk = codec.subkey(key, m.version(), e.field());
            // Reads see this Txn's own writes, so a field repeated in one command counts once.
            if (txn.get(ColumnFamily.DEFAULT, sk) == null) {
                added++;
            }
            txn.put(ColumnFamily.DEFAULT, sk, e.value());
        }
        if (added > 0) {
            keyspace.putMetadata(key, m.withSize(m.size() + added));
        } else {
            txn.touch(key); // only values changed: the metadata stays as it is (as in Kvrocks), the key was written
        }
        return added;
    }

    /** Sets the field only if it does not exist; true if it was set. */
    public boolean setIfAbsent(byte[] key, byte[] field, byte[] value) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m != null && txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), field)) != null) {
            return false;
        }
        set(key, List.of(new Entry(field, value)));
        return true;
    }

    /** Removes the fields; deletes the key when none is left. Returns how many fields existed. */
    public int deleteFields(byte[] key, List<byte[]> fields) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return 0;
        }
        log();
        int removed = 0;
        for (byte[] f : fields) {
            byte[] sk = codec.subkey(key, m.version(), f);
            if (txn.get(ColumnFamily.DEFAULT, sk) != null) {
                txn.delete(ColumnFamily.DEFAULT, sk);
                removed++;
            }
        }
        shrink(key, m, removed);
        return removed;
    }

    /** Every field and value, in field order (unsigned bytes); empty when the key is missing. */
    /**
     * HGETALL, HKEYS, HVALS without holding the fields: announces how many there are, then hands each
     * field and value over as it is read.
     */
    public void entries(byte[] key, LongConsumer count, BiConsumer<byte[], byte[]> entry)
            throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            count.accept(0);
            return;
        }
        count.accept(m.size());
        long seen = 0;
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            for (it.seek(prefix); it.isValid() && seen < m.size(); it.next()) {
                byte[] k = it.key();
                if (!Bytes.startsWith(k, prefix)) {
                    break;
                }
                entry.accept(Arrays.copyOfRange(k, prefix.length, k.length), it.value());
                seen++;
            }
        }
        if (seen != m.size()) {
            throw new StorageException("hash size in metadata does not match its fields for key '"
                    + Bytes.str(key) + "'");
        }
    }

    public List<Entry> entries(byte[] key) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        List<Entry> out = new ArrayList<>();
        if (m == null) {
            return out;
        }
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!Bytes.startsWith(k, prefix)) {
                    break;
                }
                out.add(new Entry(Arrays.copyOfRange(k, prefix.length, k.length), it.value()));
            }
        }
        return out;
    }

    /**
     * HINCRBY: adds incr to the field's integer value (0 when missing) and returns the result. Errors
     * as Redis: the stored value must be a canonical 64-bit integer, and the sum must not overflow.
     */
    public long incrBy(byte[] key, byte[] field, long incr) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        long current = 0;
        byte[] old = m == null ? null : txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), field));
        if (old != null) {
            if (!RedisNumbers.isLong(old)) {
                throw new ErrorReply("ERR hash value is not an integer");
            }
            current = RedisNumbers.parseLong(old);
        }
        if ((incr < 0 && current < 0 && incr < Long.MIN_VALUE - current)
                || (incr > 0 && current > 0 && incr > Long.MAX_VALUE - current)) {
            throw new ErrorReply("ERR increment or decrement would overflow");
        }
        long result = current + incr;
        set(key, List.of(new Entry(field, Long.toString(result).getBytes(StandardCharsets.US_ASCII))));
        return result;
    }

    /**
     * HINCRBYFLOAT: adds incr to the field's value (0 when missing) in x87 long double arithmetic, as
     * Redis does, stores the result in Redis's human form and returns that text.
     */
    public byte[] incrByFloat(byte[] key, byte[] field, LongDouble incr) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        LongDouble current = LongDouble.ZERO;
        byte[] old = m == null ? null : txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), field));
        if (old != null) {
            current = LongDouble.parse(old);
            if (current == null) {
                throw new ErrorReply("ERR hash value is not a float");
            }
        }
        LongDouble sum = current.add(incr);
        if (sum.isInfinite()) {
            throw new ErrorReply("ERR increment would produce NaN or Infinity");
        }
        byte[] text = sum.toHumanString().getBytes(StandardCharsets.US_ASCII);
        set(key, List.of(new Entry(field, text)));
        return text;
    }

    /** One uniformly chosen entry, or null when the key is missing. Costs a walk to the chosen field. */
    public Entry randomEntry(byte[] key) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return null;
        }
        long pick = ThreadLocalRandom.current().nextLong(m.size());
        Map<Long, Entry> found = entriesAt(key, m, new long[] {pick});
        return found.get(pick);
    }

    /**
     * Up to count distinct entries chosen uniformly (the whole hash when count reaches its size), in
     * no particular order (field order unless more than {@link #MAX_PICKS} are asked for). Empty when
     * the key is missing.
     */
    public List<Entry> randomDistinct(byte[] key, long count) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null || count <= 0) {
            return new ArrayList<>();
        }
        if (count >= m.size()) {
            return entries(key);
        }
        if (count > MAX_PICKS) {
            List<Entry> all = entries(key);
            Collections.shuffle(all, ThreadLocalRandom.current());
            return new ArrayList<>(all.subList(0, (int) Math.min(count, all.size())));
        }
        long[] picks = floydSample(m.size(), (int) count);
        Arrays.sort(picks);
        Map<Long, Entry> found = entriesAt(key, m, picks);
        List<Entry> out = new ArrayList<>(picks.length);
        for (long p : picks) {
            Entry e = found.get(p);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Feeds sink exactly count entries of the existing hash, each chosen uniformly and independently
     * (so they may repeat), in the order drawn; feeds nothing when the key is missing.
     */
    public void randomWithRepeats(byte[] key, long count, Consumer<Entry> sink)
            throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null || count <= 0) {
            return;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (count >= m.size() || count > MAX_PICKS) {
            // At least as many draws as fields: load the hash once and draw from memory.
            List<Entry> all = entries(key);
            if (all.isEmpty()) {
                throw new IllegalStateException("hash metadata counts fields that are not stored");
            }
            for (long i = 0; i < count; i++) {
                sink.accept(all.get(rnd.nextInt(all.size())));
            }
            return;
        }
        long[] draws = new long[(int) count];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = rnd.nextLong(m.size());
        }
        Map<Long, Entry> found = entriesAt(key, m, Arrays.stream(draws).distinct().sorted().toArray());
        for (long d : draws) {
            Entry e = found.get(d);
            if (e == null) {
                throw new IllegalStateException("hash metadata counts fields that are not stored");
            }
            sink.accept(e);
        }
    }

    /**
     * One HSCAN step: visits up to count fields after {@code after} (from the start when null) and
     * keeps those matching pattern (all when pattern is null).
     */
    public ScanPage<Entry> scan(byte[] key, byte[] after, long count, byte[] pattern) throws StorageException, ErrorReply {
        return scanPage(key, after, count, pattern, Entry::new);
    }

    /** The entries at the given positions (ascending) of the field order, in one forward walk. */
    private Map<Long, Entry> entriesAt(byte[] key, CollectionMetadata m, long[] ascending) {
        Map<Long, Entry> out = new HashMap<>();
        if (ascending.length == 0) {
            return out;
        }
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            long pos = 0;
            int next = 0;
            for (it.seek(prefix); it.isValid() && next < ascending.length; it.next(), pos++) {
                byte[] k = it.key();
                if (!Bytes.startsWith(k, prefix)) {
                    break;
                }
                if (pos == ascending[next]) {
                    out.put(pos, new Entry(Arrays.copyOfRange(k, prefix.length, k.length), it.value()));
                    while (next < ascending.length && ascending[next] == pos) {
                        next++;
                    }
                }
            }
        }
        return out;
    }

    /** count distinct numbers from [0, n), uniformly (Floyd's algorithm: count steps whatever n is). */
    private static long[] floydSample(long n, int count) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Set<Long> chosen = new HashSet<>(count * 2);
        for (long j = n - count; j < n; j++) {
            long t = rnd.nextLong(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        return chosen.stream().mapToLong(Long::longValue).toArray();
    }
}
