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
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
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
    private final ReadOptions readOptions = new ReadOptions();
    private final ReadOptions emptyReadOptions;
    private final Slice emptyBound = new Slice(new byte[0]);
    private final WriteOptions writeOptions;
    private final WriteCommitter committer;
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

    private Storage(Path dir, Config config) throws StorageException {
        this.dir = dir;
        this.config = config;
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
                .setDelayedWriteRate(config.getLong("rocksdb.delayed_write_rate"));
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
        committer = new WriteCommitter(db, writeOptions, () -> injectedFailure);
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
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setFormatVersion(5)
                .setBlockCache(cache)
                .setBlockSize(c.getLong("rocksdb.block_size"))
                .setCacheIndexAndFilterBlocks(c.getBool("rocksdb.cache_index_and_filter_blocks"));
        return new ColumnFamilyOptions()
                .setTableFormatConfig(table)
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

    public Txn begin(String namespace) {
        return new Txn(this, codecFor(namespace));
    }

    private volatile KeyCodec defaultCodec = new KeyCodec(KeyCodec.DEFAULT_NAMESPACE);

    private KeyCodec codecFor(String namespace) {
        KeyCodec c = defaultCodec;
        return namespace.equals(KeyCodec.DEFAULT_NAMESPACE) ? c : new KeyCodec(namespace);
    }

    /**
     * Writes the Txn's batch to RocksDB. The calling thread parks until {@code write()} returned;
     * on failure nothing of the batch is applied and the exception carries RocksDB's status text.
     */
    public void commit(Txn txn) throws StorageException {
        if (txn.failure() != null) {
            failedCommits.incrementAndGet();
            throw txn.failure();
        }
        if (!txn.hasWrites()) {
            return;
        }
        try {
            if (txn.plainBatch()) {
                committer.commit(txn.indexedBatch());
            } else {
                try (WriteBatch wb = txn.toWriteBatch()) {
                    committer.commit(wb);
                }
            }
            commits.incrementAndGet();
        } catch (RocksDBException e) {
            failedCommits.incrementAndGet();
            throw StorageException.of(e);
        } catch (StorageException e) {
            failedCommits.incrementAndGet();
            throw e;
        }
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

    /** A RocksDB property such as "rocksdb.estimate-num-keys", for INFO. */
    public String property(ColumnFamily cf, String name) {
        try {
            return db.getProperty(handle(cf), name);
        } catch (RocksDBException e) {
            return null;
        }
    }

    long writeBatchMaxBytes() {
        return config.getLong("rocksdb.write_options.write_batch_max_bytes");
    }

    RocksDB db() {
        return db;
    }

    DBOptions dbOptions() {
        return dbOptions;
    }

    ReadOptions readOptions() {
        return readOptions;
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
        readOptions.close();
        emptyReadOptions.close();
        emptyBound.close();
        dbOptions.close();
        cfOptions.close();
        blockCache.close();
    }
}
