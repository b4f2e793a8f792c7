package dev.basalt.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.config.Config;
import dev.basalt.testutil.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.TableProperties;

/**
 * The data directory as Kvrocks 2.10 opens it (see shared/reference/kvrocks-datadir.md): RocksDB in
 * dir/db, exactly Kvrocks 2.x's column families plus any a newer Kvrocks already made, and every SST
 * in format_version 5. Read back with RocksDB itself, not through Storage.
 */
class DataDirectoryTest {
    private static final Set<String> KVROCKS_2_FAMILIES =
            Set.of("default", "metadata", "zset_score", "pubsub", "propagate", "stream", "search");

    private Path dir;

    @BeforeEach
    void createDir() throws Exception {
        dir = Files.createTempDirectory("basalt-datadir");
    }

    @AfterEach
    void removeDir() {
        TestServer.deleteTree(dir);
    }

    private static Config config() {
        Config c = Config.defaults();
        c.put("rocksdb.block_cache_size", "8");
        c.put("rocksdb.write_buffer_size", "4");
        return c;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes one record to each of the given families and flushes them to SST files. */
    private static void writeAndFlush(Path dataDir, String value, ColumnFamily... families) throws Exception {
        try (Storage s = Storage.open(dataDir, config()); Txn txn = s.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            for (ColumnFamily cf : families) {
                txn.put(cf, b("key-" + cf.rocksName()), b(value));
            }
            s.commit(txn);
            s.flush();
        }
    }

    private static Set<String> families(Path dbDir) throws Exception {
        try (Options o = new Options()) {
            Set<String> names = new TreeSet<>();
            for (byte[] n : RocksDB.listColumnFamilies(o, dbDir.toString())) {
                names.add(new String(n, StandardCharsets.UTF_8));
            }
            return names;
        }
    }

    /** Opens dbDir read-only with all its families and hands each name and handle to the reader. */
    private static void readOnly(Path dbDir, FamilyReader reader) throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String name : families(dbDir)) {
            descriptors.add(new ColumnFamilyDescriptor(b(name)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.openReadOnly(o, dbDir.toString(), descriptors, handles)) {
            try {
                for (int i = 0; i < handles.size(); i++) {
                    reader.read(db, new String(descriptors.get(i).getName(), StandardCharsets.UTF_8), handles.get(i));
                }
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }

    private interface FamilyReader {
        void read(RocksDB db, String family, ColumnFamilyHandle handle) throws Exception;
    }

    /** Puts a database holding key-metadata=value in dir the way Basalt used to: its files directly in dir. */
    private void writeInOldLayout(String value) throws Exception {
        Path elsewhere = Files.createTempDirectory("basalt-datadir-old");
        try {
            writeAndFlush(elsewhere, value, ColumnFamily.METADATA);
            try (Stream<Path> files = Files.list(elsewhere.resolve("db"))) {
                for (Path f : files.toList()) {
                    Files.move(f, dir.resolve(f.getFileName()));
                }
            }
        } finally {
            TestServer.deleteTree(elsewhere);
        }
    }

    @Test
    void rocksDbLivesInDirSlashDbWithKvrocks2FamiliesAndFormatVersion5() throws Exception {
        writeAndFlush(dir, "v", ColumnFamily.METADATA, ColumnFamily.DEFAULT, ColumnFamily.ZSET_SCORE);
        Path dbDir = dir.resolve("db");
        assertTrue(Files.exists(dbDir.resolve("CURRENT")), "RocksDB in dir/db");
        assertFalse(Files.exists(dir.resolve("CURRENT")), "nothing of RocksDB directly in dir");
        assertEquals(new TreeSet<>(KVROCKS_2_FAMILIES), families(dbDir));

        List<String> tables = new ArrayList<>();
        readOnly(dbDir, (db, family, handle) -> {
            for (Map.Entry<String, TableProperties> t : db.getPropertiesOfAllTables(handle).entrySet()) {
                tables.add(family + " " + t.getKey());
                assertEquals(5, t.getValue().getFormatVersion(), family + " " + t.getKey());
            }
        });
        assertEquals(3, tables.size(), "one SST per written family: " + tables);
    }

    @Test
    void aFamilyOfANewerKvrocksIsOpenedAndKept() throws Exception {
        Path dbDir = dir.resolve("db");
        Files.createDirectories(dbDir);
        List<ColumnFamilyDescriptor> descriptors = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                new ColumnFamilyDescriptor(b("index")));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
                RocksDB db = RocksDB.open(o, dbDir.toString(), descriptors, handles)) {
            db.put(handles.get(1), b("series"), b("points"));
            handles.forEach(ColumnFamilyHandle::close);
        }

        writeAndFlush(dir, "v", ColumnFamily.METADATA);

        Set<String> expected = new TreeSet<>(KVROCKS_2_FAMILIES);
        expected.add("index");
        assertEquals(expected, families(dbDir));
        List<String> seen = new ArrayList<>();
        readOnly(dbDir, (db, family, handle) -> {
            if (family.equals("index")) {
                seen.add(new String(db.get(handle, b("series")), StandardCharsets.UTF_8));
            }
        });
        assertEquals(List.of("points"), seen);
    }

    @Test
    void theOldLayoutIsMovedIntoDirSlashDb() throws Exception {
        // Basalt's old layout: RocksDB's files directly in dir, beside files of the user's own.
        writeInOldLayout("old");
        Files.writeString(dir.resolve("kvrocks.conf"), "port 6666\n");
        assertTrue(Files.exists(dir.resolve("CURRENT")));

        try (Storage s = Storage.open(dir, config()); Txn txn = s.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertArrayEquals(b("old"), txn.get(ColumnFamily.METADATA, b("key-metadata")));
        }
        assertTrue(Files.exists(dir.resolve("db").resolve("CURRENT")));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(Set.of("db", "kvrocks.conf"),
                    new TreeSet<>(left.map(p -> p.getFileName().toString()).toList()), "only RocksDB's files moved");
        }
        assertEquals(new TreeSet<>(KVROCKS_2_FAMILIES), families(dir.resolve("db")));
    }

    @Test
    void withBothLayoutsPresentDirSlashDbWinsAndTheOldFilesStay() throws Exception {
        writeInOldLayout("old");
        Path dbDir = dir.resolve("db");
        Files.createDirectories(dbDir);
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(o, dbDir.toString(),
                        List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY)), handles)) {
            handles.forEach(ColumnFamilyHandle::close);
        }

        try (Storage s = Storage.open(dir, config()); Txn txn = s.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertNull(txn.get(ColumnFamily.METADATA, b("key-metadata")));
        }
        assertTrue(Files.exists(dir.resolve("CURRENT")), "the old files are not deleted");
    }
}
