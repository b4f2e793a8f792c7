package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Metadata;
import dev.basalt.storage.RedisType;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.util.Bytes;
import dev.basalt.util.Glob;
import dev.basalt.util.RedisNumbers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generic key operations over the metadata column family, shared by every type: lookup with lazy
 * expiry, type checks, deletion (reclaiming a collection's subkeys) and expiry changes.
 */
public class Keyspace {
    protected final Txn txn;
    protected final KeyCodec codec;

    public Keyspace(Txn txn) {
        this.txn = txn;
        this.codec = txn.codec();
    }

    /** The key's metadata if it exists and is alive (not expired, not an empty collection), else null. */
    public Metadata metadata(byte[] key) throws StorageException {
        byte[] raw = txn.get(ColumnFamily.METADATA, codec.metadataKey(key));
        if (raw == null) {
            return null;
        }
        Metadata m = Metadata.decode(raw);
        return m.isDead(txn.nowMs()) ? null : m;
    }

    /** The key's live metadata, or null if absent; WRONGTYPE if it holds another type. */
    public Metadata metadata(byte[] key, RedisType expected) throws StorageException, ErrorReply {
        Metadata m = metadata(key);
        if (m != null && m.type() != expected) {
            throw ErrorReply.wrongType();
        }
        return m;
    }

    public RedisType type(byte[] key) throws StorageException {
        Metadata m = metadata(key);
        return m == null ? RedisType.NONE : m.type();
    }

    public boolean exists(byte[] key) throws StorageException {
        return metadata(key) != null;
    }

    /** Writes a key's metadata (for strings, the whole value). */
    public void putMetadata(byte[] key, Metadata m) throws StorageException {
        txn.put(ColumnFamily.METADATA, codec.metadataKey(key), m.encode());
        txn.touch(key);
    }

    /**
     * Deletes the key whatever its state: the metadata entry, and for a collection its subkeys (also
     * when the key is already expired, so nothing is left behind). Returns true if it was alive.
     */
    public boolean delete(byte[] key) throws StorageException {
        byte[] mk = codec.metadataKey(key);
        byte[] raw = txn.get(ColumnFamily.METADATA, mk);
        if (raw == null) {
            return false;
        }
        Metadata m = Metadata.decode(raw);
        txn.delete(ColumnFamily.METADATA, mk);
        reclaimSubkeys(key, m);
        txn.touch(key);
        return !m.isDead(txn.nowMs());
    }

    /** Drops every subkey of one version of a collection, in the same commit. */
    public void reclaimSubkeys(byte[] key, Metadata m) {
        if (!m.type().isCollection()) {
            return;
        }
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        byte[] end = Bytes.prefixEnd(prefix);
        for (ColumnFamily cf : subkeyFamilies(m.type())) {
            txn.deleteRangeAtCommit(cf, prefix, end);
        }
    }

    /** The column families holding a collection's subkeys, all under {@link KeyCodec#subkeyPrefix}. */
    static List<ColumnFamily> subkeyFamilies(RedisType type) {
        return switch (type) {
            case ZSET -> List.of(ColumnFamily.DEFAULT, ColumnFamily.ZSET_SCORE);
            case STREAM -> List.of(ColumnFamily.DEFAULT, ColumnFamily.STREAM);
            default -> List.of(ColumnFamily.DEFAULT);
        };
    }

    /**
     * Before a key is overwritten by a new value of any type: reclaims the old collection's subkeys
     * (alive or expired) so that replacing a key leaves nothing behind.
     */
    public void prepareOverwrite(byte[] key) throws StorageException {
        byte[] raw = txn.get(ColumnFamily.METADATA, codec.metadataKey(key));
        if (raw != null) {
            reclaimSubkeys(key, Metadata.decode(raw));
        }
    }

    /** Unix ms at which the live key expires, 0 when it has no expiry or does not exist. */
    public long expireAtMs(byte[] key) throws StorageException {
        Metadata m = metadata(key);
        return m == null ? 0 : m.expireAtMs();
    }

    public long nowMs() {
        return txn.nowMs();
    }

    // ---- expiry -------------------------------------------------------------------------------

    /** EXPIRE's conditions, as bits for {@link #expire}. */
    public static final int EXPIRE_NX = 1;
    public static final int EXPIRE_XX = 2;
    public static final int EXPIRE_GT = 4;
    public static final int EXPIRE_LT = 8;

    /**
     * Sets the live key's expiry to whenMs (Unix ms) unless a condition refuses; for GT and LT a key
     * without expiry counts as an infinite TTL, as in Redis 7. A time that is not after now deletes the
     * key, as Redis does. Returns false when the key does not exist or a condition refused.
     */
    public boolean expire(byte[] key, long whenMs, int conditions) throws StorageException {
        Metadata m = metadata(key);
        if (m == null) {
            return false;
        }
        boolean has = m.hasExpiry();
        long current = m.expireAtMs();
        if ((conditions & EXPIRE_NX) != 0 && has
                || (conditions & EXPIRE_XX) != 0 && !has
                || (conditions & EXPIRE_GT) != 0 && (!has || whenMs <= current)
                || (conditions & EXPIRE_LT) != 0 && has && whenMs >= current) {
            return false;
        }
        if (whenMs <= nowMs()) {
            delete(key);
            return true;
        }
        m.setExpireAtMs(whenMs);
        putMetadata(key, m);
        return true;
    }

    /** Removes the live key's expiry; false when it does not exist or has none. */
    public boolean persist(byte[] key) throws StorageException {
        Metadata m = metadata(key);
        if (m == null || !m.hasExpiry()) {
            return false;
        }
        m.setExpireAtMs(0);
        putMetadata(key, m);
        return true;
    }

    /** Remaining time to live in ms: -2 when the key does not exist, -1 when it has no expiry. */
    public long ttlMs(byte[] key) throws StorageException {
        Metadata m = metadata(key);
        if (m == null) {
            return -2;
        }
        return m.hasExpiry() ? Math.max(0, m.expireAtMs() - nowMs()) : -1;
    }

    /** Absolute expiry in Unix ms: -2 when the key does not exist, -1 when it has no expiry. */
    public long expireTimeMs(byte[] key) throws StorageException {
        Metadata m = metadata(key);
        if (m == null) {
            return -2;
        }
        return m.hasExpiry() ? m.expireAtMs() : -1;
    }

    /**
     * Deletes the key if it is past its expiry (the sweeper's re-check under the key's lock); a
     * collection's subkeys go with it. True when it deleted.
     */
    public boolean deleteIfExpired(byte[] key) throws StorageException {
        byte[] raw = txn.get(ColumnFamily.METADATA, codec.metadataKey(key));
        if (raw == null || !expired(Metadata.decode(raw), nowMs())) {
            return false;
        }
        delete(key);
        return true;
    }

    /** Strictly past the expiry instant, the rule {@link Metadata#isDead} applies too. */
    private static boolean expired(Metadata m, long nowMs) {
        return m.hasExpiry() && m.expireAtMs() < nowMs;
    }

    // ---- rename and copy ----------------------------------------------------------------------

    /** What {@link #rename} did. */
    public enum RenameResult { NO_SUCH_KEY, TARGET_EXISTS, RENAMED }

    /**
     * RENAME (onlyIfAbsent false) and RENAMENX: moves the value, its expiry included, to dst and replaces
     * whatever dst held. Renaming a key to itself changes nothing (RENAMENX then reports TARGET_EXISTS).
     */
    public RenameResult rename(byte[] src, byte[] dst, boolean onlyIfAbsent) throws StorageException {
        Metadata m = metadata(src);
        if (m == null) {
            return RenameResult.NO_SUCH_KEY;
        }
        if (Arrays.equals(src, dst)) {
            return onlyIfAbsent ? RenameResult.TARGET_EXISTS : RenameResult.RENAMED;
        }
        if (onlyIfAbsent && exists(dst)) {
            return RenameResult.TARGET_EXISTS;
        }
        writeCopy(src, m, dst);
        delete(src);
        return RenameResult.RENAMED;
    }

    /**
     * COPY: dst gets a copy of src's value and expiry; false when src does not exist, or dst exists and
     * replace is off. src and dst must differ (the command refuses that before).
     */
    public boolean copy(byte[] src, byte[] dst, boolean replace) throws StorageException {
        Metadata m = metadata(src);
        if (m == null || !replace && exists(dst)) {
            return false;
        }
        writeCopy(src, m, dst);
        return true;
    }

    /**
     * Writes src's value under dst, replacing (and reclaiming) what dst held. A collection gets a new
     * version and a copy of every subkey, whatever its type: only the subkey prefix changes. A fresh
     * version keeps the copy apart from range deletes of dst's earlier versions queued in this Txn.
     */
    private void writeCopy(byte[] src, Metadata m, byte[] dst) throws StorageException {
        prepareOverwrite(dst);
        if (!m.type().isCollection()) {
            putMetadata(dst, m);
            return;
        }
        long version = txn.storage().nextVersion();
        byte[] from = codec.subkeyPrefix(src, m.version());
        byte[] to = codec.subkeyPrefix(dst, version);
        for (ColumnFamily cf : subkeyFamilies(m.type())) {
            copySubkeys(cf, from, to);
        }
        putMetadata(dst, withVersion(m, version));
    }

    private static final int COPY_CHUNK = 1024;

    /** Copies every entry under prefix from to prefix to, in chunks (the batch is not written while iterating it). */
    private void copySubkeys(ColumnFamily cf, byte[] from, byte[] to) throws StorageException {
        byte[] seekTo = from;
        while (true) {
            List<byte[][]> chunk = new ArrayList<>();
            try (TxnIterator it = txn.iterator(cf)) {
                for (it.seek(seekTo); it.isValid() && chunk.size() < COPY_CHUNK; it.next()) {
                    byte[] k = it.key();
                    if (!Bytes.startsWith(k, from)) {
                        break;
                    }
                    chunk.add(new byte[][] {k, it.value()});
                }
            }
            for (byte[][] kv : chunk) {
                byte[] k = kv[0];
                byte[] nk = new byte[to.length + k.length - from.length];
                System.arraycopy(to, 0, nk, 0, to.length);
                System.arraycopy(k, from.length, nk, to.length, k.length - from.length);
                txn.put(cf, nk, kv[1]);
            }
            if (chunk.size() < COPY_CHUNK) {
                return;
            }
            seekTo = successor(chunk.get(chunk.size() - 1)[0]);
        }
    }

    /** The same metadata with another version (Metadata always encodes 64-bit: flags u8, expire u64, version u64...). */
    private static Metadata withVersion(Metadata m, long version) {
        byte[] raw = m.encode();
        ByteBuffer.wrap(raw).putLong(9, version);
        return Metadata.decode(raw);
    }

    /** The smallest byte string after k. */
    private static byte[] successor(byte[] k) {
        return Arrays.copyOf(k, k.length + 1);
    }

    // ---- iteration: KEYS, SCAN, RANDOMKEY, DBSIZE ---------------------------------------------

    /** One step of SCAN: the keys found, and the key to resume after (null when the scan is complete). */
    public record ScanPage(List<byte[]> keys, byte[] resumeAfter) {
    }

    /**
     * Looks at the keys after {@code after} (null = from the start) in key order and returns the live
     * ones that match pattern (null = all) and have type typeName (TYPE's answer, null = any). Stops
     * once count keys were found or 10 * count entries examined (bounded work, like Redis's SCAN).
     */
    public ScanPage scan(byte[] after, long count, byte[] pattern, String typeName) {
        byte[] glob = pattern == null || isMatchAll(pattern) ? null : pattern;
        byte[] prefix = searchPrefix(glob);
        byte[] start = prefix;
        if (after != null) {
            byte[] resume = successor(codec.metadataKey(after));
            if (Bytes.compare(resume, start) > 0) {
                start = resume;
            }
        }
        long budget = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
        long examined = 0;
        long now = nowMs();
        List<byte[]> found = new ArrayList<>();
        byte[] last = null;
        try (TxnIterator it = txn.iterator(ColumnFamily.METADATA)) {
            for (it.seek(start); it.isValid(); it.next()) {
                byte[] mk = it.key();
                if (!Bytes.startsWith(mk, prefix)) {
                    break;
                }
                if (found.size() >= count || examined >= budget) {
                    return new ScanPage(found, last);
                }
                byte[] key = codec.userKeyOf(mk);
                examined++;
                last = key;
                Metadata m = decodeOrNull(it.value());
                if (m != null && !m.isDead(now) && (glob == null || Glob.matches(glob, key, false))
                        && (typeName == null || m.type().typeName().equalsIgnoreCase(typeName))) {
                    found.add(key);
                }
            }
        }
        return new ScanPage(found, null);
    }

    /** KEYS: every live key matching the glob pattern, in key order. */
    public List<byte[]> keys(byte[] pattern) throws StorageException {
        if (Glob.isLiteral(pattern)) {
            return exists(pattern) ? List.of(pattern) : List.of();
        }
        ScanPage all = scan(null, Long.MAX_VALUE, pattern, null);
        return all.keys();
    }

    /** Live keys of this namespace (DBSIZE). */
    public long count() {
        return stats().keys();
    }

    /** What INFO keyspace reports for this namespace: live keys, those with an expiry, their mean TTL in ms. */
    public record KeyspaceStats(long keys, long expires, long avgTtlMs) {
    }

    public KeyspaceStats stats() {
        byte[] prefix = codec.metadataPrefix();
        long now = nowMs();
        long keys = 0;
        long expires = 0;
        double ttlSum = 0;
        try (TxnIterator it = txn.iterator(ColumnFamily.METADATA)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                Metadata m = decodeOrNull(it.value());
                if (m == null || m.isDead(now)) {
                    continue;
                }
                keys++;
                if (m.hasExpiry()) {
                    expires++;
                    ttlSum += Math.max(0, m.expireAtMs() - now);
                }
            }
        }
        return new KeyspaceStats(keys, expires, expires == 0 ? 0 : Math.round(ttlSum / expires));
    }

    private static final int RANDOM_PICK_WINDOW = 8;
    /** Up to this many entries RANDOMKEY counts them and picks uniformly. */
    static final int RANDOM_EXACT_LIMIT = 1000;

    /**
     * RANDOMKEY: a live key, or null when there is none. A small keyspace is counted and picked from
     * uniformly. A large one cannot be without counting it all, so then this walks down the keys' byte
     * trie at random (see {@link #randomDescent}) and picks among the next few live keys, wrapping around
     * at the end: approximate (small subtrees are favoured), as Kvrocks's is.
     */
    public byte[] randomKey() {
        byte[] prefix = codec.metadataPrefix();
        long now = nowMs();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try (TxnIterator it = txn.iterator(ColumnFamily.METADATA)) {
            it.seek(prefix);
            if (!it.isValid() || !Bytes.startsWith(it.key(), prefix)) {
                return null;
            }
            int entries = 0;
            while (it.isValid() && Bytes.startsWith(it.key(), prefix) && entries <= RANDOM_EXACT_LIMIT) {
                entries++;
                it.next();
            }
            byte[] target;
            if (entries <= RANDOM_EXACT_LIMIT) {
                it.seek(prefix);
                for (int skip = rnd.nextInt(entries); skip > 0; skip--) {
                    it.next();
                }
                target = it.key();
                // An expired entry passes the pick on to the next live key.
                return pickLive(it, prefix, target, 1, now, rnd);
            }
            target = randomDescent(it, prefix, rnd);
            it.seek(target);
            return pickLive(it, prefix, target, RANDOM_PICK_WINDOW, now, rnd);
        }
    }

    /** From the iterator's position, up to window live keys (wrapping around once); one of them at random. */
    private byte[] pickLive(TxnIterator it, byte[] prefix, byte[] target, int window, long now, ThreadLocalRandom rnd) {
        List<byte[]> found = new ArrayList<>();
        boolean wrapped = false;
        while (found.size() < window) {
            if (!it.isValid() || !Bytes.startsWith(it.key(), prefix)) {
                if (wrapped) {
                    break;
                }
                wrapped = true;
                it.seek(prefix);
                continue;
            }
            byte[] mk = it.key();
            if (wrapped && Bytes.compare(mk, target) >= 0) {
                break;
            }
            Metadata m = decodeOrNull(it.value());
            if (m != null && !m.isDead(now)) {
                found.add(codec.userKeyOf(mk));
            }
            it.next();
        }
        return found.isEmpty() ? null : found.get(rnd.nextInt(found.size()));
    }

    private static byte[] lastWithPrefix(TxnIterator it, byte[] prefix) {
        byte[] end = Bytes.prefixEnd(prefix);
        if (end == null) {
            it.seekToLast();
        } else {
            it.seekForPrev(end);
            if (it.isValid() && Arrays.equals(it.key(), end)) {
                it.prev();
            }
        }
        return it.isValid() && Bytes.startsWith(it.key(), prefix) ? it.key() : prefix;
    }

    private static final int RANDOM_DESCENT_DEPTH = 24;

    /**
     * A random walk down the byte trie of the keys under prefix: at each depth, a byte drawn between the
     * smallest and the largest next byte present, moved up to the next byte that really is present. A
     * key that ends at the current depth is one more choice. Returns where to seek.
     */
    private static byte[] randomDescent(TxnIterator it, byte[] prefix, ThreadLocalRandom rnd) {
        byte[] p = prefix;
        for (int depth = 0; depth < RANDOM_DESCENT_DEPTH; depth++) {
            it.seek(p);
            if (!it.isValid() || !Bytes.startsWith(it.key(), p)) {
                return p;
            }
            boolean endsHere = it.key().length == p.length;
            if (endsHere) {
                it.next();
                if (!it.isValid() || !Bytes.startsWith(it.key(), p)) {
                    return p;
                }
            }
            int min = it.key()[p.length] & 0xff;
            int max = lastWithPrefix(it, p)[p.length] & 0xff;
            int span = max - min + 1;
            if (endsHere && rnd.nextInt(span + 1) == 0) {
                return p;
            }
            byte[] probe = Arrays.copyOf(p, p.length + 1);
            probe[p.length] = (byte) (min + rnd.nextInt(span));
            it.seek(probe);
            p = Arrays.copyOf(it.key(), p.length + 1);
        }
        return p;
    }

    /** The metadata-key prefix every match of the glob starts with: the namespace plus its literal head. */
    private byte[] searchPrefix(byte[] glob) {
        byte[] ns = codec.metadataPrefix();
        if (glob == null) {
            return ns;
        }
        int literal = 0;
        while (literal < glob.length && !isGlobSpecial(glob[literal])) {
            literal++;
        }
        byte[] out = Arrays.copyOf(ns, ns.length + literal);
        System.arraycopy(glob, 0, out, ns.length, literal);
        return out;
    }

    private static boolean isGlobSpecial(byte b) {
        return b == '*' || b == '?' || b == '[' || b == '\\';
    }

    private static boolean isMatchAll(byte[] pattern) {
        for (byte b : pattern) {
            if (b != '*') {
                return false;
            }
        }
        return pattern.length > 0;
    }

    /** Metadata that does not decode (a type this version does not know) is skipped by scans, not fatal. */
    private static Metadata decodeOrNull(byte[] raw) {
        try {
            return Metadata.decode(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- FLUSHDB / FLUSHALL -------------------------------------------------------------------

    /**
     * FLUSHDB: empties this namespace at commit. Of the watched keys, those that exist are touched first,
     * so their watchers see the change (Redis leaves watchers of absent keys alone).
     */
    public void wipe(List<byte[]> watchedKeys) throws StorageException {
        for (byte[] k : watchedKeys) {
            if (exists(k)) {
                txn.touch(k);
            }
        }
        txn.wipeNamespace();
    }

    /**
     * FLUSHALL: empties every namespace at commit, in this one Txn. Watched keys are given as metadata
     * keys (they name their namespace); those that exist are touched, as {@link #wipe} does.
     */
    public void wipeEveryNamespace(List<byte[]> watchedMetadataKeys) throws StorageException {
        for (byte[] mk : watchedMetadataKeys) {
            byte[] raw = txn.get(ColumnFamily.METADATA, mk);
            if (raw != null && !Metadata.decode(raw).isDead(txn.nowMs())) {
                txn.touchMetadataKey(mk);
            }
        }
        txn.wipeEveryNamespace();
    }

    // ---- the expiry sweep ---------------------------------------------------------------------

    /** A key past its expiry, in some namespace. */
    public record ExpiredKey(String namespace, byte[] key) {
    }

    /**
     * One bounded step of the expiry sweep over every namespace: the expired keys among at most limit
     * metadata entries after {@code after} (a raw metadata key, null = from the start), and the raw key
     * to continue after (null once the end is reached). Reads only; the caller deletes each key under
     * its lock with {@link #deleteIfExpired}.
     */
    public record SweepChunk(List<ExpiredKey> expired, byte[] resumeAfter, int examined) {
    }

    public static SweepChunk findExpired(Storage storage, byte[] after, int limit) {
        List<ExpiredKey> expired = new ArrayList<>();
        int examined = 0;
        byte[] last = null;
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE); TxnIterator it = t.iterator(ColumnFamily.METADATA)) {
            long now = t.nowMs();
            if (after == null) {
                it.seekToFirst();
            } else {
                it.seek(successor(after));
            }
            for (; it.isValid() && examined < limit; it.next()) {
                byte[] mk = it.key();
                examined++;
                last = mk;
                Metadata m = decodeOrNull(it.value());
                int len = mk[0] & 0xff;
                if (m != null && expired(m, now) && mk.length >= 1 + len) {
                    expired.add(new ExpiredKey(new String(mk, 1, len, StandardCharsets.UTF_8),
                            Arrays.copyOfRange(mk, 1 + len, mk.length)));
                }
            }
            return new SweepChunk(expired, it.isValid() ? last : null, examined);
        }
    }

    // ---- OBJECT -------------------------------------------------------------------------------

    /** Redis 7.0's defaults for the compact encodings. */
    private static final int HASH_LISTPACK_ENTRIES = 512;
    private static final int HASH_LISTPACK_VALUE = 64;
    private static final int SET_INTSET_ENTRIES = 512;
    private static final int ZSET_LISTPACK_ENTRIES = 128;
    private static final int ZSET_LISTPACK_VALUE = 64;
    private static final int EMBSTR_LIMIT = 44;
    private static final long SHARED_INTEGERS = 10_000;

    /**
     * OBJECT ENCODING: what Redis 7.0 would use for this value with its default thresholds, or null when
     * the key does not exist.
     */
    public String objectEncoding(byte[] key) throws StorageException {
        Metadata m = metadata(key);
        if (m == null) {
            return null;
        }
        return switch (m.type()) {
            case STRING -> stringEncoding(m.payload());
            case LIST -> "quicklist";
            case HASH -> m.size() <= HASH_LISTPACK_ENTRIES && subkeysFit(key, m, HASH_LISTPACK_VALUE, true)
                    ? "listpack" : "hashtable";
            case SET -> m.size() <= SET_INTSET_ENTRIES && membersAreIntegers(key, m) ? "intset" : "hashtable";
            case ZSET -> m.size() <= ZSET_LISTPACK_ENTRIES && subkeysFit(key, m, ZSET_LISTPACK_VALUE, false)
                    ? "listpack" : "skiplist";
            case STREAM -> "stream";
            default -> "raw";
        };
    }

    /** Redis's string encodings: "int" for a canonical 64-bit integer, "embstr" up to 44 bytes, else "raw". */
    public static String stringEncoding(byte[] v) {
        if (v.length <= 20 && RedisNumbers.isLong(v)) {
            return "int";
        }
        return v.length <= EMBSTR_LIMIT ? "embstr" : "raw";
    }

    /**
     * OBJECT REFCOUNT: Redis shares the objects of small integers (0 to 9999) and reports INT_MAX for
     * them; every other value has one reference. Null when the key does not exist.
     */
    public Long objectRefcount(byte[] key) throws StorageException {
        Metadata m = metadata(key);
        if (m == null) {
            return null;
        }
        if (m.type() == RedisType.STRING && "int".equals(stringEncoding(m.payload()))) {
            long v = Long.parseLong(new String(m.payload(), StandardCharsets.US_ASCII));
            if (v >= 0 && v < SHARED_INTEGERS) {
                return (long) Integer.MAX_VALUE;
            }
        }
        return 1L;
    }

    /** True when every subkey (hash field, zset member) and, for hashes, every value is at most max bytes. */
    private boolean subkeysFit(byte[] key, Metadata m, int max, boolean checkValues) {
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                if (it.key().length - prefix.length > max || checkValues && it.value().length > max) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean membersAreIntegers(byte[] key, Metadata m) {
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                if (!RedisNumbers.isLong(KeyCodec.subkeyOf(it.key(), prefix.length))) {
                    return false;
                }
            }
        }
        return true;
    }


    /**
     * Positions it at the first subkey of one collection version that comes after {@code after} (an
     * element's subkey bytes), or at the version's first subkey when after is null: where a scan resumes.
     */
    public void seekSubkeysAfter(TxnIterator it, byte[] key, long version, byte[] after) {
        if (after == null) {
            it.seek(codec.subkeyPrefix(key, version));
            return;
        }
        byte[] from = codec.subkey(key, version, after);
        it.seek(from);
        if (it.isValid() && Arrays.equals(it.key(), from)) {
            it.next();
        }
    }

    /**
     * Redis's index range rules (LRANGE, ZRANGE, LTRIM...): negative indexes count from the end, start
     * is clamped to 0 and stop to size - 1. Returns {start, stop}, or null when the range is empty.
     */
    public static long[] clampRange(long size, long start, long stop) {
        if (start < 0) {
            start = size + start;
        }
        if (stop < 0) {
            stop = size + stop;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > stop || start >= size) {
            return null;
        }
        if (stop >= size) {
            stop = size - 1;
        }
        return new long[] {start, stop};
    }

    /**
     * Records that a collection lost {@code removed} elements: its new size, or the key deleted (with its
     * subkeys) when none is left. Nothing changes when removed is 0.
     */
    public void shrink(byte[] key, Metadata m, long removed) throws StorageException {
        if (removed == 0) {
            return;
        }
        long left = m.size() - removed;
        if (left <= 0) {
            delete(key);
        } else {
            m.setSize(left);
            putMetadata(key, m);
        }
    }
}
