package dev.basalt.types;

import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.RedisNumbers;

/** OBJECT ENCODING and OBJECT REFCOUNT: what Redis 7.0 would answer for a key's value. */
public final class ObjectInfo {
    /** Redis shares the objects of the integers below this and reports INT_MAX references for them. */
    private static final long SHARED_INTEGERS = 10_000;

    private final Txn txn;
    private final Keyspace keyspace;

    public ObjectInfo(Txn txn) {
        this.txn = txn;
        this.keyspace = new Keyspace(txn);
    }

    /** The encoding the value's type reports (see {@link DataType#objectEncoding}), or null when the key does not exist. */
    public String objectEncoding(byte[] key) throws StorageException {
        Metadata m = keyspace.metadata(key);
        return m == null ? null : m.type().objectEncoding(txn, key, m);
    }

    /**
     * OBJECT REFCOUNT: Redis shares the objects of small integers (0 to 9999) and reports INT_MAX for
     * them; every other value has one reference. Null when the key does not exist.
     */
    public Long objectRefcount(byte[] key) throws StorageException {
        Metadata m = keyspace.metadata(key);
        if (m == null) {
            return null;
        }
        if (m instanceof StringMetadata s && "int".equals(StringType.encodingOf(s.value()))) {
            long v = RedisNumbers.parseLong(s.value());
            if (v >= 0 && v < SHARED_INTEGERS) {
                return (long) Integer.MAX_VALUE;
            }
        }
        return 1L;
    }
}
