package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.Bytes;
import java.util.List;

/**
 * Keys and their metadata, whatever their type: lookup with lazy expiry, type checks, writing and
 * deleting a key (reclaiming a collection's subkeys), expiry changes, and emptying a namespace.
 * Iteration is {@link KeyScan}'s, rename and copy {@link KeyCopy}'s, OBJECT {@link ObjectInfo}'s.
 */
public final class Keyspace {
    private final Txn txn;
    private final KeyCodec codec;

    public Keyspace(Txn txn) {
        this.txn = txn;
        this.codec = txn.codec();
    }

    /** The key's metadata if it exists and is alive (not expired, not an empty collection), else null. */
    public Metadata metadata(byte[] key) throws StorageException {
        Metadata m = storedMetadata(key);
        if (m == null) {
            return null;
        }
        if (m.isDead(txn.nowMs())) {
            noteIfExpired(key, m);
            return null;
        }
        return m;
    }

    /** An expired key a write may now remove: its commit then says "expired" (once). */
    private void noteIfExpired(byte[] key, Metadata m) {
        if (m.isExpired(txn.nowMs())) {
            txn.noteExpired(codec.metadataKey(key));
        }
    }

    /** The key's live metadata, or null if absent; WRONGTYPE if it holds another type. */
    public <M extends Metadata> M metadata(byte[] key, DataType<M> expected) throws StorageException, ErrorReply {
        Metadata m = metadata(key);
        if (m == null) {
            return null;
        }
        if (m.type() != expected) {
            throw ErrorReply.wrongType();
        }
        return expected.metadataClass().cast(m);
    }

    /** The key's metadata as stored, alive or not; null when there is none. */
    private Metadata storedMetadata(byte[] key) throws StorageException {
        byte[] raw = txn.get(ColumnFamily.METADATA, codec.metadataKey(key));
        return raw == null ? null : Metadata.decode(raw);
    }

    /** The live key's type, null when it does not exist. */
    public DataType<?> type(byte[] key) throws StorageException {
        Metadata m = metadata(key);
        return m == null ? null : m.type();
    }

    /** What TYPE answers: the type's name, "none" for a missing key. */
    public String typeName(byte[] key) throws StorageException {
        DataType<?> t = type(key);
        return t == null ? "none" : t.name();
    }

    public boolean exists(byte[] key) throws StorageException {
        return metadata(key) != null;
    }

    /**
     * Puts Kvrocks's log data for the writes that follow into the batch (see {@link BatchLogData}):
     * every write operation does, once, before its first write.
     */
    void log(int typeCode, byte[]... args) throws StorageException {
        txn.putLogData(BatchLogData.encode(typeCode, args));
    }

    /** DEL and UNLINK: deletes each key that exists; returns how many were alive. */
    public long deleteKeys(List<byte[]> keys) throws StorageException {
        log(BatchLogData.NO_TYPE);
        long deleted = 0;
        for (byte[] key : keys) {
            if (delete(key)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Writes a key's metadata (for strings, the whole value). */
    public void putMetadata(byte[] key, Metadata m) throws StorageException {
        byte[] mk = codec.metadataKey(key);
        txn.put(ColumnFamily.METADATA, mk, m.encode());
        txn.touchMetadataKey(mk);
    }

    /**
     * Writes a key's metadata without counting the key as written (for WATCH and blocked clients):
     * for the changes Redis does not signal, such as a stream's consumer-group bookkeeping or XSETID.
     */
    void putMetadataUnsignalled(byte[] key, Metadata m) throws StorageException {
        txn.put(ColumnFamily.METADATA, codec.metadataKey(key), m.encode());
    }

    /**
     * Deletes the key whatever its state: the metadata entry, and for a collection its subkeys (also
     * when the key is already expired, so nothing is left behind). Returns true if it was alive.
     */
    public boolean delete(byte[] key) throws StorageException {
        Metadata m = storedMetadata(key);
        if (m == null) {
            return false;
        }
        byte[] mk = codec.metadataKey(key);
        txn.delete(ColumnFamily.METADATA, mk);
        reclaimSubkeys(key, m);
        txn.touchMetadataKey(mk);
        noteIfExpired(key, m);
        return !m.isDead(txn.nowMs());
    }

    /** Drops every subkey of one version of a collection, in the same commit. */
    void reclaimSubkeys(byte[] key, Metadata m) {
        if (!(m instanceof VersionedMetadata v)) {
            return;
        }
        byte[] prefix = codec.subkeyPrefix(key, v.version());
        byte[] end = Bytes.prefixEnd(prefix);
        for (ColumnFamily cf : m.type().subkeyFamilies()) {
            txn.deleteRangeAtCommit(cf, prefix, end);
        }
    }

    /**
     * Before a key is overwritten by a new value of any type: reclaims the old collection's subkeys
     * (alive or expired) so that replacing a key leaves nothing behind.
     */
    public void prepareOverwrite(byte[] key) throws StorageException {
        Metadata m = storedMetadata(key);
        if (m != null) {
            reclaimSubkeys(key, m);
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
        log(BatchLogData.NO_TYPE, BatchLogData.Command.EXPIRE.arg());
        if (whenMs <= nowMs()) {
            delete(key);
            return true;
        }
        putMetadata(key, m.withExpireAtMs(whenMs));
        return true;
    }

    /** Removes the live key's expiry; false when it does not exist or has none. */
    public boolean persist(byte[] key) throws StorageException {
        Metadata m = metadata(key);
        if (m == null || !m.hasExpiry()) {
            return false;
        }
        log(BatchLogData.NO_TYPE, BatchLogData.Command.EXPIRE.arg());
        putMetadata(key, m.withExpireAtMs(0));
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
        Metadata m = storedMetadata(key);
        if (m == null || !m.isExpired(nowMs())) {
            return false;
        }
        log(BatchLogData.NO_TYPE);
        delete(key);
        return true;
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
}
