package dev.basalt.types;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.util.Bytes;
import dev.basalt.util.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Walks the metadata keys of one namespace: SCAN, KEYS, RANDOMKEY and INFO keyspace. */
public final class KeyScan {
    private final Txn txn;
    private final KeyCodec codec;

    public KeyScan(Txn txn) {
        this.txn = txn;
        this.codec = txn.codec();
    }

    /**
     * Looks at the keys after {@code after} (null = from the start) in key order and returns the live
     * ones that match pattern (null = all) and have type typeName (TYPE's answer, null = any). Stops
     * once count keys were found or 10 * count entries examined (bounded work, like Redis's SCAN).
     */
    public ScanPage<byte[]> scan(byte[] after, long count, byte[] pattern, String typeName) {
        byte[] glob = pattern == null || isMatchAll(pattern) ? null : pattern;
        byte[] prefix = searchPrefix(glob);
        byte[] start = prefix;
        if (after != null) {
            byte[] resume = Bytes.successor(codec.metadataKey(after));
            if (Bytes.compare(resume, start) > 0) {
                start = resume;
            }
        }
        long budget = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
        long examined = 0;
        long now = txn.nowMs();
        List<byte[]> found = new ArrayList<>();
        byte[] last = null;
        try (TxnIterator it = txn.iterator(ColumnFamily.METADATA)) {
            for (it.seek(start); it.isValid(); it.next()) {
                byte[] mk = it.key();
                if (!Bytes.startsWith(mk, prefix)) {
                    break;
                }
                if (found.size() >= count || examined >= budget) {
                    return new ScanPage<>(found, last);
                }
                byte[] key = codec.userKeyOf(mk);
                examined++;
                last = key;
                Metadata m = Metadata.decodeOrNull(it.value());
                if (m != null && !m.isDead(now) && (glob == null || Glob.matches(glob, key, false))
                        && (typeName == null || m.type().name().equalsIgnoreCase(typeName))) {
                    found.add(key);
                }
            }
        }
        return new ScanPage<>(found, null);
    }

    /** KEYS: every live key matching the glob pattern, in key order. */
    public List<byte[]> keys(byte[] pattern) throws StorageException {
        if (Glob.isLiteral(pattern)) {
            return new Keyspace(txn).exists(pattern) ? List.of(pattern) : List.of();
        }
        return scan(null, Long.MAX_VALUE, pattern, null).elements();
    }

    /**
     * What INFO keyspace reports for this namespace: live keys, those with an expiry, their mean TTL in ms,
     * and the keys whose metadata is still stored though they have expired (or emptied).
     */
    public record KeyspaceStats(long keys, long expires, long avgTtlMs, long expired) {
    }

    public KeyspaceStats stats() {
        byte[] prefix = codec.metadataPrefix();
        long now = txn.nowMs();
        long keys = 0;
        long expires = 0;
        long expired = 0;
        double ttlSum = 0;
        try (TxnIterator it = txn.iterator(ColumnFamily.METADATA)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                Metadata m = Metadata.decodeOrNull(it.value());
                if (m == null) {
                    continue;
                }
                if (m.isDead(now)) {
                    expired++;
                    continue;
                }
                keys++;
                if (m.hasExpiry()) {
                    expires++;
                    ttlSum += Math.max(0, m.expireAtMs() - now);
                }
            }
        }
        return new KeyspaceStats(keys, expires, expires == 0 ? 0 : Math.round(ttlSum / expires), expired);
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
        long now = txn.nowMs();
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
            Metadata m = Metadata.decodeOrNull(it.value());
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
}
