package dev.basalt.storage;

import dev.basalt.util.Bytes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The writes of one command, or of one whole MULTI/EXEC: a {@link WriteBatchWithIndex} whose reads
 * see its own writes on top of the database. Nothing reaches RocksDB until {@link Storage#commit}.
 * Range deletes (reclaiming a dropped collection's subkeys) cannot live in an indexed batch; they are
 * kept aside and appended at commit, which is safe because no later read looks at a dropped version.
 */
public final class Txn implements AutoCloseable {
    private record RangeDelete(ColumnFamily cf, byte[] begin, byte[] end) {
    }

    private record Savepoint(int ranges, int touched, boolean batchMarked) {
    }

    private final Storage storage;
    private final KeyCodec codec;
    private final long nowMs;
    private WriteBatchWithIndex batch;
    private final List<RangeDelete> ranges = new ArrayList<>();
    private final List<byte[]> touched = new ArrayList<>();
    private final Deque<Savepoint> savepoints = new ArrayDeque<>();
    /** Set by FLUSHDB/FLUSHALL: the database below the batch counts as empty. */
    private boolean wiped;
    /** Set by FLUSHALL: the wipe at commit covers every namespace, not only this Txn's. */
    private boolean wipeEveryNamespace;
    private boolean anyWrite;
    private StorageException failure;

    Txn(Storage storage, KeyCodec codec) {
        this.storage = storage;
        this.codec = codec;
        this.nowMs = System.currentTimeMillis();
    }

    public KeyCodec codec() {
        return codec;
    }

    /** The time every expiry check of this command or transaction uses, as Redis caches it per command. */
    public long nowMs() {
        return nowMs;
    }

    public Storage storage() {
        return storage;
    }

    public byte[] get(ColumnFamily cf, byte[] key) throws StorageException {
        try {
            ReadOptions ro = storage.readOptions();
            if (batch == null) {
                return wiped ? null : storage.db().get(storage.handle(cf), ro, key);
            }
            if (wiped) {
                return batch.getFromBatch(storage.handle(cf), storage.dbOptions(), key);
            }
            return batch.getFromBatchAndDB(storage.db(), storage.handle(cf), ro, key);
        } catch (RocksDBException e) {
            throw StorageException.of(e);
        }
    }

    public void put(ColumnFamily cf, byte[] key, byte[] value) throws StorageException {
        try {
            batch().put(storage.handle(cf), key, value);
            anyWrite = true;
        } catch (RocksDBException e) {
            throw fail(e);
        }
    }

    public void delete(ColumnFamily cf, byte[] key) throws StorageException {
        try {
            batch().delete(storage.handle(cf), key);
            anyWrite = true;
        } catch (RocksDBException e) {
            throw fail(e);
        }
    }

    /**
     * Appends a log-data blob to the batch, in order with the writes around it (Kvrocks's
     * WriteBatchLogData goes before the writes it describes); a rollback to a savepoint drops it too.
     */
    public void putLogData(byte[] data) throws StorageException {
        try {
            batch().putLogData(data);
        } catch (RocksDBException e) {
            throw fail(e);
        }
    }

    /** Deletes [begin, end) at commit time; reads in this Txn do not see it (see class comment). */
    public void deleteRangeAtCommit(ColumnFamily cf, byte[] begin, byte[] end) {
        ranges.add(new RangeDelete(cf, begin, end));
        anyWrite = true;
    }

    /**
     * An iterator over cf that sees this Txn's writes. The caller closes it, before the Txn. Subkey
     * scans should seek to a prefix and stop at the first key without it.
     */
    public RocksIterator iterator(ColumnFamily cf) {
        RocksIterator base = wiped ? storage.emptyIterator(cf) : storage.db().newIterator(storage.handle(cf), storage.readOptions());
        if (batch == null) {
            return base;
        }
        return batch.newIteratorWithBase(storage.handle(cf), base);
    }

    /** Records that a user key was written, for WATCH and for waking blocked clients after commit. */
    public void touch(byte[] userKey) {
        touched.add(codec.metadataKey(userKey));
    }

    /** Records a write to a key of any namespace, given as its metadata key (FLUSHALL touches every namespace). */
    public void touchMetadataKey(byte[] metadataKey) {
        touched.add(metadataKey);
    }

    /** The keys written, as metadata keys ({@code [ns_len][ns][user key]}), so they name their namespace. */
    public List<byte[]> touchedKeys() {
        return touched;
    }

    /**
     * Empties this namespace (FLUSHDB/FLUSHALL): earlier writes of this Txn are dropped, later reads
     * see an empty database, and at commit range deletes over the namespace precede later writes.
     */
    public void wipeNamespace() {
        if (batch != null) {
            batch.clear();
        }
        ranges.clear();
        // The cleared batch has no savepoints left; the command doing the wipe still pops its own.
        int open = savepoints.size();
        savepoints.clear();
        for (int i = 0; i < open; i++) {
            savepoints.push(new Savepoint(0, touched.size(), false));
        }
        wiped = true;
        anyWrite = true;
    }

    /** FLUSHALL: like {@link #wipeNamespace()}, and the commit empties every other namespace too. */
    public void wipeEveryNamespace() {
        wipeNamespace();
        wipeEveryNamespace = true;
    }

    public boolean wiped() {
        return wiped;
    }

    public boolean hasWrites() {
        return anyWrite;
    }

    /** A point to roll back to if the next command fails half-way. */
    public void savepoint() {
        boolean marked = batch != null;
        if (marked) {
            batch.setSavePoint();
        }
        savepoints.push(new Savepoint(ranges.size(), touched.size(), marked));
    }

    /** Undoes every write since the matching {@link #savepoint()}. */
    public void rollbackToSavepoint() throws StorageException {
        Savepoint sp = savepoints.pop();
        try {
            if (sp.batchMarked()) {
                batch.rollbackToSavePoint();
            } else if (batch != null) {
                batch.clear();
            }
        } catch (RocksDBException e) {
            throw fail(e);
        }
        ranges.subList(sp.ranges(), ranges.size()).clear();
        touched.subList(sp.touched(), touched.size()).clear();
        anyWrite = wiped || !ranges.isEmpty() || (batch != null && batch.count() > 0);
    }

    /** Keeps the writes since the matching {@link #savepoint()}. */
    public void releaseSavepoint() throws StorageException {
        Savepoint sp = savepoints.pop();
        if (sp.batchMarked()) {
            try {
                batch.popSavePoint();
            } catch (RocksDBException e) {
                throw fail(e);
            }
        }
    }

    /** A storage failure while building the batch (e.g. write_batch_max_bytes): the Txn cannot commit. */
    public StorageException failure() {
        return failure;
    }

    /** The batch that goes to RocksDB: wipe ranges, then the indexed writes, then reclaimed ranges. */
    WriteBatch toWriteBatch() throws RocksDBException {
        WriteBatch out = new WriteBatch();
        if (wiped) {
            // Every namespaced key starts [ns_len][ns]; UTF-8 names never hold 0xFF, so [0xFF 0xFF] ends them all.
            byte[] begin = wipeEveryNamespace ? new byte[0] : codec.metadataPrefix();
            byte[] end = wipeEveryNamespace ? new byte[] {(byte) 0xff, (byte) 0xff} : Bytes.prefixEnd(begin);
            for (ColumnFamily cf : ColumnFamily.NAMESPACED) {
                out.deleteRange(storage.handle(cf), begin, end);
            }
        }
        byte[] merged = out.data();
        out.close();
        if (batch != null && batch.count() > 0) {
            merged = WriteCommitter.concat(List.of(merged, batch.getWriteBatch().data()));
        }
        WriteBatch result = new WriteBatch(merged);
        for (RangeDelete r : ranges) {
            result.deleteRange(storage.handle(r.cf()), r.begin(), r.end());
        }
        return result;
    }

    /** True when the indexed batch alone is what to write (the common case, no copy needed). */
    boolean plainBatch() {
        return !wiped && ranges.isEmpty();
    }

    WriteBatchWithIndex indexedBatch() {
        return batch;
    }

    private WriteBatchWithIndex batch() {
        if (batch == null) {
            batch = new WriteBatchWithIndex(true);
            long max = storage.writeBatchMaxBytes();
            if (max > 0) {
                batch.setMaxBytes(max);
            }
            // Savepoints taken before the batch existed roll back to "empty", handled in rollbackToSavepoint.
        }
        return batch;
    }

    private StorageException fail(RocksDBException e) {
        StorageException se = StorageException.of(e);
        if (failure == null) {
            failure = se;
        }
        return se;
    }

    @Override
    public void close() {
        if (batch != null) {
            batch.close();
            batch = null;
        }
    }
}
