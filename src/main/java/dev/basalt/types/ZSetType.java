package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.util.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Sorted sets in Kvrocks's layout: metadata (type zset, version, size); in the default column family
 * {@code [key, version, member] = score} (8-byte order-preserving double, see {@link ZScore}); in the
 * zset_score column family {@code [key, version, score, member] = ""}, the index that keeps members in
 * (score, member) order. Score ranges seek that index; ranks walk it from either end (O(rank), as
 * Kvrocks does); lexicographic ranges walk the member subkeys of the default column family.
 */
public final class ZSetType extends CollectionType<CollectionMetadata> {
    /** Redis 7.0's listpack limits for sorted sets (zset-max-listpack-entries, -value). */
    private static final int LISTPACK_ENTRIES = 128;
    private static final int LISTPACK_VALUE = 64;

    public static final DataType<CollectionMetadata> TYPE = DataType.define(5, "zset", CollectionMetadata.class)
            .layout(CollectionMetadata::read).subkeysIn(ColumnFamily.DEFAULT, ColumnFamily.ZSET_SCORE)
            .objectEncoding((txn, key, m) -> new ZSetType(txn).encoding(key, m)).build();

    public static final String NAN_SCORE = "ERR resulting score is not a number (NaN)";

    /** A member with its score. */
    public record Entry(byte[] member, double score) {
    }

    /** Redis's score interval: [min, max] with either end exclusive. */
    public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
        public boolean aboveMin(double s) {
            return minExclusive ? s > min : s >= min;
        }

        public boolean belowMax(double s) {
            return maxExclusive ? s < max : s <= max;
        }

        public boolean contains(double s) {
            return aboveMin(s) && belowMax(s);
        }

        /** True when no score can be inside (min above max, or equal with an exclusive end). */
        public boolean isEmpty() {
            return min > max || (min == max && (minExclusive || maxExclusive));
        }
    }

    /**
     * Redis's lexicographic interval; {@link #MIN} and {@link #MAX} stand for "-" and "+" (below and
     * above every string), compared by identity.
     */
    public record LexRange(byte[] min, boolean minExclusive, byte[] max, boolean maxExclusive) {
        public static final byte[] MIN = new byte[0];
        public static final byte[] MAX = new byte[0];

        /** Redis's comparison where "-" and "+" are the extremes. */
        public static int compare(byte[] a, byte[] b) {
            if (a == b) {
                return 0;
            }
            if (a == MIN || b == MAX) {
                return -1;
            }
            if (a == MAX || b == MIN) {
                return 1;
            }
            return Bytes.compare(a, b);
        }

        public boolean aboveMin(byte[] m) {
            int c = compare(m, min);
            return minExclusive ? c > 0 : c >= 0;
        }

        public boolean belowMax(byte[] m) {
            int c = compare(m, max);
            return maxExclusive ? c < 0 : c <= 0;
        }

        public boolean isEmpty() {
            int c = compare(min, max);
            return c > 0 || (c == 0 && (minExclusive || maxExclusive));
        }
    }

    /** ZADD's options. */
    public record AddOptions(boolean nx, boolean xx, boolean gt, boolean lt, boolean incr) {
        public static final AddOptions NONE = new AddOptions(false, false, false, false, false);
    }

    /**
     * What ZADD did: elements added, elements whose score changed, elements not skipped by NX/XX/GT/LT
     * (processed), and the last element's resulting score (what ZADD INCR answers when processed).
     */
    public record AddResult(long added, long updated, long processed, double score) {
    }

    /** ZRANK's answer: the member's rank and its score. */
    public record Rank(long rank, double score) {
    }

    /**
     * An input of ZUNION/ZINTER/ZDIFF: a sorted set, or a plain set whose members count with score 1 as in
     * Redis (read through {@link SetType}).
     */
    public final class Source {
        private final byte[] key;
        private final CollectionMetadata meta;

        private Source(byte[] key, CollectionMetadata meta) {
            this.key = key;
            this.meta = meta;
        }

        public long size() {
            return meta == null ? 0 : meta.size();
        }

        public boolean isSet() {
            return meta != null && meta.type() == SetType.TYPE;
        }

        /** Every member with its score: score order for sorted sets, member order (score 1) for sets. */
        public List<Entry> entries() throws StorageException {
            if (meta == null) {
                return List.of();
            }
            if (!isSet()) {
                return byRankFrom(key, meta, 0, meta.size(), false);
            }
            List<Entry> out = new ArrayList<>((int) Math.min(meta.size(), 1 << 16));
            new SetType(txn).members(key, meta, member -> out.add(new Entry(member, 1.0)));
            return out;
        }

        /** The member's score here, or null when it is not a member. */
        public Double score(byte[] member) throws StorageException, ErrorReply {
            if (meta == null) {
                return null;
            }
            if (isSet()) {
                return new SetType(txn).isMember(key, member) ? 1.0 : null;
            }
            return scoreOf(key, meta, member);
        }
    }

    public ZSetType(Txn txn) {
        super(txn, TYPE);
    }

    @Override
    protected CollectionMetadata empty(long version) {
        return CollectionMetadata.empty(TYPE, version);
    }

    /** Listpack while both the member count and every member stay within Redis's limits. */
    private String encoding(byte[] key, CollectionMetadata m) {
        return m.size() <= LISTPACK_ENTRIES && everySubkey(key, m, (member, score) -> member.length <= LISTPACK_VALUE)
                ? "listpack" : "skiplist";
    }

    public long card(byte[] key) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m == null ? 0 : m.size();
    }

    public Double score(byte[] key, byte[] member) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m == null ? null : scoreOf(key, m, member);
    }

    /** Scores of several members (null where absent), one point read each. */
    public List<Double> scores(byte[] key, List<byte[]> members) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        List<Double> out = new ArrayList<>(members.size());
        for (byte[] member : members) {
            out.add(m == null ? null : scoreOf(key, m, member));
        }
        return out;
    }

    /**
     * ZADD / ZINCRBY: applies the pairs in order with Redis's NX/XX/GT/LT/INCR rules. Throws
     * {@link #NAN_SCORE} when an increment makes NaN (the command's writes are then dropped).
     */
    public AddResult add(byte[] key, List<Entry> pairs, AddOptions o) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            if (o.xx()) {
                return new AddResult(0, 0, 0, 0);
            }
            m = create(key);
        }
        log();
        long added = 0;
        long updated = 0;
        long processed = 0;
        double last = 0;
        for (Entry p : pairs) {
            double score = p.score();
            byte[] sk = codec.subkey(key, m.version(), p.member());
            byte[] old = txn.get(ColumnFamily.DEFAULT, sk);
            if (old != null) {
                if (o.nx()) {
                    continue;
                }
                double current = ZScore.decode(old);
                if (o.incr()) {
                    score += current;
                    if (Double.isNaN(score)) {
                        throw new ErrorReply(NAN_SCORE);
                    }
                }
                if ((o.lt() && score >= current) || (o.gt() && score <= current)) {
                    continue;
                }
                score = ZScore.normalize(score);
                processed++;
                last = score;
                if (score != current) {
                    txn.delete(ColumnFamily.ZSET_SCORE, indexKey(key, m.version(), current, p.member()));
                    writeMember(key, m.version(), p.member(), score);
                    updated++;
                }
            } else if (!o.xx()) {
                writeMember(key, m.version(), p.member(), ZScore.normalize(score));
                added++;
                processed++;
                // Redis stores -0 as 0 but answers ZADD INCR / ZINCRBY of a new member with the score as given.
                last = score;
            }
        }
        if (added > 0) {
            keyspace.putMetadata(key, m.withSize(m.size() + added));
        } else if (updated > 0) {
            txn.touch(key);
        }
        return new AddResult(added, updated, processed, last);
    }

    /** ZREM: removes the members that exist; deletes the key when it becomes empty. */
    public long remove(byte[] key, List<byte[]> members) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return 0;
        }
        log();
        long removed = 0;
        for (byte[] member : members) {
            byte[] sk = codec.subkey(key, m.version(), member);
            byte[] old = txn.get(ColumnFamily.DEFAULT, sk);
            if (old != null) {
                txn.delete(ColumnFamily.DEFAULT, sk);
                txn.delete(ColumnFamily.ZSET_SCORE, indexKey(key, m.version(), ZScore.decode(old), member));
                removed++;
            }
        }
        shrink(key, m, removed);
        return removed;
    }

    /**
     * Members at ranks start..stop (inclusive, negative counting from the end, clamped as ZRANGE does), from
     * the lowest score up or, reversed, from the highest down.
     */
    public List<Entry> rangeByRank(byte[] key, long start, long stop, boolean reverse)
            throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return List.of();
        }
        IndexRange r = IndexRange.clamp(m.size(), start, stop);
        if (r == null) {
            return List.of();
        }
        return byRankFrom(key, m, r.start(), r.length(), reverse);
    }

    /**
     * Members with scores in range, in score order (reversed: from max down), skipping offset of them and
     * returning at most limit (negative = no limit); a negative offset gives nothing, as in Redis.
     */
    public List<Entry> rangeByScore(byte[] key, ScoreRange range, long offset, long limit, boolean reverse)
            throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return List.of();
        }
        return byScore(key, m, range, offset, limit, reverse);
    }

    public long countByScore(byte[] key, ScoreRange range) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m == null ? 0 : byScore(key, m, range, 0, -1, false).size();
    }

    /** Members in a lexicographic range, in member order; offset/limit as in {@link #rangeByScore}. */
    public List<Entry> rangeByLex(byte[] key, LexRange range, long offset, long limit, boolean reverse)
            throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return List.of();
        }
        return byLex(key, m, range, offset, limit, reverse);
    }

    public long countByLex(byte[] key, LexRange range) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m == null ? 0 : byLex(key, m, range, 0, -1, false).size();
    }

    /**
     * The member's rank (0 = lowest score, or highest when reversed) and its score, or null when it is not a
     * member. Walks the score index up to the member (O(rank), like Kvrocks).
     */
    public Rank rank(byte[] key, byte[] member, boolean reverse) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return null;
        }
        Double score = scoreOf(key, m, member);
        if (score == null) {
            return null;
        }
        // Count the entries strictly before (score, member) in the index: that is the rank.
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        byte[] target = indexKey(key, m.version(), score, member);
        long before = 0;
        try (TxnIterator it = txn.iterator(ColumnFamily.ZSET_SCORE)) {
            for (it.seek(prefix); it.isValid() && Bytes.compare(it.key(), target) < 0; it.next()) {
                before++;
            }
        }
        long rank = reverse ? m.size() - 1 - before : before;
        return new Rank(rank, score);
    }

    /** Removes and returns up to count members with the lowest (or highest) scores, in pop order. */
    public List<Entry> pop(byte[] key, long count, boolean max) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null || count <= 0) {
            return List.of();
        }
        List<Entry> popped = byRankFrom(key, m, 0, Math.min(count, m.size()), max);
        removeEntries(key, m, popped);
        return popped;
    }

    public long removeRangeByRank(byte[] key, long start, long stop) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return 0;
        }
        IndexRange r = IndexRange.clamp(m.size(), start, stop);
        if (r == null) {
            return 0;
        }
        List<Entry> gone = byRankFrom(key, m, r.start(), r.length(), false);
        removeEntries(key, m, gone);
        return gone.size();
    }

    public long removeRangeByScore(byte[] key, ScoreRange range) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return 0;
        }
        List<Entry> gone = byScore(key, m, range, 0, -1, false);
        removeEntries(key, m, gone);
        return gone.size();
    }

    public long removeRangeByLex(byte[] key, LexRange range) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null) {
            return 0;
        }
        List<Entry> gone = byLex(key, m, range, 0, -1, false);
        removeEntries(key, m, gone);
        return gone.size();
    }

    /**
     * ZRANDMEMBER: count >= 0 gives up to count distinct members, count < 0 gives |count| members that may
     * repeat; both in random order. One pass over the member subkeys. At most {@link SetType#MAX_RANDOM_PICKS}
     * picks per call, as for sets.
     */
    public List<Entry> randomMembers(byte[] key, long count) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m == null || count == 0) {
            return List.of();
        }
        long size = m.size();
        Random rnd = ThreadLocalRandom.current();
        long[] picks;
        if (count < 0) {
            long n = -count;
            checkPicks(n);
            picks = new long[(int) n];
            for (int i = 0; i < picks.length; i++) {
                picks[i] = (long) (rnd.nextDouble() * size);
            }
        } else if (count >= size) {
            picks = new long[(int) size];
            for (int i = 0; i < picks.length; i++) {
                picks[i] = i;
            }
            shuffle(picks, rnd);
        } else {
            checkPicks(count);
            // Distinct positions: a partial Fisher-Yates over the index space, kept sparse in a map.
            Map<Long, Long> swapped = new HashMap<>();
            picks = new long[(int) count];
            for (int i = 0; i < picks.length; i++) {
                long j = i + (long) (rnd.nextDouble() * (size - i));
                long at = swapped.getOrDefault(j, j);
                swapped.put(j, swapped.getOrDefault((long) i, (long) i));
                picks[i] = at;
            }
        }
        long[] sorted = picks.clone();
        Arrays.sort(sorted);
        Map<Long, Entry> found = new HashMap<>();
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            long pos = 0;
            int next = 0;
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix) && next < sorted.length; it.next(), pos++) {
                if (sorted[next] == pos) {
                    Entry e = new Entry(KeyCodec.subkeyOf(it.key(), prefix.length), ZScore.decode(it.value()));
                    found.put(pos, e);
                    while (next < sorted.length && sorted[next] == pos) {
                        next++;
                    }
                }
            }
        }
        List<Entry> out = new ArrayList<>(picks.length);
        for (long p : picks) {
            Entry e = found.get(p);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** The same bound on one call's random picks as SRANDMEMBER has (the reply is held in memory; Redis has none). */
    private static void checkPicks(long picks) throws ErrorReply {
        if (picks > SetType.MAX_RANDOM_PICKS) {
            throw new ErrorReply("ERR count is too large: at most " + SetType.MAX_RANDOM_PICKS
                    + " random members per call");
        }
    }

    /**
     * ZSCAN: looks at up to count members in member order after {@code after} (null = from the start) and
     * returns those matching pattern (null = all).
     */
    public ScanPage<Entry> scan(byte[] key, byte[] after, long count, byte[] pattern) throws StorageException, ErrorReply {
        return scanPage(key, after, count, pattern, (member, score) -> new Entry(member, ZScore.decode(score)));
    }

    /** Every member in score order. */
    public List<Entry> all(byte[] key) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        return m == null ? List.of() : byRankFrom(key, m, 0, m.size(), false);
    }

    /**
     * Replaces whatever key holds (any type, alive or not, its expiry too) with a sorted set of these entries
     * (members distinct); with no entries the key is deleted. For ZRANGESTORE and Z*STORE.
     */
    public void replace(byte[] key, List<Entry> entries) throws StorageException {
        log();
        keyspace.delete(key);
        if (entries.isEmpty()) {
            return;
        }
        CollectionMetadata m = empty(txn.storage().nextVersion());
        for (Entry e : entries) {
            writeMember(key, m.version(), e.member(), ZScore.normalize(e.score()));
        }
        keyspace.putMetadata(key, m.withSize(entries.size()));
    }

    /** An input of ZUNION/ZINTER/ZDIFF; WRONGTYPE unless the key is a sorted set, a set, or missing. */
    public Source source(byte[] key) throws StorageException, ErrorReply {
        Metadata m = keyspace.metadata(key);
        if (m != null && m.type() != TYPE && m.type() != SetType.TYPE) {
            throw ErrorReply.wrongType();
        }
        return new Source(key, (CollectionMetadata) m);
    }

    // ---- internals ----

    private Double scoreOf(byte[] key, CollectionMetadata m, byte[] member) throws StorageException {
        byte[] v = txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), member));
        return v == null ? null : ZScore.decode(v);
    }

    private byte[] indexKey(byte[] key, long version, double score, byte[] member) {
        byte[] sub = new byte[ZScore.BYTES + member.length];
        ZScore.encodeInto(score, sub, 0);
        System.arraycopy(member, 0, sub, ZScore.BYTES, member.length);
        return codec.subkey(key, version, sub);
    }

    private void writeMember(byte[] key, long version, byte[] member, double score) throws StorageException {
        txn.put(ColumnFamily.DEFAULT, codec.subkey(key, version, member), ZScore.encode(score));
        txn.put(ColumnFamily.ZSET_SCORE, indexKey(key, version, score, member), new byte[0]);
    }

    private void removeEntries(byte[] key, CollectionMetadata m, List<Entry> entries) throws StorageException {
        log();
        for (Entry e : entries) {
            txn.delete(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), e.member()));
            txn.delete(ColumnFamily.ZSET_SCORE, indexKey(key, m.version(), e.score(), e.member()));
        }
        shrink(key, m, entries.size());
    }

    /** n entries of the score index from rank skip (counted from the top when reversed). */
    private List<Entry> byRankFrom(byte[] key, CollectionMetadata m, long skip, long n, boolean reverse) throws StorageException {
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        List<Entry> out = new ArrayList<>((int) Math.min(n, 1 << 16));
        try (TxnIterator it = txn.iterator(ColumnFamily.ZSET_SCORE)) {
            if (reverse) {
                seekLastBefore(it, Bytes.prefixEnd(prefix));
            } else {
                it.seek(prefix);
            }
            for (long i = 0; it.isValid() && Bytes.startsWith(it.key(), prefix) && i < skip + n; i++) {
                if (i >= skip) {
                    out.add(indexEntry(it.key(), prefix.length));
                }
                step(it, reverse);
            }
        }
        return out;
    }

    private List<Entry> byScore(byte[] key, CollectionMetadata m, ScoreRange range, long offset, long limit, boolean reverse)
            throws StorageException {
        if (offset < 0 || limit == 0) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        long[] skipped = {0};
        walkByScore(key, m, range, reverse, e -> {
            if (skipped[0] < offset) {
                skipped[0]++;
                return true;
            }
            out.add(e);
            return limit <= 0 || out.size() < limit;
        });
        return out;
    }

    /**
     * Hands the members with scores in range to visit in score order (reversed: from max down) until it
     * returns false.
     */
    private void walkByScore(byte[] key, CollectionMetadata m, ScoreRange range, boolean reverse, Predicate<Entry> visit) {
        if (range.isEmpty()) {
            return;
        }
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (TxnIterator it = txn.iterator(ColumnFamily.ZSET_SCORE)) {
            if (reverse) {
                // Last index entry at or below max: entries with score == max sort below max's encoding + 1.
                byte[] enc = ZScore.encode(range.max());
                byte[] bound = range.maxExclusive() ? enc : Bytes.prefixEnd(enc);
                seekLastBefore(it, concat(prefix, bound));
            } else {
                byte[] enc = ZScore.encode(range.min());
                it.seek(concat(prefix, range.minExclusive() ? Bytes.prefixEnd(enc) : enc));
            }
            for (; it.isValid() && Bytes.startsWith(it.key(), prefix); step(it, reverse)) {
                Entry e = indexEntry(it.key(), prefix.length);
                if (!(reverse ? range.aboveMin(e.score()) : range.belowMax(e.score()))) {
                    break;
                }
                if (!range.contains(e.score())) {
                    continue; // only possible at the seek boundary (e.g. -0.0 bounds)
                }
                if (!visit.test(e)) {
                    break;
                }
            }
        }
    }

    /** Hands the members whose scores are in range to visit, lowest score first, until it returns false (GEO searches). */
    public void forEachByScore(byte[] key, ScoreRange range, Predicate<Entry> visit) throws StorageException, ErrorReply {
        CollectionMetadata m = metadata(key);
        if (m != null) {
            walkByScore(key, m, range, false, visit);
        }
    }

    private List<Entry> byLex(byte[] key, CollectionMetadata m, LexRange range, long offset, long limit, boolean reverse)
            throws StorageException {
        if (range.isEmpty() || offset < 0 || limit == 0) {
            return List.of();
        }
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        List<Entry> out = new ArrayList<>();
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            if (reverse) {
                byte[] bound;
                if (range.max() == LexRange.MAX) {
                    bound = Bytes.prefixEnd(prefix);
                } else if (range.max() == LexRange.MIN) {
                    return List.of();
                } else {
                    // Members <= max are exactly those < max + "\0".
                    bound = range.maxExclusive() ? concat(prefix, range.max())
                            : concat(prefix, Arrays.copyOf(range.max(), range.max().length + 1));
                }
                seekLastBefore(it, bound);
            } else if (range.min() == LexRange.MIN) {
                it.seek(prefix);
            } else if (range.min() == LexRange.MAX) {
                return List.of();
            } else {
                it.seek(concat(prefix, range.min()));
            }
            long skipped = 0;
            for (; it.isValid() && Bytes.startsWith(it.key(), prefix); step(it, reverse)) {
                byte[] member = KeyCodec.subkeyOf(it.key(), prefix.length);
                if (!(reverse ? range.aboveMin(member) : range.belowMax(member))) {
                    break;
                }
                if (!(reverse ? range.belowMax(member) : range.aboveMin(member))) {
                    continue; // the exclusive bound itself
                }
                if (skipped < offset) {
                    skipped++;
                    continue;
                }
                out.add(new Entry(member, ZScore.decode(it.value())));
                if (limit > 0 && out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    private static Entry indexEntry(byte[] internalKey, int prefixLength) {
        double score = ZScore.decode(internalKey, prefixLength);
        byte[] member = Arrays.copyOfRange(internalKey, prefixLength + ZScore.BYTES, internalKey.length);
        return new Entry(member, score);
    }

    /** Positions it on the last key strictly below bound (or invalid when there is none). */
    private static void seekLastBefore(TxnIterator it, byte[] bound) {
        if (bound == null) {
            it.seekToLast();
            return;
        }
        it.seek(bound);
        if (it.isValid()) {
            it.prev();
        } else {
            it.seekToLast();
        }
    }

    private static void step(TxnIterator it, boolean reverse) {
        if (reverse) {
            it.prev();
        } else {
            it.next();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void shuffle(long[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
