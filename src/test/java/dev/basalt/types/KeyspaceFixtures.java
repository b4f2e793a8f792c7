package dev.basalt.types;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.util.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes keys of every type straight through the Kvrocks encoding (one commit each), for tests of the
 * generic key layer that cannot use the types' own commands; and reads what is left on disk.
 */
public final class KeyspaceFixtures {
    public static final String NS = KeyCodec.DEFAULT_NAMESPACE;

    private KeyspaceFixtures() {
    }

    /** One command's worth of work on a Txn. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Txn txn) throws Exception;
    }

    /** Runs work on a Txn of the default namespace and commits it, as the dispatcher does for one command. */
    public static <T> T commit(Storage s, Work<T> work) throws Exception {
        try (Txn txn = s.begin(NS)) {
            T r = work.run(txn);
            s.commit(txn);
            return r;
        }
    }

    public static void string(Storage s, String ns, String key, String value, long expireAtMs) throws StorageException {
        try (Txn t = s.begin(ns)) {
            new Keyspace(t).putMetadata(Bytes.of(key), new StringMetadata(expireAtMs, Bytes.of(value)));
            s.commit(t);
        }
    }

    /** A hash of field, value pairs; returns its version. */
    public static long hash(Storage s, String ns, String key, long expireAtMs, String... fieldValues) throws StorageException {
        List<byte[][]> subkeys = new ArrayList<>();
        for (int i = 0; i < fieldValues.length; i += 2) {
            subkeys.add(new byte[][] {Bytes.of(fieldValues[i]), Bytes.of(fieldValues[i + 1])});
        }
        return collection(s, ns, HashType.TYPE, key, expireAtMs, subkeys, List.of());
    }

    public static long set(Storage s, String ns, String key, long expireAtMs, String... members) throws StorageException {
        List<byte[][]> subkeys = new ArrayList<>();
        for (String m : members) {
            subkeys.add(new byte[][] {Bytes.of(m), new byte[0]});
        }
        return collection(s, ns, SetType.TYPE, key, expireAtMs, subkeys, List.of());
    }

    /** A zset of score, member pairs (scores as doubles): default CF member -> score, zset_score CF score+member. */
    public static long zset(Storage s, String ns, String key, long expireAtMs, Object... scoreMembers) throws StorageException {
        List<byte[][]> members = new ArrayList<>();
        List<byte[][]> scores = new ArrayList<>();
        for (int i = 0; i < scoreMembers.length; i += 2) {
            byte[] score = orderedDouble(((Number) scoreMembers[i]).doubleValue());
            byte[] member = Bytes.of((String) scoreMembers[i + 1]);
            members.add(new byte[][] {member, score});
            byte[] scoreKey = ByteBuffer.allocate(8 + member.length).put(score).put(member).array();
            scores.add(new byte[][] {scoreKey, new byte[0]});
        }
        return collection(s, ns, ZSetType.TYPE, key, expireAtMs, members, scores);
    }

    /** A list pushed from the right: items at head, head + 1, ... */
    public static long list(Storage s, String ns, String key, long expireAtMs, String... items) throws StorageException {
        List<byte[][]> subkeys = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            byte[] index = ByteBuffer.allocate(8).putLong(ListMetadata.INITIAL_INDEX + i).array();
            subkeys.add(new byte[][] {index, Bytes.of(items[i])});
        }
        return collection(s, ns, ListType.TYPE, key, expireAtMs, subkeys, List.of());
    }

    private static long collection(Storage s, String ns, DataType<?> type, String key, long expireAtMs,
            List<byte[][]> subkeys, List<byte[][]> scoreKeys) throws StorageException {
        byte[] k = Bytes.of(key);
        long version = s.nextVersion();
        try (Txn t = s.begin(ns)) {
            Keyspace ks = new Keyspace(t);
            ks.prepareOverwrite(k);
            VersionedMetadata m = type == ListType.TYPE
                    ? ListMetadata.empty(version).withEnds(ListMetadata.INITIAL_INDEX, ListMetadata.INITIAL_INDEX + subkeys.size())
                    : new CollectionMetadata(type, 0, version, subkeys.size());
            m = m.withExpireAtMs(expireAtMs);
            for (byte[][] kv : subkeys) {
                t.put(ColumnFamily.DEFAULT, t.codec().subkey(k, version, kv[0]), kv[1]);
            }
            for (byte[][] kv : scoreKeys) {
                t.put(ColumnFamily.ZSET_SCORE, t.codec().subkey(k, version, kv[0]), kv[1]);
            }
            ks.putMetadata(k, m);
            s.commit(t);
        }
        return version;
    }

    /** Kvrocks's order-preserving double. */
    public static byte[] orderedDouble(double d) {
        long bits = Double.doubleToLongBits(d);
        bits = bits < 0 ? ~bits : bits | Long.MIN_VALUE;
        return ByteBuffer.allocate(8).putLong(bits).array();
    }

    /** Every key in the column family, as committed. */
    public static List<byte[]> entries(Storage s, ColumnFamily cf) {
        List<byte[]> out = new ArrayList<>();
        try (Txn t = s.begin(NS); TxnIterator it = t.iterator(cf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(it.key());
            }
        }
        return out;
    }

    /** The subkeys (suffixes) of one version of a key, as committed; values in the same order via {@link #subkeyValues}. */
    public static List<String> subkeys(Storage s, String ns, ColumnFamily cf, String key, long version) {
        List<String> out = new ArrayList<>();
        for (byte[][] kv : subkeyEntries(s, ns, cf, key, version)) {
            out.add(Bytes.str(kv[0]));
        }
        return out;
    }

    public static List<byte[][]> subkeyEntries(Storage s, String ns, ColumnFamily cf, String key, long version) {
        List<byte[][]> out = new ArrayList<>();
        try (Txn t = s.begin(ns); TxnIterator it = t.iterator(cf)) {
            byte[] prefix = t.codec().subkeyPrefix(Bytes.of(key), version);
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                out.add(new byte[][] {KeyCodec.subkeyOf(it.key(), prefix.length), it.value()});
            }
        }
        return out;
    }

    /** The committed metadata of a key, expired or not, or null. */
    public static Metadata rawMetadata(Storage s, String ns, String key) throws StorageException {
        try (Txn t = s.begin(ns)) {
            byte[] raw = t.get(ColumnFamily.METADATA, t.codec().metadataKey(Bytes.of(key)));
            return raw == null ? null : Metadata.decode(raw);
        }
    }
}
