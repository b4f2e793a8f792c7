package dev.basalt.storage;

import dev.basalt.config.Config;
import dev.basalt.util.Log;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.FlushOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB opened in Kvrocks's layout (in {@code dir/db}, Kvrocks 2.x's column families, SST format_version 5,
 * so Kvrocks 2.10 can open what Basalt wrote), options from the {@code rocksdb.*} directives, and the
 * commit path every write goes through.
 *
 * <p>A commit is written on the caller's thread with {@code no_slowdown}, so it costs a few
 * microseconds and can never sleep inside RocksDB on one of the carriers that run the connections. Only
 * a write that must wait (a stall while {@code rocksdb.write_options.no_slowdown} is off, or
 * {@code sync yes}) goes to the {@link WriteCommitter}'s platform thread, while the caller parks.
 */
public final class Storage implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final LRUCache blockCache;
    private final Map<ColumnFamily, ColumnFamilyHandle> handles = new EnumMap<>(ColumnFamily.class);
    private final List<ColumnFamilyHandle> handleList;
    private final ReadOptions emptyReadOptions;
    private final Slice emptyBound = new Slice(new byte[0]);
    /** The configured write options, for writes that may wait (on the committer's thread). */
    private final WriteOptions writeOptions;
    /** The same with no_slowdown, for writes on the caller's thread: a stall fails at once instead of sleeping. */
    private final WriteOptions inlineWriteOptions;
    private final boolean syncWrites;
    private final boolean configuredNoSlowdown;
    private final WriteCommitter committer;
    private final InlineWriter inlineWriter;
    private final KeyCounts keyCounts = new KeyCounts();
    private final Config.LiveNumber writeBatchMaxBytes;
    private final WriteFailureLog failureLog = new WriteFailureLog();
    private final java.util.concurrent.ConcurrentLinkedQueue<Txn> txnPool = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger pooled = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<String, KeyCodec> codecs = new java.util.concurrent.ConcurrentHashMap<>();
    private final KeyLocks locks = new KeyLocks(4096);
    private final Path dir;
    private final Config config;
    private final ReentrantLock stallLock = new ReentrantLock();
    private boolean stalled;
    private volatile String injectedFailure;
    private final AtomicLong versionCounter = new AtomicLong((long) (Math.random() * 2048));
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong failedCommits = new AtomicLong();
    private volatile boolean closed;
    /** RocksDB's tickers and histograms (INFO rocksdb, STATS), enabled as Kvrocks enables them. */
    private final org.rocksdb.Statistics statistics = new org.rocksdb.Statistics();
    private final AtomicLong flushesCompleted = new AtomicLong();
    private final AtomicLong compactionsCompleted = new AtomicLong();
    private final org.rocksdb.AbstractEventListener jobCounter = new org.rocksdb.AbstractEventListener() {
        @Override
        public void onFlushCompleted(RocksDB db, org.rocksdb.FlushJobInfo info) {
            flushesCompleted.incrementAndGet();
        }

        @Override
        public void onCompactionCompleted(RocksDB db, org.rocksdb.CompactionJobInfo info) {
            compactionsCompleted.incrementAndGet();
        }
    };

    private Storage(Path dir, Config config) throws StorageException {
        this.dir = dir;
        this.config = config;
        this.writeBatchMaxBytes = config.live("rocksdb.write_options.write_batch_max_bytes");
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new StorageException("IO error: cannot create " + dir + ": " + e.getMessage());
        }
        blockCache = new LRUCache(config.getLong("rocksdb.block_cache_size") * 1024 * 1024);
        cfOptions = columnFamilyOptions(config, blockCache);
        dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(config.getInt("rocksdb.max_open_files"))
                .setMaxBackgroundJobs(config.getInt("rocksdb.max_background_jobs"))
                .setWalTtlSeconds(config.getLong("rocksdb.wal_ttl_seconds"))
                .setWalSizeLimitMB(config.getLong("rocksdb.wal_size_limit_mb"))
                .setMaxTotalWalSize(config.getLong("rocksdb.max_total_wal_size") * 1024 * 1024)
                .setDelayedWriteRate(config.getLong("rocksdb.delayed_write_rate"))
                .setStatistics(statistics)
                .setListeners(List.of(jobCounter));
        Path dbDir = dbDir(dir);
        boolean movedFromOldLayout = moveFromOldLayout(dir, dbDir);
        handleList = new ArrayList<>();
        db = openWithEveryFamily(dbDir, handleList);
        int i = 0;
        for (ColumnFamily cf : ColumnFamily.values()) {
            handles.put(cf, handleList.get(i++));
        }
        if (movedFromOldLayout) {
            removeOldLayout(dir);
        }
        emptyReadOptions = new ReadOptions().setIterateUpperBound(emptyBound);
        writeOptions = new WriteOptions()
                .setSync(config.getBool("rocksdb.write_options.sync"))
                .setDisableWAL(config.getBool("rocksdb.write_options.disable_wal"))
                .setNoSlowdown(config.getBool("rocksdb.write_options.no_slowdown"))
                .setLowPri(config.getBool("rocksdb.write_options.low_pri"));
        syncWrites = writeOptions.sync();
        configuredNoSlowdown = writeOptions.noSlowdown();
        inlineWriteOptions = new WriteOptions()
                .setSync(false)
                .setDisableWAL(writeOptions.disableWAL())
                .setNoSlowdown(true)
                .setLowPri(writeOptions.lowPri());
        committer = new WriteCommitter(db, writeOptions);
        inlineWriter = new InlineWriter(db, inlineWriteOptions);
        keyCounts.countInBackground(this, db.getSnapshot());
    }

    /** Where RocksDB lives inside the data directory: {@code dir/db}, as Kvrocks has it ({@code db_dir = dir + "/db"}). */
    public static Path dbDir(Path dir) {
        return dir.resolve("db");
    }

    /**
     * Opens RocksDB with Kvrocks 2.x's column families first (created when missing, in {@link ColumnFamily}'s
     * order, so handles.get(i) is the i-th family) and then every other family the database already has
     * (e.g. {@code index} from a newer Kvrocks), which RocksDB refuses to open without.
     */
    private RocksDB openWithEveryFamily(Path dbDir, List<ColumnFamilyHandle> out) throws StorageException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (ColumnFamily cf : ColumnFamily.values()) {
            descriptors.add(new ColumnFamilyDescriptor(cf.rocksName().getBytes(StandardCharsets.UTF_8), cfOptions));
            known.add(cf.rocksName());
        }
        for (byte[] name : existingFamilies(dbDir)) {
            if (!known.contains(new String(name, StandardCharsets.UTF_8))) {
                descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
            }
        }
        try {
            return RocksDB.open(dbOptions, dbDir.toString(), descriptors, out);
        } catch (RocksDBException e) {
            throw StorageException.of(e);
        }
    }

    /** The column families of the database in dbDir; none when there is no database yet. */
    private static List<byte[]> existingFamilies(Path dbDir) throws StorageException {
        if (!Files.exists(dbDir.resolve("CURRENT"))) {
            return List.of();
        }
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, dbDir.toString());
        } catch (RocksDBException e) {
            throw StorageException.of(e);
        }
    }

    /**
     * Basalt used to keep RocksDB's files directly in dir, where Kvrocks finds nothing. Such a database is
     * copied to dir/db by a RocksDB checkpoint (hard links, made atomically under a temporary name), so a
     * crash part-way leaves the old copy whole; the caller removes the old files once dir/db has opened.
     * Returns true when it moved one.
     */
    private boolean moveFromOldLayout(Path dir, Path dbDir) throws StorageException {
        if (!Files.exists(dir.resolve("CURRENT"))) {
            return false;
        }
        if (Files.exists(dbDir.resolve("CURRENT"))) {
            Log.warn("RocksDB files found both in " + dir + " (Basalt's old layout) and in " + dbDir
                    + ": opening " + dbDir + "; the files directly in " + dir + " are not used");
            return false;
        }
        List<ColumnFamilyHandle> oldHandles = new ArrayList<>();
        try {
            deleteIfEmptyDirectory(dbDir);
            try (RocksDB old = openWithEveryFamily(dir, oldHandles); Checkpoint checkpoint = Checkpoint.create(old)) {
                checkpoint.createCheckpoint(dbDir.toString());
            } finally {
                oldHandles.forEach(ColumnFamilyHandle::close);
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot move the RocksDB files in " + dir + " to " + dbDir + ": "
                    + StorageException.of(e).getMessage());
        }
        return true;
    }

    /** Deletes the old layout's files (only RocksDB's own: DestroyDB leaves dir/db and anything else alone). */
    private static void removeOldLayout(Path dir) {
        try (Options options = new Options()) {
            RocksDB.destroyDB(dir.toString(), options);
            Log.info("Moved the RocksDB files in " + dir + " (Basalt's old layout) to " + dbDir(dir)
                    + ", where Kvrocks keeps them");
        } catch (RocksDBException e) {
            Log.warn("Moved the RocksDB files in " + dir + " (Basalt's old layout) to " + dbDir(dir)
                    + ", where Kvrocks keeps them, but could not delete the old ones: " + e.getMessage());
        }
    }

    private static void deleteIfEmptyDirectory(Path p) throws StorageException {
        try (var entries = Files.list(p)) {
            if (entries.findAny().isPresent()) {
                throw new StorageException("IO error: " + p + " is in the way of the RocksDB files in "
                        + p.getParent() + ": move it away");
            }
            Files.delete(p);
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing in the way
        } catch (java.io.IOException e) {
            throw new StorageException("IO error: " + p + ": " + e.getMessage());
        }
    }

    public static Storage open(Path dir, Config config) throws StorageException {
        return new Storage(dir, config);
    }

    private static ColumnFamilyOptions columnFamilyOptions(Config c, LRUCache cache) {
        // format_version 5 as Kvrocks pins it: RocksDB 9 (Kvrocks 2.10) cannot read rocksdbjni 11's default 7.
        // The rest is Kvrocks's table layout too: bloom filters (a point read of an absent key, as every
        // write's metadata lookup often is, skips the files that cannot hold it), partitioned index and
        // filters, and a hash index inside data blocks.
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setFormatVersion(5)
                .setBlockCache(cache)
                .setBlockSize(c.getLong("rocksdb.block_size"))
                .setCacheIndexAndFilterBlocks(c.getBool("rocksdb.cache_index_and_filter_blocks"))
                .setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinL0FilterAndIndexBlocksInCache(true)
                .setIndexType(IndexType.kTwoLevelIndexSearch)
                .setFilterPolicy(new BloomFilter(10, false))
                .setPartitionFilters(true)
                .setOptimizeFiltersForMemory(true)
                .setMetadataBlockSize(4096)
                .setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash)
                .setDataBlockHashTableUtilRatio(0.75);
        return new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                // A whole-key bloom filter in the memtable, as Kvrocks has on metadata: a lookup of a key the
                // memtable does not hold skips the skiplist search.
                .setMemtableWholeKeyFiltering(true)
                .setMemtablePrefixBloomSizeRatio(0.1)
                .setWriteBufferSize(c.getLong("rocksdb.write_buffer_size") * 1024 * 1024)
                .setMaxWriteBufferNumber(c.getInt("rocksdb.max_write_buffer_number"))
                .setTargetFileSizeBase(c.getLong("rocksdb.target_file_size_base") * 1024 * 1024)
                .setCompressionType(compression(c.getString("rocksdb.compression")))
                .setLevel0SlowdownWritesTrigger(c.getInt("rocksdb.level0_slowdown_writes_trigger"))
                .setLevel0StopWritesTrigger(c.getInt("rocksdb.level0_stop_writes_trigger"))
                .setLevel0FileNumCompactionTrigger(c.getInt("rocksdb.level0_file_num_compaction_trigger"))
                .setLevelCompactionDynamicLevelBytes(c.getBool("rocksdb.level_compaction_dynamic_level_bytes"));
    }

    /** Kvrocks's compression names. */
    public static CompressionType compression(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "no" -> CompressionType.NO_COMPRESSION;
            case "snappy" -> CompressionType.SNAPPY_COMPRESSION;
            case "lz4" -> CompressionType.LZ4_COMPRESSION;
            case "zstd" -> CompressionType.ZSTD_COMPRESSION;
            case "zlib" -> CompressionType.ZLIB_COMPRESSION;
            default -> throw new IllegalArgumentException("unknown compression '" + name + "'");
        };
    }

    public Path dir() {
        return dir;
    }

    /** Txns kept for reuse (each holds native read options and a write batch). */
    private static final int TXN_POOL_SIZE = 256;

    /** A Txn in the namespace; close it when done (it goes back to a pool). */
    public Txn begin(String namespace) {
        Txn t = txnPool.poll();
        if (t == null) {
            t = new Txn(this);
        } else {
            pooled.decrementAndGet();
        }
        t.open(codecs.computeIfAbsent(namespace, KeyCodec::new));
        return t;
    }

    /** Takes back a closed Txn, or frees it when the pool is full or the storage is closing. */
    void recycle(Txn t) {
        if (closed || pooled.incrementAndGet() > TXN_POOL_SIZE) {
            pooled.decrementAndGet();
            t.dispose();
            return;
        }
        txnPool.add(t);
    }

    /**
     * DBSIZE: the keys of the Txn's namespace as the Txn sees them, that is the committed count (exact,
     * kept at commit time, see {@link KeyCounts}) plus what the Txn itself has created or removed so far.
     */
    public long keyCount(Txn txn) throws InterruptedException {
        long pending = txn.keyCountDelta();
        if (txn.wiped()) {
            return pending;
        }
        return keyCounts.count(new String(txn.codec().namespaceBytes(), java.nio.charset.StandardCharsets.UTF_8)) + pending;
    }

    /**
     * Writes the Txn's batch to RocksDB. The calling thread parks until {@code write()} returned;
     * on failure nothing of the batch is applied and the exception carries RocksDB's status text.
     */
    public void commit(Txn txn) throws StorageException {
        try {
            if (txn.failure() != null) {
                throw txn.failure();
            }
            if (!txn.hasWrites()) {
                return;
            }
            String injected = injectedFailure;
            if (injected != null) {
                throw new StorageException(injected);
            }
            if (txn.plainBatch()) {
                write(txn.indexedBatch());
            } else {
                try (WriteBatch wb = txn.toWriteBatch()) {
                    write(wb);
                }
            }
            commits.incrementAndGet();
            keyCounts.committed(txn);
        } catch (RocksDBException e) {
            throw failed(StorageException.of(e));
        } catch (StorageException e) {
            throw failed(e);
        }
    }

    private StorageException failed(StorageException e) {
        failedCommits.incrementAndGet();
        failureLog.report(e, config.getLong("rocksdb.write_buffer_size"));
        return e;
    }

    /** Writes inline unless the write must wait; see the class comment. */
    private void write(org.rocksdb.AbstractWriteBatch batch) throws RocksDBException, StorageException {
        if (!syncWrites) {
            try {
                inlineWriter.write(batch);
                return;
            } catch (RocksDBException e) {
                if (configuredNoSlowdown || !isWriteStall(e)) {
                    throw e;
                }
                inlineStalls.incrementAndGet();
            }
        }
        committer.commit(batch);
    }

    /** RocksDB's answer to a no_slowdown write that would have been delayed or stopped. */
    static boolean isWriteStall(RocksDBException e) {
        return e.getStatus() != null && e.getStatus().getCode() == org.rocksdb.Status.Code.Incomplete;
    }

    private final AtomicLong inlineStalls = new AtomicLong();

    /** Commits that met a stall on the caller's thread and were handed to the committer to wait it out. */
    public long stalledCommitCount() {
        return inlineStalls.get();
    }

    public KeyLocks locks() {
        return locks;
    }

    /** A new collection version: microseconds since the epoch shifted left 11 bits, plus a counter. */
    public long nextVersion() {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        return (micros << 11) | (versionCounter.getAndIncrement() & 0x7ff);
    }

    /**
     * Pauses (on) or resumes (off) RocksDB's flushes and compactions. Once the memtables fill, writes
     * stall: with no_slowdown they fail with "Incomplete: Write stall", without it they wait.
     */
    public void setWriteStall(boolean on) throws StorageException {
        stallLock.lock();
        try {
            if (on == stalled) {
                return;
            }
            if (on) {
                db.pauseBackgroundWork();
            } else {
                db.continueBackgroundWork();
            }
            stalled = on;
        } catch (RocksDBException e) {
            throw StorageException.of(e);
        } finally {
            stallLock.unlock();
        }
    }

    public boolean writeStalled() {
        return stalled;
    }

    /** Test seam: while set, every commit fails with this status text (e.g. "IO error: injected"). */
    public void injectWriteFailure(String statusText) {
        this.injectedFailure = statusText;
    }

    public long commitCount() {
        return commits.get();
    }

    public long failedCommitCount() {
        return failedCommits.get();
    }

    /** Writes the memtables to disk (used by tests and on shutdown). */
    public void flush() throws StorageException {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, handleList);
        } catch (RocksDBException e) {
            throw StorageException.of(e);
        }
    }

    /**
     * A consistent copy of the database in {@code target} (which must not exist): a RocksDB checkpoint, hard
     * links to the SST files where the file system allows, after the memtables are flushed. Writers go on
     * meanwhile; call it from a platform thread, it may take seconds.
     */
    public void checkpoint(Path target) throws StorageException {
        try (Checkpoint cp = Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw StorageException.of(e);
        }
    }

    /** Deletes a database copy (a backup): RocksDB's own files only, as Kvrocks's DestroyDB, then the directory when empty. */
    public static void destroy(Path dir) throws StorageException {
        try (Options options = new Options()) {
            RocksDB.destroyDB(dir.toString(), options);
        } catch (RocksDBException e) {
            throw StorageException.of(e);
        }
    }

    /** Stops RocksDB's flushes and compactions for good, a running manual compaction too: only before closing. */
    public void cancelBackgroundWork() {
        db.cancelAllBackgroundWork(true);
    }

    /**
     * A manual compaction of every column family between begin and end (null: unbounded), down to the
     * bottommost level, as Kvrocks's COMPACT runs it. Blocks for its duration: call it from a platform thread.
     */
    public void compact(byte[] begin, byte[] end) throws StorageException {
        try (org.rocksdb.CompactRangeOptions options = new org.rocksdb.CompactRangeOptions()
                .setChangeLevel(true)
                .setBottommostLevelCompaction(org.rocksdb.CompactRangeOptions.BottommostLevelCompaction.kForceOptimized)) {
            for (ColumnFamilyHandle h : handleList) {
                db.compactRange(h, begin, end, options);
            }
        } catch (RocksDBException e) {
            throw StorageException.of(e);
        }
    }

    /** A RocksDB property such as "rocksdb.estimate-num-keys", for INFO. */
    public String property(ColumnFamily cf, String name) {
        try {
            return db.getProperty(handle(cf), name);
        } catch (RocksDBException e) {
            return null;
        }
    }

    /** The names of the open column families, in the order Basalt opened them. */
    public List<String> familyNames() {
        List<String> names = new ArrayList<>();
        for (ColumnFamilyHandle h : handleList) {
            try {
                names.add(new String(h.getName(), StandardCharsets.UTF_8));
            } catch (RocksDBException e) {
                names.add("?");
            }
        }
        return names;
    }

    private ColumnFamilyHandle familyNamed(String name) {
        for (ColumnFamilyHandle h : handleList) {
            try {
                if (name.equals(new String(h.getName(), StandardCharsets.UTF_8))) {
                    return h;
                }
            } catch (RocksDBException e) {
                // skip
            }
        }
        throw new IllegalArgumentException("no column family " + name);
    }

    /** An integer property of one column family ("rocksdb.estimate-num-keys"); 0 when RocksDB has none. */
    public long longProperty(String family, String property) {
        try {
            return db.getLongProperty(familyNamed(family), property);
        } catch (RocksDBException e) {
            return 0;
        }
    }

    /** A map property of one column family ("rocksdb.cfstats"); empty when RocksDB has none. */
    public Map<String, String> mapProperty(String family, String property) {
        try {
            return db.getMapProperty(familyNamed(family), property);
        } catch (RocksDBException e) {
            return Map.of();
        }
    }

    /** An integer property summed over every column family ("rocksdb.size-all-mem-tables"). */
    public long aggregatedProperty(String property) {
        try {
            return db.getAggregatedLongProperty(property);
        } catch (RocksDBException e) {
            return 0;
        }
    }

    /** A RocksDB ticker by its enum name in rocksdbjni (BLOCK_CACHE_HIT, NUMBER_KEYS_WRITTEN...). */
    public long ticker(String name) {
        return statistics.getTickerCount(org.rocksdb.TickerType.valueOf(name));
    }

    /** RocksDB's own text of every ticker and histogram (Statistics::ToString), which STATS turns into JSON. */
    public String statisticsText() {
        return statistics.toString();
    }

    /** Flushes and compactions RocksDB finished since the database opened. */
    public long flushesCompleted() {
        return flushesCompleted.get();
    }

    public long compactionsCompleted() {
        return compactionsCompleted.get();
    }

    /** The latest sequence number (Kvrocks's INFO keyspace "sequence"). */
    public long latestSequenceNumber() {
        return db.getLatestSequenceNumber();
    }

    /**
     * The approximate bytes on disk and in the memtables of the keys in [begin, end) of one family (DISK
     * USAGE, MEMORY USAGE, and a namespace's used_db_size).
     */
    public long approximateSize(ColumnFamily cf, byte[] begin, byte[] end) {
        try (Slice b = new Slice(begin); Slice e = new Slice(end)) {
            long[] sizes = db.getApproximateSizes(handle(cf), List.of(new org.rocksdb.Range(b, e)),
                    org.rocksdb.SizeApproximationFlag.INCLUDE_FILES, org.rocksdb.SizeApproximationFlag.INCLUDE_MEMTABLES);
            return sizes.length == 0 ? 0 : sizes[0];
        }
    }

    /** The live SST files' total size (Kvrocks's used_db_size for the default namespace). */
    public long liveSstBytes() {
        return aggregatedProperty("rocksdb.live-sst-files-size");
    }

    long writeBatchMaxBytes() {
        return writeBatchMaxBytes.get();
    }

    RocksDB db() {
        return db;
    }

    DBOptions dbOptions() {
        return dbOptions;
    }

    ColumnFamilyHandle handle(ColumnFamily cf) {
        return handles.get(cf);
    }

    RocksIterator emptyIterator(ColumnFamily cf) {
        return db.newIterator(handle(cf), emptyReadOptions);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        committer.close();
        keyCounts.stop();
        Txn t;
        while ((t = txnPool.poll()) != null) {
            t.dispose();
        }
        try {
            if (stalled) {
                db.continueBackgroundWork();
            }
            db.syncWal();
        } catch (RocksDBException e) {
            // closing anyway; the WAL was written on every commit
        }
        for (ColumnFamilyHandle h : handleList) {
            h.close();
        }
        try {
            db.closeE();
        } catch (RocksDBException e) {
            db.close();
        }
        writeOptions.close();
        inlineWriteOptions.close();
        emptyReadOptions.close();
        emptyBound.close();
        dbOptions.close();
        cfOptions.close();
        blockCache.close();
        statistics.close();
        jobCounter.close();
    }
}
