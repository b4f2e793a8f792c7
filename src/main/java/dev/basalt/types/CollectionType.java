package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
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
import java.util.function.BiPredicate;

/**
 * What the collection types share over their subkeys in the default column family: looking up a value
 * with its type checked, creating one, shrinking it (the key goes with its last element), walking and
 * scanning its subkeys.
 */
public abstract class CollectionType<M extends VersionedMetadata> {
    protected final Txn txn;
    protected final KeyCodec codec;
    protected final Keyspace keyspace;
    private final DataType<M> type;

    protected CollectionType(Txn txn, DataType<M> type) {
        this.txn = txn;
        this.codec = txn.codec();
        this.keyspace = new Keyspace(txn);
        this.type = type;
    }

    /** A value of this type with no elements yet, under a new version. */
    protected abstract M empty(long version);

    /** The live value's metadata, null when the key does not exist; WRONGTYPE for another type. */
    public M metadata(byte[] key) throws StorageException, ErrorReply {
        return keyspace.metadata(key, type);
    }

    /** True when the key holds a live value of this type (no WRONGTYPE for other types). */
    public boolean holds(byte[] key) throws StorageException {
        return keyspace.type(key) == type;
    }

    /** Kvrocks's log data for this type's writes that follow, with the arguments given (see {@link BatchLogData}). */
    protected void log(byte[]... args) throws StorageException {
        keyspace.log(type.code(), args);
    }

    /** Metadata for a new value at key; whatever dead value the key still holds goes with its subkeys. */
    protected M create(byte[] key) throws StorageException {
        keyspace.prepareOverwrite(key);
        return empty(txn.storage().nextVersion());
    }

    /**
     * Records that the value lost {@code removed} elements: its new size, or the key deleted (with its
     * subkeys) when none is left. Nothing changes when removed is 0.
     */
    protected void shrink(byte[] key, M m, long removed) throws StorageException {
        if (removed == 0) {
            return;
        }
        long left = m.size() - removed;
        if (left <= 0) {
            keyspace.delete(key);
        } else {
            keyspace.putMetadata(key, m.withSize(left));
        }
    }

    /**
     * Positions it at the first subkey of one version that comes after {@code after} (an element's
     * subkey bytes), or at the version's first subkey when after is null: where a walk resumes.
     */
    protected void seekAfter(TxnIterator it, byte[] key, long version, byte[] after) {
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

    /** Turns one subkey and its value into what a scan returns. */
    @FunctionalInterface
    protected interface ElementReader<E> {
        E read(byte[] subkey, byte[] value);
    }

    /**
     * One HSCAN/SSCAN/ZSCAN step: looks at up to count subkeys in byte order after {@code after} (null =
     * from the first) and keeps those matching pattern (null = all). Resumes after the last one looked
     * at, or null when nothing of the value is left. A missing key gives an empty, complete page.
     */
    protected <E> ScanPage<E> scanPage(byte[] key, byte[] after, long count, byte[] pattern, ElementReader<E> element)
            throws StorageException, ErrorReply {
        M m = metadata(key);
        List<E> out = new ArrayList<>();
        if (m == null) {
            return new ScanPage<>(out, null);
        }
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        byte[] last = null;
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            seekAfter(it, key, m.version(), after);
            for (long seen = 0; seen < count && it.isValid() && Bytes.startsWith(it.key(), prefix); it.next(), seen++) {
                byte[] subkey = KeyCodec.subkeyOf(it.key(), prefix.length);
                last = subkey;
                if (pattern == null || Glob.matches(pattern, subkey, false)) {
                    out.add(element.read(subkey, it.value()));
                }
            }
            if (!it.isValid() || !Bytes.startsWith(it.key(), prefix)) {
                last = null;
            }
        }
        return new ScanPage<>(out, last);
    }

    /** True when test holds for every subkey and its value (OBJECT ENCODING's limits). */
    protected boolean everySubkey(byte[] key, M m, BiPredicate<byte[], byte[]> test) {
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                if (!test.test(KeyCodec.subkeyOf(it.key(), prefix.length), it.value())) {
                    return false;
                }
            }
        }
        return true;
    }
}
