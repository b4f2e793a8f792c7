package dev.basalt.types;

import dev.basalt.command.CommandException;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Metadata;
import dev.basalt.storage.RedisType;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.Bytes;

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
    public Metadata metadata(byte[] key, RedisType expected) throws StorageException, CommandException {
        Metadata m = metadata(key);
        if (m != null && m.type() != expected) {
            throw CommandException.wrongType();
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
        txn.deleteRangeAtCommit(ColumnFamily.DEFAULT, prefix, end);
        if (m.type() == RedisType.ZSET) {
            txn.deleteRangeAtCommit(ColumnFamily.ZSET_SCORE, prefix, end);
        }
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
}
