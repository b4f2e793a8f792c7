package dev.basalt.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.TxnIterator;
import dev.basalt.testutil.TempStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Read-your-writes, savepoints, range reclaim and namespace wipes of one Txn. */
class TxnTest {
    private Path dir;
    @RegisterExtension
    final TempStorage temp = new TempStorage();
    private Storage storage;

    @BeforeEach
    void open() throws Exception {
        storage = temp.storage();
        dir = temp.dir();
    }

    private static byte[] b(String s) {
        return s.getBytes();
    }

    private void commit(String key, String value) throws StorageException {
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            t.put(ColumnFamily.METADATA, b(key), b(value));
            storage.commit(t);
        }
    }

    @Test
    void readsSeeOwnWritesOverTheDatabase() throws Exception {
        commit("a", "old");
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertArrayEquals(b("old"), t.get(ColumnFamily.METADATA, b("a")));
            t.put(ColumnFamily.METADATA, b("a"), b("new"));
            assertArrayEquals(b("new"), t.get(ColumnFamily.METADATA, b("a")));
            t.delete(ColumnFamily.METADATA, b("a"));
            assertNull(t.get(ColumnFamily.METADATA, b("a")));
            // Not committed: the database still has the old value.
            try (Txn other = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
                assertArrayEquals(b("old"), other.get(ColumnFamily.METADATA, b("a")));
            }
        }
    }

    @Test
    void rollbackToSavepointDropsOnlyLaterWrites() throws Exception {
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            t.savepoint();
            t.put(ColumnFamily.METADATA, b("x"), b("1"));
            t.touch(b("x"));
            t.releaseSavepoint();

            t.savepoint();
            t.put(ColumnFamily.METADATA, b("y"), b("2"));
            t.put(ColumnFamily.METADATA, b("x"), b("overwritten"));
            t.deleteRangeAtCommit(ColumnFamily.DEFAULT, b("r"), b("s"));
            t.touch(b("y"));
            t.rollbackToSavepoint();

            assertArrayEquals(b("1"), t.get(ColumnFamily.METADATA, b("x")));
            assertNull(t.get(ColumnFamily.METADATA, b("y")));
            assertEquals(1, t.touchedKeys().size());
            storage.commit(t);
        }
        try (Txn r = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertArrayEquals(b("1"), r.get(ColumnFamily.METADATA, b("x")));
            assertNull(r.get(ColumnFamily.METADATA, b("y")));
        }
    }

    @Test
    void rollbackOfTheFirstWriteLeavesNothingToCommit() throws Exception {
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            t.savepoint();
            t.put(ColumnFamily.METADATA, b("x"), b("1"));
            t.rollbackToSavepoint();
            assertFalse(t.hasWrites());
            assertNull(t.get(ColumnFamily.METADATA, b("x")));
        }
    }

    @Test
    void rangeDeletesApplyAtCommit() throws Exception {
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            t.put(ColumnFamily.DEFAULT, b("p1"), b("v"));
            t.put(ColumnFamily.DEFAULT, b("p2"), b("v"));
            t.put(ColumnFamily.DEFAULT, b("q1"), b("v"));
            storage.commit(t);
        }
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            t.deleteRangeAtCommit(ColumnFamily.DEFAULT, b("p"), b("q"));
            t.put(ColumnFamily.METADATA, b("m"), b("1"));
            assertTrue(t.hasWrites());
            storage.commit(t);
        }
        try (Txn r = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertNull(r.get(ColumnFamily.DEFAULT, b("p1")));
            assertNull(r.get(ColumnFamily.DEFAULT, b("p2")));
            assertArrayEquals(b("v"), r.get(ColumnFamily.DEFAULT, b("q1")));
            assertArrayEquals(b("1"), r.get(ColumnFamily.METADATA, b("m")));
        }
    }

    @Test
    void wipeHidesTheDatabaseAndKeepsLaterWrites() throws Exception {
        KeyCodec codec = new KeyCodec(KeyCodec.DEFAULT_NAMESPACE);
        KeyCodec otherNs = new KeyCodec("other");
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            t.put(ColumnFamily.METADATA, codec.metadataKey(b("a")), b("1"));
            t.put(ColumnFamily.METADATA, otherNs.metadataKey(b("a")), b("kept"));
            storage.commit(t);
        }
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            t.savepoint();
            t.put(ColumnFamily.METADATA, codec.metadataKey(b("before")), b("x"));
            t.wipeNamespace();
            t.releaseSavepoint();
            assertNull(t.get(ColumnFamily.METADATA, codec.metadataKey(b("a"))));
            assertNull(t.get(ColumnFamily.METADATA, codec.metadataKey(b("before"))));
            t.savepoint();
            t.put(ColumnFamily.METADATA, codec.metadataKey(b("after")), b("y"));
            t.releaseSavepoint();
            try (TxnIterator it = t.iterator(ColumnFamily.METADATA)) {
                it.seek(codec.metadataPrefix());
                assertTrue(it.isValid());
                assertArrayEquals(codec.metadataKey(b("after")), it.key());
            }
            storage.commit(t);
        }
        try (Txn r = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertNull(r.get(ColumnFamily.METADATA, codec.metadataKey(b("a"))));
            assertNull(r.get(ColumnFamily.METADATA, codec.metadataKey(b("before"))));
            assertArrayEquals(b("y"), r.get(ColumnFamily.METADATA, codec.metadataKey(b("after"))));
            assertArrayEquals(b("kept"), r.get(ColumnFamily.METADATA, otherNs.metadataKey(b("a"))));
        }
    }

    @Test
    void concurrentCommitsAllLand() throws Exception {
        int threads = 16;
        int each = 200;
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int id = i;
            ts[i] = Thread.ofVirtual().start(() -> {
                for (int j = 0; j < each; j++) {
                    try {
                        commit("k" + id + "-" + j, "v" + j);
                    } catch (StorageException e) {
                        throw new AssertionError(e);
                    }
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        try (Txn r = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            for (int i = 0; i < threads; i++) {
                for (int j = 0; j < each; j++) {
                    assertArrayEquals(b("v" + j), r.get(ColumnFamily.METADATA, b("k" + i + "-" + j)));
                }
            }
        }
        assertEquals(threads * each, storage.commitCount());
    }
}
