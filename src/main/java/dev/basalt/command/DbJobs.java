package dev.basalt.command;

import dev.basalt.config.Config;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.types.KeyScan;
import dev.basalt.util.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The database jobs that run in the background, one of each kind at a time, as Kvrocks runs them: BGSAVE
 * (a RocksDB checkpoint made under {@code backup-dir}.tmp, then renamed to {@code backup-dir}, replacing the
 * previous backup), purging old backups (FLUSHBACKUP, {@code max-backup-to-keep}, {@code max-backup-keep-hours}),
 * COMPACT, and DBSIZE SCAN (a namespace's key statistics for INFO keyspace). Each runs on its own platform
 * thread, so clients go on while it works; their state is what INFO persistence and INFO rocksdb show.
 */
public final class DbJobs {
    /** What the last DBSIZE SCAN of a namespace found, and when it finished (Unix seconds; 0: never). */
    public record ScanResult(KeyScan.KeyspaceStats stats, long finishedSecs) {
    }

    private final Config config;
    private final Storage storage;
    private final LongSupplier clockMillis;
    private final long startSecs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final Map<String, ScanResult> scans = new ConcurrentHashMap<>();
    private final Set<String> scanning = ConcurrentHashMap.newKeySet();
    // Guarded by lock.
    private boolean bgsaveInProgress;
    private boolean compacting;
    private boolean closing;
    private long lastBgsaveSecs = -1;
    private long lastBgsaveDurationSecs = -1;
    private long bgsaveStartedSecs = -1;
    private String lastBgsaveStatus = "ok";
    /** Commits counted when the last successful backup began: INFO rdb_changes_since_last_save counts from there. */
    private long commitsAtLastSave;
    private long commitsAtBgsaveStart;
    /** When the backup now in backup-dir was made (the server's start when unknown), for max-backup-keep-hours. */
    private long backupCreatedSecs;

    public DbJobs(Config config, Storage storage, LongSupplier clockMillis) {
        this.config = config;
        this.storage = storage;
        this.clockMillis = clockMillis;
        this.startSecs = clockMillis.getAsLong() / 1000;
        this.backupCreatedSecs = startSecs;
    }

    /** Where BGSAVE puts its backup: {@code backup-dir}, or {@code dir/backup} when that is empty (Kvrocks's default). */
    public static Path backupDir(Config config) {
        String configured = config.getString("backup-dir").trim();
        Path dir = configured.isEmpty() ? Path.of(config.getString("dir")).resolve("backup") : Path.of(configured);
        return dir.toAbsolutePath();
    }

    private long nowSecs() {
        return clockMillis.getAsLong() / 1000;
    }

    /** Starts a backup; the error text ("bgsave in-progress") when one runs already. */
    public String startBgsave() {
        lock.lock();
        try {
            if (closing) {
                return "the server is shutting down";
            }
            if (bgsaveInProgress) {
                return "bgsave in-progress";
            }
            bgsaveInProgress = true;
            bgsaveStartedSecs = nowSecs();
            commitsAtBgsaveStart = storage.commitCount();
            startThread("basalt-bgsave", this::bgsave);
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void bgsave() {
        long start = nowSecs();
        Path target = backupDir(config);
        Log.info("[storage] Start to create new backup in " + target);
        String failure = null;
        try {
            createBackup(target);
        } catch (StorageException | IOException | RuntimeException e) {
            failure = e.getMessage();
        }
        long end = nowSecs();
        lock.lock();
        try {
            bgsaveInProgress = false;
            lastBgsaveSecs = start;
            lastBgsaveDurationSecs = end - start;
            lastBgsaveStatus = failure == null ? "ok" : "err";
            if (failure == null) {
                commitsAtLastSave = commitsAtBgsaveStart;
                backupCreatedSecs = end;
            }
        } finally {
            lock.unlock();
        }
        if (failure == null) {
            Log.info("[storage] Success to create new backup in " + target + " (" + (end - start) + " s)");
        } else {
            Log.warn("[storage] Failed to create a backup in " + target + ": " + failure);
        }
    }

    /** A checkpoint in target.tmp, then renamed over target once complete, so target always holds a whole backup. */
    private void createBackup(Path target) throws StorageException, IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        destroy(tmp); // a dirty one from an earlier failure
        Files.createDirectories(target.getParent());
        storage.checkpoint(tmp);
        destroy(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void destroy(Path dir) throws StorageException {
        if (Files.exists(dir)) {
            Storage.destroy(dir);
        }
    }

    /**
     * Removes the backup when none is to be kept or it is older than keepHours (0: no age limit), as
     * Kvrocks's cron does every ten seconds; FLUSHBACKUP is purge(0, 0). Runs in the background.
     */
    public void purge(long toKeep, long keepHours) {
        lock.lock();
        try {
            if (closing || bgsaveInProgress) {
                return; // the backup being made is not old; purge after it
            }
            boolean expired = keepHours != 0 && backupCreatedSecs + keepHours * 3600 < nowSecs();
            if (toKeep != 0 && !expired) {
                return;
            }
            Path target = backupDir(config);
            if (!Files.exists(target)) {
                return;
            }
            startThread("basalt-purge-backup", () -> {
                try {
                    destroy(target);
                    Log.info("[storage] Succeeded cleaning old backup " + target);
                } catch (StorageException e) {
                    Log.warn("[storage] Failed cleaning old backup " + target + ": " + e.getMessage());
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** Starts a manual compaction of [begin, end) (null: unbounded); the error text when one runs already. */
    public String startCompact(byte[] begin, byte[] end) {
        lock.lock();
        try {
            if (closing) {
                return "the server is shutting down";
            }
            if (compacting) {
                return "compact in-progress";
            }
            compacting = true;
            startThread("basalt-compact", () -> {
                try {
                    storage.compact(begin, end);
                    Log.info("[storage] Manual compaction finished");
                } catch (StorageException e) {
                    Log.error("[task runner] Failed to do compaction: " + e.getMessage());
                } finally {
                    lock.lock();
                    try {
                        compacting = false;
                    } finally {
                        lock.unlock();
                    }
                }
            });
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Starts counting a namespace's keys (DBSIZE SCAN); the error text when a count of it runs already. */
    public String startDbsizeScan(String namespace) {
        lock.lock();
        try {
            if (closing) {
                return "the server is shutting down";
            }
            if (!scanning.add(namespace)) {
                return "scanning the db now";
            }
            startThread("basalt-dbsize-scan", () -> {
                try (Txn txn = storage.begin(namespace)) {
                    KeyScan.KeyspaceStats stats = new KeyScan(txn).stats();
                    scans.put(namespace, new ScanResult(stats, nowSecs()));
                } catch (RuntimeException e) {
                    Log.error("failed to retrieve key num stats: " + e.getMessage());
                } finally {
                    scanning.remove(namespace);
                }
            });
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** The last DBSIZE SCAN of the namespace, or null when none finished. */
    public ScanResult lastScan(String namespace) {
        return scans.get(namespace);
    }

    private void startThread(String name, Runnable job) {
        Thread t = Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                job.run();
            } finally {
                running.remove(Thread.currentThread());
            }
        });
        running.add(t);
        t.start();
    }

    /** INFO persistence and rocksdb: the jobs' state. */
    public record Status(boolean bgsaveInProgress, long lastBgsaveSecs, String lastBgsaveStatus,
            long lastBgsaveDurationSecs, long currentBgsaveSecs, long changesSinceLastSave, boolean compacting) {
    }

    public Status status() {
        lock.lock();
        try {
            return new Status(bgsaveInProgress, lastBgsaveSecs == -1 ? startSecs : lastBgsaveSecs, lastBgsaveStatus,
                    lastBgsaveDurationSecs, bgsaveInProgress ? nowSecs() - bgsaveStartedSecs : -1,
                    storage.commitCount() - commitsAtLastSave, compacting);
        } finally {
            lock.unlock();
        }
    }

    /** True while any job runs (tests wait for quiet). */
    public boolean busy() {
        return !running.isEmpty();
    }

    /** Stops accepting jobs, cancels RocksDB's running work and waits for the jobs' threads, so the storage can close. */
    public void close() {
        lock.lock();
        try {
            closing = true;
        } finally {
            lock.unlock();
        }
        if (!running.isEmpty()) {
            storage.cancelBackgroundWork();
        }
        for (Thread t : Set.copyOf(running)) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
