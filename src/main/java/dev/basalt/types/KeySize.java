package dev.basalt.types;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.Bytes;
import java.util.List;

/**
 * Kvrocks's DISK USAGE (and MEMORY USAGE, its alias): RocksDB's estimate of the bytes a key takes in SST
 * files and memtables, over its metadata entry and the subkeys of its current version in every family
 * that may hold them. An estimate: small keys still in a memtable, or sharing a data block, may count as 0.
 */
public final class KeySize {
    private static final List<ColumnFamily> SUBKEY_FAMILIES = List.of(ColumnFamily.DEFAULT, ColumnFamily.ZSET_SCORE,
            ColumnFamily.STREAM);

    private KeySize() {
    }

    /** The key's estimated size in bytes, or -1 when it does not exist. */
    public static long approximate(Txn txn, byte[] key) throws StorageException {
        Metadata m = new Keyspace(txn).metadata(key);
        if (m == null) {
            return -1;
        }
        Storage storage = txn.storage();
        KeyCodec codec = txn.codec();
        byte[] mk = codec.metadataKey(key);
        long size = storage.approximateSize(ColumnFamily.METADATA, mk, Bytes.successor(mk));
        if (m instanceof VersionedMetadata v) {
            byte[] begin = codec.subkeyPrefix(key, v.version());
            byte[] end = codec.subkeyPrefix(key, v.version() + 1);
            for (ColumnFamily cf : SUBKEY_FAMILIES) {
                size += storage.approximateSize(cf, begin, end);
            }
        }
        return size;
    }
}
