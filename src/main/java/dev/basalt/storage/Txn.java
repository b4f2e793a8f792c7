package dev.basalt.storage;

import dev.basalt.util.ByteKey;
import dev.basalt.util.Bytes;
import dev.basalt.util.StepAside;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The reads and writes of one command, of a pipelined burst, or of one whole MULTI/EXEC.
 *
 * <p>Reads come from one RocksDB snapshot, taken at the first read, with the Txn's own writes on top
 * (a {@link WriteBatchWithIndex}), so a command that reads several keys never sees half of another
 * client's commit. A writer takes its key locks before its first read, so for the keys it writes the
 * snapshot is the latest state. Nothing reaches RocksDB until {@link Storage#commit}.
 *
 * <p>Range deletes (reclaiming a dropped collection's subkeys) cannot live in an indexed batch; they
 * are kept aside and appended at commit, which is safe because no later read looks at a dropped version.
 *
 * <p>A Txn also records which metadata keys it creates or removes, so that the server's key counts
 * (DBSIZE) stay exact at commit time without walking the keyspace. Txns are pooled by their Storage:
 * {@link #close()} hands this one back, so nothing may use it afterwards.
 */
public final class Txn implements AutoCloseable {
    private record RangeDelete(ColumnFamily cf, byte[] begin, byte[] end) {
    }

    private record Savepoint(int ranges, int touched, int metadataWrites, boolean batchMarked) {
    }

    /** A write to a metadata key: the key exists after it (put) or not (delete). */
    private record MetadataWrite(ByteKey key, boolean exists) {
    }

    /** Batches larger than this are dropped on close rather than kept for the next Txn. */
    private static final long RETAINED_BATCH_BYTES = 256 * 1024;

    private final Storage storage;
    private final ReadOptions readOptions = new ReadOptions();
    private KeyCodec codec;
    private long nowMs;
    private Snapshot snapshot;
    private WriteBatchWithIndex batch;
    private final List<RangeDelete> ranges = new ArrayList<>();
    private final List<byte[]> touched = new ArrayList<>();
    /** Metadata keys this Txn found past their expiry; those it also writes are removed by its commit. */
    private List<byte[]> expiredSeen = List.of();
    private final Deque<Savepoint> savepoints = new ArrayDeque<>();
    /** Whether each metadata key read or written existed in the database below this Txn. */
    private final Map<ByteKey, Boolean> existedBefore = new HashMap<>();
    private final List<MetadataWrite> metadataWrites = new ArrayList<>();
    /** Set by FLUSHDB/FLUSHALL: the database below the batch counts as empty. */
    private boolean wiped;
    /** Set by FLUSHALL: the wipe at commit covers every namespace, not only this Txn's. */
    private boolean wipeEveryNamespace;
    private boolean anyWrite;
    private StorageException failure;
    private boolean open;
    /** What a walk through this Txn does once it has run a slice (see {@link #onSliceEnd}). */
    private Runnable sliceEnd = StepAside::now;
    /** The write_batch_max_bytes the batch was last given (the directive can change at run time). */
    private long batchMaxBytes;
    /**
     * The metadata key last read or written and its value as this Txn sees it: commands often read a
     * key's metadata twice (a type check, then the overwrite that reclaims what it held).
     */
    private byte[] lastMetadataKey;
    private byte[] lastMetadataValue;
    /** About how many bytes the batch holds, to decide on close whether it is worth keeping. */
    private long batchBytes;

    Txn(Storage storage) {
        this.storage = storage;
    }

    /** Starts this (new or recycled) Txn in a namespace. */
    void open(KeyCodec codec) {
        this.codec = codec;
        this.nowMs = System.currentTimeMillis();
        this.open = true;
        this.sliceEnd = StepAside::now;
        if (batch != null && batchMaxBytes != storage.writeBatchMaxBytes()) {
            batchMaxBytes = storage.writeBatchMaxBytes();
            batch.setMaxBytes(batchMaxBytes);
        }
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

    /** Takes the snapshot every read of this Txn uses, on the first read. */
    private void ensureSnapshot() {
        if (snapshot == null) {
            snapshot = storage.db().getSnapshot();
            readOptions.setSnapshot(snapshot);
        }
    }

    public byte[] get(ColumnFamily cf, byte[] key) throws StorageException {
        if (!open) {
            throw new IllegalStateException("Txn used after close");
        }
        if (cf == ColumnFamily.METADATA && lastMetadataKey != null && Arrays.equals(key, lastMetadataKey)) {
            return lastMetadataValue;
        }
        ensureSnapshot();
        byte[] value;
        try {
            if (batch == null || batchBytes == 0) {
                value = wiped ? null : storage.db().get(storage.handle(cf), readOptions, key);
            } else if (wiped) {
                value = batch.getFromBatch(storage.handle(cf), storage.dbOptions(), key);
            } else {
                value = batch.getFromBatchAndDB(storage.db(), storage.handle(cf), readOptions, key);
            }
        } catch (RocksDBException e) {
            throw StorageException.of(e);
        }
        if (cf == ColumnFamily.METADATA) {
            // Unless this Txn wrote the key already (then it is known), what was read is the database's.
            existedBefore.putIfAbsent(new ByteKey(key), value != null);
            remember(key, value);
        }
        return value;
    }

    public void put(ColumnFamily cf, byte[] key, byte[] value) throws StorageException {
        if (cf == ColumnFamily.METADATA) {
            noteMetadataWrite(key, true);
            forget();
        }
        try {
            batch().put(storage.handle(cf), key, value);
            batchBytes += key.length + value.length;
            anyWrite = true;
        } catch (RocksDBException e) {
            throw fail(e);
        }
        if (cf == ColumnFamily.METADATA) {
            remember(key, value);
        }
    }

    public void delete(ColumnFamily cf, byte[] key) throws StorageException {
        if (cf == ColumnFamily.METADATA) {
            noteMetadataWrite(key, false);
            forget();
        }
        try {
            batch().delete(storage.handle(cf), key);
            batchBytes += key.length;
            anyWrite = true;
        } catch (RocksDBException e) {
            throw fail(e);
        }
        if (cf == ColumnFamily.METADATA) {
            remember(key, null);
        }
    }

    private void remember(byte[] metadataKey, byte[] value) {
        lastMetadataKey = metadataKey;
        lastMetadataValue = value;
    }

    private void forget() {
        lastMetadataKey = null;
        lastMetadataValue = null;
    }

    /** Deletes [begin, end) at commit time; reads in this Txn do not see it (see class comment). */
    public void deleteRangeAtCommit(ColumnFamily cf, byte[] begin, byte[] end) {
        ranges.add(new RangeDelete(cf, begin, end));
        anyWrite = true;
    }

    /** Kvrocks's per-operation record in the write batch (WriteBatchLogData); not a key, reads never see it. */
    public void putLogData(byte[] data) throws StorageException {
        try {
            batch().putLogData(data);
            batchBytes += data.length + 1;
        } catch (RocksDBException e) {
            throw fail(e);
        }
    }

    private void noteMetadataWrite(byte[] key, boolean exists) throws StorageException {
        ByteKey k = new ByteKey(key);
        if (!existedBefore.containsKey(k)) {
            boolean existed;
            if (wiped) {
                existed = false;
            } else {
                ensureSnapshot();
                try {
                    existed = storage.db().get(storage.handle(ColumnFamily.METADATA), readOptions, key) != null;
                } catch (RocksDBException e) {
                    throw fail(e);
                }
            }
            existedBefore.put(k, existed);
        }
        metadataWrites.add(new MetadataWrite(k, exists));
    }

    /**
     * How many keys this Txn's commit adds to its namespace (negative when it removes more), counting
     * every metadata entry, expired or not, as Redis's DBSIZE does. After a wipe it is the count itself.
     */
    long keyCountDelta() {
        int n = metadataWrites.size();
        if (n == 0) {
            return 0;
        }
        if (n == 1) {
            return change(metadataWrites.get(0));
        }
        // The last write of each key decides whether it exists after the commit.
        Set<ByteKey> seen = new HashSet<>(n * 2);
        long delta = 0;
        for (int i = n - 1; i >= 0; i--) {
            MetadataWrite w = metadataWrites.get(i);
            if (seen.add(w.key())) {
                delta += change(w);
            }
        }
        return delta;
    }

    /** +1 when a key that did not exist does after the write, -1 the other way round, else 0. */
    private long change(MetadataWrite last) {
        return (last.exists() ? 1 : 0) - (existedBefore.getOrDefault(last.key(), false) ? 1 : 0);
    }

    /**
     * An iterator over cf that sees this Txn's writes. The caller closes it, before the Txn. Subkey
     * scans should seek to a prefix and stop at the first key without it.
     */
    public TxnIterator iterator(ColumnFamily cf) {
        if (!open) {
            throw new IllegalStateException("Txn used after close");
        }
        ensureSnapshot();
        RocksIterator base = wiped ? storage.emptyIterator(cf) : storage.db().newIterator(storage.handle(cf), readOptions);
        if (batch == null || batchBytes == 0) {
            return new TxnIterator(this, base);
        }
        return new TxnIterator(this, batch.newIteratorWithBase(storage.handle(cf), base));
    }

    /**
     * An iterator that ends before upperBound (exclusive). Without writes of its own in this Txn, RocksDB
     * enforces the bound, so a walk need not read each key back through JNI to know where to stop.
     */
    public TxnIterator iterator(ColumnFamily cf, byte[] upperBound) {
        if (batch != null && batchBytes > 0 || wiped) {
            return new TxnIterator(iterator(cf), upperBound);
        }
        if (!open) {
            throw new IllegalStateException("Txn used after close");
        }
        ensureSnapshot();
        Slice bound = new Slice(upperBound);
        ReadOptions bounded = new ReadOptions().setSnapshot(snapshot).setIterateUpperBound(bound);
        return new TxnIterator(this, storage.db().newIterator(storage.handle(cf), bounded), bounded, bound);
    }

    /**
     * Sets what a walk does each time it has run a slice ({@link TxnIterator}); null restores the
     * default, stepping aside. The action may throw to end the walk, for one that should move elsewhere.
     */
    public void onSliceEnd(Runnable action) {
        this.sliceEnd = action == null ? StepAside::now : action;
    }

    void sliceEnded() {
        sliceEnd.run();
    }

    /** Records that a user key was written, for WATCH and for waking blocked clients after commit. */
    public void touch(byte[] userKey) {
        touched.add(codec.metadataKey(userKey));
    }

    /** Records a write to a key of any namespace, given as its metadata key (FLUSHALL touches every namespace). */
    public void touchMetadataKey(byte[] metadataKey) {
        touched.add(metadataKey);
    }

    /** Records that a key was found past its expiry (for the "expired" notification once a commit removes it). */
    public void noteExpired(byte[] metadataKey) {
        if (expiredSeen.isEmpty()) {
            expiredSeen = new ArrayList<>();
        }
        expiredSeen.add(metadataKey);
    }

    /** Metadata keys found expired; see {@link #noteExpired}. */
    public List<byte[]> expiredSeen() {
        return expiredSeen;
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
        forget();
        if (batch != null) {
            batch.clear();
        }
        ranges.clear();
        existedBefore.clear();
        metadataWrites.clear();
        // The cleared batch has no savepoints left; the command doing the wipe still pops its own.
        int open = savepoints.size();
        savepoints.clear();
        for (int i = 0; i < open; i++) {
            savepoints.push(new Savepoint(0, touched.size(), 0, false));
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

    boolean wipesEveryNamespace() {
        return wipeEveryNamespace;
    }

    public boolean hasWrites() {
        return anyWrite;
    }

    /** A point to roll back to if the next command fails half-way. */
    public void savepoint() {
        // An empty batch needs no mark: rolling back to it is clearing it (see rollbackToSavepoint).
        boolean marked = batch != null && batchBytes > 0;
        if (marked) {
            batch.setSavePoint();
        }
        savepoints.push(new Savepoint(ranges.size(), touched.size(), metadataWrites.size(), marked));
    }

    /** Undoes every write since the matching {@link #savepoint()}. */
    public void rollbackToSavepoint() throws StorageException {
        forget();
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
        metadataWrites.subList(sp.metadataWrites(), metadataWrites.size()).clear();
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
            merged = Batches.concat(List.of(merged, batch.getWriteBatch().data()));
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
            batchMaxBytes = storage.writeBatchMaxBytes();
            batch.setMaxBytes(batchMaxBytes);
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

    /** Ends this Txn: releases its snapshot and hands it back to the Storage's pool. Idempotent. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (snapshot != null) {
            readOptions.setSnapshot(null);
            storage.db().releaseSnapshot(snapshot);
            snapshot = null;
        }
        if (batch != null && batchBytes > RETAINED_BATCH_BYTES) {
            batch.close();
            batch = null;
        } else if (batch != null && batchBytes > 0) {
            batch.clear();
        }
        batchBytes = 0;
        ranges.clear();
        touched.clear();
        expiredSeen = List.of();
        savepoints.clear();
        existedBefore.clear();
        metadataWrites.clear();
        forget();
        wiped = false;
        wipeEveryNamespace = false;
        anyWrite = false;
        failure = null;
        storage.recycle(this);
    }

    /** Frees the native parts of a Txn the pool no longer keeps. */
    void dispose() {
        if (batch != null) {
            batch.close();
            batch = null;
        }
        readOptions.close();
    }
}
