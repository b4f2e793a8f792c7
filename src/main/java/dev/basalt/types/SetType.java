package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.util.Bytes;
import dev.basalt.util.RedisNumbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Sets in Kvrocks's layout: {@code metadata[key] = flags(set), expire, version, size} and one empty
 * value per member at {@code default[key, version, member]}. Members therefore come back from a
 * prefix scan in unsigned byte order, which the union merge relies on.
 *
 * <p>Costs: SADD/SREM/SISMEMBER are one point read per member, SCARD reads the metadata only,
 * SMEMBERS streams from a prefix scan into the reply. Random picks (SRANDMEMBER, SPOP) have no
 * rank index to use, so they walk the members once: distinct picks by selection sampling (each
 * member taken with probability needed/remaining, stopping at the last one needed), repeating
 * picks by drawing sorted positions (8 bytes a pick) and stopping at the last one. That is O(N)
 * iterator steps at worst and no memory beyond the reply (the picked members), never a copy of
 * the set; only a negative SRANDMEMBER count at least as large as the set holds the set's members,
 * which is still less than its reply. Replies are held in memory until commit, so one call picks
 * at most {@link #MAX_RANDOM_PICKS} members (an error beyond; Redis has no such limit).
 *
 * <p>SINTER/SINTERCARD walk the smallest set and probe the others with point reads; SDIFF walks
 * the first set and probes the others; SUNION merges the sorted walks of all sets. Results are
 * collected (they are the reply, or what a *STORE writes) but no input set is held in memory.
 */
public final class SetType extends CollectionType<CollectionMetadata> {
    /** Redis 7.0's intset limit (set-max-intset-entries). */
    private static final int INTSET_ENTRIES = 512;

    public static final DataType<CollectionMetadata> TYPE = DataType.define(4, "set", CollectionMetadata.class)
            .layout(CollectionMetadata::read).subkeysIn(ColumnFamily.DEFAULT)
            .objectEncoding((txn, key, m) -> new SetType(txn).encoding(key, m)).build();

    /** Receives members in order; returns false to stop the walk. */
    @FunctionalInterface
    public interface MemberVisitor {
        boolean visit(byte[] member) throws StorageException;
    }

    private static final byte[] EMPTY = new byte[0];

    private final RandomGenerator random;

    public SetType(Txn txn) {
        this(txn, ThreadLocalRandom.current());
    }

    /** With a given random source, for tests that need repeatable picks. */
    public SetType(Txn txn, RandomGenerator random) {
        super(txn, TYPE);
        this.random = random;
    }

    @Override
    protected CollectionMetadata empty(long version) {
        return CollectionMetadata.empty(TYPE, version);
    }

    /** An intset while it holds few enough members and all are integers, as Redis 7.0 decides. */
    private String encoding(byte[] key, CollectionMetadata m) {
        return m.size() <= INTSET_ENTRIES && everySubkey(key, m, (member, value) -> RedisNumbers.isLong(member))
                ? "intset" : "hashtable";
    }

    private byte[] memberKey(byte[] key, CollectionMetadata m, byte[] member) {
        return codec.subkey(key, m.version(), member);
    }

    private boolean contains(byte[] key, CollectionMetadata m, byte[] member) throws StorageException {
        return txn.get(ColumnFamily.DEFAULT, memberKey(key, m, member)) != null;
    }

    /** SADD: the number of members that were not there before. */
    public long add(byte[] key, List<byte[]> members) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        log();
        if (m == null) {
            m = create(key); // an expired value may still have subkeys under an old version
        }
        long added = 0;
        for (byte[] member : members) {
            byte[] sk = memberKey(key, m, member);
            if (txn.get(ColumnFamily.DEFAULT, sk) == null) {
                txn.put(ColumnFamily.DEFAULT, sk, EMPTY);
                added++;
            }
        }
        if (added > 0) {
            keyspace.putMetadata(key, m.withSize(m.size() + added));
        }
        return added;
    }

    /** SREM: the number of members removed; removing the last one deletes the key. */
    public long remove(byte[] key, List<byte[]> members) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return 0;
        }
        log();
        long removed = 0;
        for (byte[] member : members) {
            byte[] sk = memberKey(key, m, member);
            if (txn.get(ColumnFamily.DEFAULT, sk) != null) {
                txn.delete(ColumnFamily.DEFAULT, sk);
                removed++;
            }
        }
        if (removed > 0) {
            shrink(key, m, removed);
        }
        return removed;
    }

    /** SCARD, from the metadata. */
    public long card(byte[] key) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m == null ? 0 : m.size();
    }

    /** SISMEMBER. */
    public boolean isMember(byte[] key, byte[] member) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m != null && contains(key, m, member);
    }

    /** SMISMEMBER: one answer per member, in order. */
    public boolean[] areMembers(byte[] key, List<byte[]> members) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        boolean[] out = new boolean[members.size()];
        if (m != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] = contains(key, m, members.get(i));
            }
        }
        return out;
    }

    /**
     * Walks the members of one set version in byte order, starting after {@code after} (null = from
     * the first), until the visitor says stop. Returns false if stopped by the visitor.
     */
    public boolean walk(byte[] key, CollectionMetadata m, byte[] after, MemberVisitor visitor) throws StorageException {
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            seekAfter(it, key, m.version(), after);
            for (; it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!Bytes.startsWith(k, prefix)) {
                    break;
                }
                if (!visitor.visit(KeyCodec.subkeyOf(k, prefix.length))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * SMEMBERS as a stream: the size (for the reply header) is known from the metadata, then every
     * member goes to the visitor without the set being held in memory. Returns the member count
     * the visitor saw, which equals the metadata size unless the data is damaged.
     */
    public long members(byte[] key, CollectionMetadata m, MemberVisitor visitor) throws StorageException {
        long[] seen = {0};
        walk(key, m, null, member -> {
            seen[0]++;
            return visitor.visit(member);
        });
        return seen[0];
    }

    /** Every member of a live set, in byte order (empty for a missing key). */
    public List<byte[]> members(byte[] key) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        List<byte[]> out = new ArrayList<>();
        if (m != null) {
            walk(key, m, null, member -> out.add(member));
        }
        return out;
    }

    // ---- random picks ----

    /** Largest reply of random picks Basalt will build: replies are held in memory until commit. */
    static final long MAX_RANDOM_PICKS = 16L * 1024 * 1024;

    /**
     * count distinct members chosen uniformly (every subset equally likely) from a set of more than
     * count members, in random order. Selection sampling (Knuth's algorithm S): one walk that takes
     * each member with probability needed/remaining and stops at the last one needed, so nothing but
     * the picks is held in memory.
     */
    private List<byte[]> distinctRandom(byte[] key, CollectionMetadata m, int count) throws StorageException {
        List<byte[]> picked = new ArrayList<>(Math.min(count, 1024));
        long n = m.size();
        long[] seen = {0};
        walk(key, m, null, member -> {
            long remaining = n - seen[0]++;
            if (random.nextLong(remaining) < count - picked.size()) {
                picked.add(member);
            }
            return picked.size() < count && seen[0] < n;
        });
        damagedIf(picked.size() != count, key);
        Collections.shuffle(picked, random);
        return picked;
    }

    /**
     * The members at the given sorted positions (one entry per position, so a repeated position
     * repeats its member), in one walk that stops after the last position.
     */
    private List<byte[]> membersAt(byte[] key, CollectionMetadata m, long[] sortedPositions) throws StorageException {
        List<byte[]> out = new ArrayList<>(sortedPositions.length);
        long[] index = {0};
        int[] next = {0};
        walk(key, m, null, member -> {
            while (next[0] < sortedPositions.length && sortedPositions[next[0]] == index[0]) {
                out.add(member);
                next[0]++;
            }
            index[0]++;
            return next[0] < sortedPositions.length;
        });
        damagedIf(out.size() != sortedPositions.length, key);
        return out;
    }

    private byte[] memberAtRandom(byte[] key, CollectionMetadata m) throws StorageException {
        return membersAt(key, m, new long[] {random.nextLong(m.size())}).get(0);
    }

    private static void checkPicks(long picks) throws ErrorReply {
        if (picks > MAX_RANDOM_PICKS) {
            throw new ErrorReply("ERR count is too large: at most " + MAX_RANDOM_PICKS
                    + " random members per call");
        }
    }

    /** SRANDMEMBER without count: one random member, or null for a missing key. */
    public byte[] randomMember(byte[] key) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m == null ? null : memberAtRandom(key, m);
    }

    /**
     * SRANDMEMBER with count: count > 0 gives distinct members (the whole set when count is at
     * least its size), count < 0 gives |count| independent picks that may repeat.
     */
    public List<byte[]> randomMembers(byte[] key, long count) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null || count == 0) {
            return List.of();
        }
        long n = m.size();
        if (count >= n) {
            List<byte[]> all = new ArrayList<>();
            walk(key, m, null, all::add);
            return all;
        }
        if (count > 0) {
            checkPicks(count);
            return distinctRandom(key, m, (int) count);
        }
        long picks = -count;
        checkPicks(picks);
        int k = (int) picks;
        List<byte[]> out;
        if (picks >= n) {
            // Holding the n members costs less than the reply of k >= n picks.
            List<byte[]> all = new ArrayList<>();
            walk(key, m, null, all::add);
            damagedIf(all.size() != n, key);
            out = new ArrayList<>(Math.min(k, 1024));
            for (int i = 0; i < k; i++) {
                out.add(all.get((int) random.nextLong(n)));
            }
            return out;
        }
        // Fewer picks than members: k sorted positions (8 bytes a pick), one walk, then shuffled
        // because the walk returns them in member order and the picks must be independent.
        long[] positions = new long[k];
        for (int i = 0; i < k; i++) {
            positions[i] = random.nextLong(n);
        }
        Arrays.sort(positions);
        out = membersAt(key, m, positions);
        Collections.shuffle(out, random);
        return out;
    }

    /** SPOP without count: removes and returns one random member, or null for a missing key. */
    public byte[] pop(byte[] key) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return null;
        }
        byte[] member = memberAtRandom(key, m);
        log();
        txn.delete(ColumnFamily.DEFAULT, memberKey(key, m, member));
        shrink(key, m, 1);
        return member;
    }

    /** SPOP with count: removes and returns up to count distinct random members. */
    public List<byte[]> pop(byte[] key, long count) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null || count == 0) {
            return List.of();
        }
        log();
        if (count >= m.size()) {
            List<byte[]> all = new ArrayList<>();
            walk(key, m, null, all::add);
            keyspace.delete(key);
            return all;
        }
        checkPicks(count);
        List<byte[]> picked = distinctRandom(key, m, (int) count);
        for (byte[] member : picked) {
            txn.delete(ColumnFamily.DEFAULT, memberKey(key, m, member));
        }
        shrink(key, m, picked.size());
        return picked;
    }

    /**
     * SMOVE: 1 if member moved from src to dst. A missing src answers 0 before dst's type is
     * checked, as in Redis; src == dst only checks membership.
     */
    public boolean move(byte[] src, byte[] dst, byte[] member) throws StorageException, ErrorReply {
        CollectionMetadata from = metadata(src);
        if (from == null) {
            return false;
        }
        CollectionMetadata to = metadata(dst);
        if (Arrays.equals(src, dst)) {
            return contains(src, from, member);
        }
        byte[] sk = memberKey(src, from, member);
        if (txn.get(ColumnFamily.DEFAULT, sk) == null) {
            return false;
        }
        log();
        txn.delete(ColumnFamily.DEFAULT, sk);
        shrink(src, from, 1);
        if (to == null) {
            to = create(dst);
        }
        byte[] dk = memberKey(dst, to, member);
        if (txn.get(ColumnFamily.DEFAULT, dk) == null) {
            txn.put(ColumnFamily.DEFAULT, dk, EMPTY);
            keyspace.putMetadata(dst, to.withSize(to.size() + 1));
        }
        return true;
    }

    // ---- algebra ----

    /** Every key's live set metadata (null for missing keys); WRONGTYPE if any key holds another type. */
    private CollectionMetadata[] lookupAll(List<byte[]> keys) throws StorageException, ErrorReply {
        CollectionMetadata[] ms = new CollectionMetadata[keys.size()];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = metadata(keys.get(i));
        }
        return ms;
    }

    /**
     * Walks the intersection: the smallest set's members, each checked in the others by point reads
     * (O(smallest * keys)). The visitor may stop early.
     */
    private void intersect(List<byte[]> keys, MemberVisitor visitor) throws StorageException, ErrorReply {
        CollectionMetadata[] ms = lookupAll(keys);
        int smallest = 0;
        for (int i = 0; i < ms.length; i++) {
            if (ms[i] == null) {
                return; // a missing key is an empty set
            }
            if (ms[i].size() < ms[smallest].size()) {
                smallest = i;
            }
        }
        int base = smallest;
        walk(keys.get(base), ms[base], null, member -> {
            for (int i = 0; i < ms.length; i++) {
                if (i != base && !contains(keys.get(i), ms[i], member)) {
                    return true;
                }
            }
            return visitor.visit(member);
        });
    }

    /** SINTER: the members in every set, in byte order. */
    public List<byte[]> inter(List<byte[]> keys) throws StorageException, ErrorReply {
        List<byte[]> out = new ArrayList<>();
        intersect(keys, out::add);
        return out;
    }

    /** SINTERCARD: the intersection's size, counting stopped at limit (0 = no limit). */
    public long interCard(List<byte[]> keys, long limit) throws StorageException, ErrorReply {
        long[] n = {0};
        intersect(keys, member -> ++n[0] != limit);
        return n[0];
    }

    /** SUNION: a merge of the sets' sorted member walks, each member once, in byte order. */
    public List<byte[]> union(List<byte[]> keys) throws StorageException, ErrorReply {
        CollectionMetadata[] ms = lookupAll(keys);
        List<byte[]> out = new ArrayList<>();
        List<TxnIterator> open = new ArrayList<>();
        record Head(byte[] member, TxnIterator it, byte[] prefix) {
        }
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Bytes.compare(a.member(), b.member()));
        try {
            for (int i = 0; i < ms.length; i++) {
                if (ms[i] == null) {
                    continue;
                }
                byte[] prefix = codec.subkeyPrefix(keys.get(i), ms[i].version());
                TxnIterator it = txn.iterator(ColumnFamily.DEFAULT);
                open.add(it);
                it.seek(prefix);
                if (it.isValid() && Bytes.startsWith(it.key(), prefix)) {
                    heads.add(new Head(KeyCodec.subkeyOf(it.key(), prefix.length), it, prefix));
                }
            }
            byte[] last = null;
            while (!heads.isEmpty()) {
                Head h = heads.poll();
                if (last == null || !Arrays.equals(last, h.member())) {
                    out.add(h.member());
                    last = h.member();
                }
                h.it().next();
                if (h.it().isValid() && Bytes.startsWith(h.it().key(), h.prefix())) {
                    heads.add(new Head(KeyCodec.subkeyOf(h.it().key(), h.prefix().length), h.it(), h.prefix()));
                }
            }
        } finally {
            for (TxnIterator it : open) {
                it.close();
            }
        }
        return out;
    }

    /** SDIFF: the first set's members that are in none of the others (point reads per member). */
    public List<byte[]> diff(List<byte[]> keys) throws StorageException, ErrorReply {
        CollectionMetadata[] ms = lookupAll(keys);
        List<byte[]> out = new ArrayList<>();
        if (ms[0] == null) {
            return out;
        }
        walk(keys.get(0), ms[0], null, member -> {
            for (int i = 1; i < ms.length; i++) {
                if (ms[i] != null && contains(keys.get(i), ms[i], member)) {
                    return true;
                }
            }
            out.add(member);
            return true;
        });
        return out;
    }

    /**
     * The *STORE forms: dest (of any type, with any TTL) is replaced by a new set of the given
     * distinct members, or deleted when there are none. Returns the new size.
     */
    public long store(byte[] dest, List<byte[]> members) throws StorageException {
        log();
        keyspace.delete(dest);
        if (members.isEmpty()) {
            return 0;
        }
        CollectionMetadata m = empty(txn.storage().nextVersion());
        for (byte[] member : members) {
            txn.put(ColumnFamily.DEFAULT, memberKey(dest, m, member), EMPTY);
        }
        keyspace.putMetadata(dest, m.withSize(members.size()));
        return members.size();
    }

    /**
     * One SSCAN step: examines up to count members after {@code after} (null = from the start) and
     * returns those matching pattern (null = all), with where to resume, or null when the walk ended.
     */
    public ScanPage<byte[]> scan(byte[] key, byte[] after, long count, byte[] pattern) throws StorageException, ErrorReply {
        return scanPage(key, after, count, pattern, (member, value) -> member);
    }

    private static void damagedIf(boolean damaged, byte[] key) throws StorageException {
        if (damaged) {
            throw new StorageException("set size in metadata does not match its members for key '"
                    + Bytes.str(key) + "'");
        }
    }
}
