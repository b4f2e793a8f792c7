package dev.basalt.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.basalt.testutil.TempStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real RocksDB write stall: background work paused, memtables full, no_slowdown on. */
class StorageStallTest {
    private Path dir;
    @RegisterExtension
    final TempStorage temp = new TempStorage("rocksdb.write_buffer_size", "1", "rocksdb.max_write_buffer_number", "2", "rocksdb.write_options.no_slowdown", "yes");
    private Storage storage;

    @BeforeEach
    void open() throws Exception {
        storage = temp.storage();
        dir = temp.dir();
    }

    /** Writes 64 KiB values until a commit fails; returns that failure. */
    static StorageException fillUntilStall(Storage storage, String prefix) {
        byte[] value = new byte[64 * 1024];
        for (int i = 0; i < 10_000; i++) {
            try (Txn txn = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
                txn.put(ColumnFamily.METADATA, ("fill-" + prefix + i).getBytes(), value);
                storage.commit(txn);
            } catch (StorageException e) {
                return e;
            }
        }
        throw new AssertionError("no stall after 10,000 writes of 64 KiB");
    }

    @Test
    void stalledCommitFailsWholeAndLeavesNothing() throws Exception {
        storage.setWriteStall(true);
        StorageException stall = fillUntilStall(storage, "a");
        assertEquals("Incomplete: Write stall", stall.getMessage());

        byte[] key = "k".getBytes();
        try (Txn txn = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            txn.put(ColumnFamily.METADATA, key, "v".getBytes());
            txn.put(ColumnFamily.DEFAULT, "sub".getBytes(), "x".getBytes());
            StorageException e = assertThrows(StorageException.class, () -> storage.commit(txn));
            assertEquals("Incomplete: Write stall", e.getMessage());
        }
        try (Txn read = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertNull(read.get(ColumnFamily.METADATA, key));
            assertNull(read.get(ColumnFamily.DEFAULT, "sub".getBytes()));
        }

        storage.setWriteStall(false);
        // Flushes resume; a write eventually succeeds once the memtables drain.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Txn txn = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
                txn.put(ColumnFamily.METADATA, key, "v".getBytes());
                storage.commit(txn);
                break;
            } catch (StorageException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
        try (Txn read = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertArrayEquals("v".getBytes(), read.get(ColumnFamily.METADATA, key));
        }
    }

    @Test
    void injectedFailureAppliesNothing() throws Exception {
        storage.injectWriteFailure("IO error: injected");
        try (Txn txn = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            txn.put(ColumnFamily.METADATA, "x".getBytes(), "1".getBytes());
            StorageException e = assertThrows(StorageException.class, () -> storage.commit(txn));
            assertEquals("IO error: injected", e.getMessage());
        }
        storage.injectWriteFailure(null);
        try (Txn read = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertNull(read.get(ColumnFamily.METADATA, "x".getBytes()));
        }
        try (Txn txn = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            txn.put(ColumnFamily.METADATA, "x".getBytes(), "1".getBytes());
            storage.commit(txn);
        }
        try (Txn read = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertNotNull(read.get(ColumnFamily.METADATA, "x".getBytes()));
        }
    }
}
