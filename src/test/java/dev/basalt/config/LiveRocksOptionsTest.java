package dev.basalt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.ConfigFileServer;
import dev.basalt.testutil.RawClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONFIG SET of the rocksdb.* options Kvrocks changes at run time reaches the open database (its OPTIONS file). */
class LiveRocksOptionsTest {
    @TempDir
    Path tmp;

    /** RocksDB writes its options into a new OPTIONS-NNNNNN file whenever they change: the newest one's text. */
    private static String latestOptions(Path db) throws IOException {
        try (Stream<Path> files = Files.list(db)) {
            Path newest = files.filter(p -> p.getFileName().toString().startsWith("OPTIONS-"))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(8))))
                    .orElseThrow();
            return Files.readString(newest);
        }
    }

    /** The value of an option in one section of the OPTIONS file ("DBOptions", "CFOptions \"metadata\""). */
    private static String option(String text, String section, String name) {
        int at = text.indexOf("[" + section + "]");
        assertTrue(at >= 0, "no section " + section);
        int end = text.indexOf("\n[", at + 1);
        String body = end < 0 ? text.substring(at) : text.substring(at, end);
        for (String line : body.split("\n")) {
            String t = line.trim();
            if (t.startsWith(name + "=")) {
                return t.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + section);
    }

    @Test
    void liveOptionsReachRocksDbShowInConfigGetAndSurviveRewrite() throws Exception {
        Path file = tmp.resolve("kvrocks.conf");
        Path dir = tmp.resolve("data");
        Files.writeString(file, "port 0\ndir " + dir + "\nrocksdb.block_cache_size 16\nrocksdb.write_buffer_size 4\n"
                + "log-level warning\n");
        try (ConfigFileServer s = ConfigFileServer.start(file); RawClient c = s.raw()) {
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rocksdb.write_buffer_size", "8",
                    "rocksdb.level0_slowdown_writes_trigger", "30", "rocksdb.max_background_jobs", "6"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rocksdb.max_total_wal_size", "100"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rocksdb.compression", "zstd"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rocksdb.disable_auto_compactions", "yes"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rocksdb.max_write_buffer_number", "6"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rocksdb.compression_start_level", "3"));
            assertEquals("kNoCompression:kNoCompression:kNoCompression:kZSTD:kZSTD:kZSTD:kZSTD",
                    option(latestOptions(dir.resolve("db")), "CFOptions \"default\"", "compression_per_level"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rocksdb.compression_start_level", "2"));
            String text = latestOptions(dir.resolve("db"));
            for (String cf : List.of("default", "metadata", "zset_score", "stream")) {
                String section = "CFOptions \"" + cf + "\"";
                assertEquals("8388608", option(text, section, "write_buffer_size"), cf);
                assertEquals("30", option(text, section, "level0_slowdown_writes_trigger"), cf);
                assertEquals("kNoCompression:kNoCompression:kZSTD:kZSTD:kZSTD:kZSTD:kZSTD",
                        option(text, section, "compression_per_level"), cf);
                assertEquals("true", option(text, section, "disable_auto_compactions"), cf);
                assertEquals("6", option(text, section, "max_write_buffer_number"), cf);
            }
            assertEquals("6", option(text, "DBOptions", "max_background_jobs"));
            assertEquals("104857600", option(text, "DBOptions", "max_total_wal_size"));
            assertEquals("*2\r\n$25\r\nrocksdb.write_buffer_size\r\n$1\r\n8\r\n",
                    c.call("CONFIG", "GET", "rocksdb.write_buffer_size"));
            // Writes go on with the new options.
            assertEquals("+OK\r\n", c.call("SET", "k", "v"));

            // Kvrocks's errors: options it cannot change at run time, and preconditions.
            assertEquals("-ERR CONFIG SET 'rocksdb.block_size' error: Unsupported CONFIG parameter: rocksdb.block_size\r\n",
                    c.call("CONFIG", "SET", "rocksdb.block_size", "4096"));
            assertEquals("-ERR CONFIG SET 'rocksdb.block_cache_size' error: Unsupported CONFIG parameter: "
                    + "rocksdb.block_cache_size\r\n", c.call("CONFIG", "SET", "rocksdb.block_cache_size", "64"));
            assertEquals("-ERR CONFIG SET 'rocksdb.min_blob_size' error: Must set rocksdb.enable_blob_files to yes first.\r\n",
                    c.call("CONFIG", "SET", "rocksdb.min_blob_size", "100"));
            assertEquals("*2\r\n$21\r\nrocksdb.min_blob_size\r\n$4\r\n4096\r\n", c.call("CONFIG", "GET", "rocksdb.min_blob_size"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rocksdb.enable_blob_files", "yes"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rocksdb.min_blob_size", "100"));
            assertEquals("100", option(latestOptions(dir.resolve("db")), "CFOptions \"default\"", "min_blob_size"));

            assertEquals("+OK\r\n", c.call("CONFIG", "REWRITE"));
        }
        String rewritten = Files.readString(file);
        assertTrue(rewritten.contains("rocksdb.write_buffer_size 8\n"), rewritten);
        assertTrue(rewritten.contains("rocksdb.compression zstd\n"), rewritten);
        assertTrue(rewritten.contains("rocksdb.max_background_jobs 6\n"), rewritten);
        // Restarted from the rewritten file, RocksDB opens with the values set at run time.
        try (ConfigFileServer s = ConfigFileServer.start(file); RawClient c = s.raw()) {
            assertEquals("$1\r\nv\r\n", c.call("GET", "k"));
            String text = latestOptions(dir.resolve("db"));
            assertEquals("8388608", option(text, "CFOptions \"default\"", "write_buffer_size"));
            assertEquals("6", option(text, "DBOptions", "max_background_jobs"));
        }
    }
}
