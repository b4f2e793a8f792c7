package dev.basalt.rdb;

import dev.basalt.storage.KeyLocks;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.types.Keyspace;
import dev.basalt.util.Bytes;
import dev.basalt.util.Log;
import dev.basalt.util.StepAside;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * RDB LOAD: imports a redis-server dump.rdb into one namespace. Keys are written in small batches,
 * each its own commit under its keys' locks, and the loading thread yields between batches, so other
 * clients keep being served. Keys of another Redis database, expired keys and empty collections are
 * counted and skipped, as Redis skips them; a key of a type Basalt lacks (a module's) and records that
 * are not keys (function libraries, module data) are reported in the log one by one and counted.
 * Progress goes to the log every few seconds, the totals at the end.
 */
public final class RdbImport {
    /** Keys per commit. */
    private static final int BATCH_KEYS = 256;
    /** Elements per commit, about: a batch ends early when its values are large. */
    private static final long BATCH_ELEMENTS = 16_384;
    private static final long PROGRESS_EVERY_MS = 5_000;
    /** Skipped keys named in the log one by one; past this only counted. */
    private static final int NAMED_SKIPS = 1000;

    /** What a load did. */
    public record Counts(long loaded, long expired, long empty, long otherDatabase, long existing, long unsupported,
            long skippedRecords) {
        @Override
        public String toString() {
            return "keys loaded: " + loaded + ", expired skipped: " + expired + ", empty skipped: " + empty
                    + ", other databases skipped: " + otherDatabase + ", existing skipped (NX): " + existing
                    + ", unsupported types skipped: " + unsupported + ", non-key records skipped: " + skippedRecords;
        }
    }

    private final Storage storage;
    private final String namespace;
    private final Consumer<List<byte[]>> underLocks;
    private final Consumer<List<byte[]>> afterLocks;

    private long loaded;
    private long expired;
    private long empty;
    private long otherDatabase;
    private long existing;
    private long unsupported;

    /**
     * After each commit, the metadata keys it wrote go to underLocks while the batch's key locks are
     * still held (to tell WATCHers), then to afterLocks once they are released (to serve blocked clients).
     */
    public RdbImport(Storage storage, String namespace, Consumer<List<byte[]>> underLocks,
            Consumer<List<byte[]>> afterLocks) {
        this.storage = storage;
        this.namespace = namespace;
        this.underLocks = underLocks;
        this.afterLocks = afterLocks;
    }

    private record Pending(byte[] key, RdbValue value, long expireAtMs) {
    }

    /** Loads the keys of Redis database db from file; with onlyNew (NX) keys that exist are left alone. */
    public Counts load(Path file, long db, boolean onlyNew) throws IOException, RdbFormatException, StorageException {
        long size = Files.size(file);
        long started = System.currentTimeMillis();
        long lastReport = started;
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            RdbFileReader reader = new RdbFileReader(stream);
            Log.info("RDB LOAD " + file + ": started (" + size + " bytes, RDB version " + reader.version() + ")");
            List<Pending> batch = new ArrayList<>();
            long elements = 0;
            RdbFileReader.Key k;
            while ((k = reader.next()) != null) {
                long now = System.currentTimeMillis();
                if (k.db() != db) {
                    otherDatabase++;
                } else if (k.value() instanceof RdbValue.ModuleValue m) {
                    unsupported++;
                    if (unsupported <= NAMED_SKIPS) {
                        Log.warn("RDB LOAD " + file + ": key '" + Bytes.str(k.name()) + "' skipped: module type "
                                + m.moduleType() + " has no Basalt equivalent");
                    }
                } else if (k.value().isEmptyCollection()) {
                    empty++;
                } else if (k.expireAtMs() != 0 && k.expireAtMs() <= now) {
                    expired++;
                } else {
                    batch.add(new Pending(k.name(), k.value(), k.expireAtMs()));
                    elements += weight(k.value());
                    if (batch.size() >= BATCH_KEYS || elements >= BATCH_ELEMENTS) {
                        commit(batch, onlyNew);
                        batch.clear();
                        elements = 0;
                        StepAside.now();
                    }
                }
                if (now - lastReport >= PROGRESS_EVERY_MS) {
                    lastReport = now;
                    Log.info("RDB LOAD " + file + ": " + loaded + " keys loaded, " + reader.position() + " of "
                            + size + " bytes read");
                }
            }
            commit(batch, onlyNew);
            for (String record : reader.skippedRecords()) {
                Log.warn("RDB LOAD " + file + ": skipped " + record + " (Basalt has no equivalent)");
            }
            Counts c = new Counts(loaded, expired, empty, otherDatabase, existing, unsupported,
                    reader.skippedRecords().size());
            long ms = Math.max(1, System.currentTimeMillis() - started);
            Log.info("RDB LOAD " + file + ": done in " + ms + " ms (" + loaded * 1000 / ms + " keys/s), " + c);
            return c;
        } catch (IOException | RdbFormatException | StorageException | RuntimeException e) {
            Log.warn("RDB LOAD " + file + ": stopped after " + loaded + " keys: " + e.getMessage());
            throw e;
        }
    }

    /** Keys loaded before a failure (the error names it). */
    public long loadedSoFar() {
        return loaded;
    }

    private static long weight(RdbValue v) {
        return 1 + switch (v) {
            case RdbValue.ListValue l -> l.elements().size();
            case RdbValue.SetValue s -> s.members().size();
            case RdbValue.HashValue h -> h.fieldsAndValues().size() / 2;
            case RdbValue.ZSetValue z -> z.members().size();
            case RdbValue.StreamValue s -> s.image().entries().size();
            default -> 0;
        };
    }

    private void commit(List<Pending> batch, boolean onlyNew) throws StorageException {
        if (batch.isEmpty()) {
            return;
        }
        List<byte[]> keys = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            keys.add(p.key());
        }
        long written = 0;
        List<byte[]> touched;
        try (KeyLocks.Held held = storage.locks().lock(keys); Txn txn = storage.begin(namespace)) {
            Keyspace keyspace = new Keyspace(txn);
            RdbKeys out = new RdbKeys(txn);
            for (Pending p : batch) {
                if (onlyNew && keyspace.exists(p.key())) {
                    existing++;
                    continue;
                }
                try {
                    out.write(p.key(), p.value(), p.expireAtMs());
                    written++;
                } catch (RdbFormatException e) {
                    // Refused before anything of it was written.
                    unsupported++;
                    Log.warn("RDB LOAD: key '" + Bytes.str(p.key()) + "' skipped: " + e.getMessage());
                }
            }
            storage.commit(txn);
            loaded += written;
            touched = new ArrayList<>(txn.touchedKeys());
            underLocks.accept(touched);
        }
        afterLocks.accept(touched);
    }
}
