package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** DBSIZE SCAN, DISK/MEMORY USAGE, STATS, ROLE and INFO rocksdb. */
class InsightTest {
    private static Map<String, String> info(RawClient c, String section) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : c.call("INFO", section).split("\r\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && !line.startsWith("$") && colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return m;
    }

    private static long integer(String reply) {
        assertTrue(reply.startsWith(":"), reply);
        return Long.parseLong(reply.substring(1).trim());
    }

    @Test
    void dbsizeScanDiskUsageStatsRole() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            String value = "x".repeat(100);
            for (int i = 0; i < 2000; i++) {
                c.call("HSET", "big", "field" + i, value);
            }
            c.call("SET", "small", "v");
            assertEquals(":2\r\n", c.call("DBSIZE"));
            assertEquals("-ERR DBSIZE subcommand only supports scan\r\n", c.call("DBSIZE", "COUNT"));
            assertEquals("+OK\r\n", c.call("DBSIZE", "SCAN"));
            Await.until("the scan finishes", () -> s.server().jobs().lastScan("__namespace") != null);
            assertTrue(c.call("INFO", "keyspace").contains("db0:keys=2,expires=0,avg_ttl=0,expired=0\r\n"));

            long big = integer(c.call("DISK", "USAGE", "big"));
            assertTrue(big > 2000 * 100 / 4, "the hash's fields are counted: " + big);
            assertEquals(big, integer(c.call("MEMORY", "USAGE", "big")));
            assertTrue(integer(c.call("DISK", "USAGE", "small")) >= 0);
            assertEquals("$-1\r\n", c.call("DISK", "USAGE", "missing"));
            assertEquals("-ERR Unknown operation\r\n", c.call("DISK", "SIZE", "big"));

            String stats = c.call("STATS");
            assertTrue(stats.contains("\"rocksdb.block.cache.miss\":"), stats.substring(0, Math.min(200, stats.length())));
            assertTrue(stats.matches("(?s)\\$\\d+\r\n\\{.*\"rocksdb.db.get.micros\":\\[[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+,\\d+,\\d+\\].*\\}\r\n"));

            String role = c.call("ROLE");
            assertTrue(role.matches("\\*2\r\n\\$6\r\nmaster\r\n\\$\\d+\r\n\\d+\r\n"), role);
        }
    }

    @Test
    void infoRocksdbHasKvrocksFieldsAndMeasuredRates() throws Exception {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            Map<String, String> r = info(c, "rocksdb");
            for (String field : new String[] {"block_cache_usage", "block_cache_pinned_usage[default]",
                    "estimate_keys[metadata]", "estimate_keys[default]", "index_and_filter_cache_usage[zset_score]",
                    "level0_file_limit_slowdown[default]", "memtable_count_limit_stop[metadata]", "block_cache_hit",
                    "block_cache_miss", "all_mem_tables", "cur_mem_tables", "num_running_flushes",
                    "num_running_compactions", "compaction_pending", "estimate_pending_compaction_bytes",
                    "flush_count", "compaction_count", "put_per_sec", "get_per_sec", "is_bgsaving", "is_compacting"}) {
                assertTrue(r.containsKey(field), field + " in " + r.keySet());
            }
            assertEquals("no", r.get("is_bgsaving"));
            AtomicBoolean stop = new AtomicBoolean();
            Thread load = Thread.ofPlatform().start(() -> {
                try (RawClient w = s.raw()) {
                    for (int i = 0; !stop.get(); i++) {
                        w.call("SET", "k" + i, "v");
                        w.call("GET", "k" + i);
                    }
                }
            });
            try {
                Await.until("put_per_sec and get_per_sec rise under load", () -> {
                    Map<String, String> now = info(c, "rocksdb");
                    return Long.parseLong(now.get("put_per_sec")) > 0 && Long.parseLong(now.get("get_per_sec")) > 0;
                });
            } finally {
                stop.set(true);
                load.join();
            }
            assertTrue(Long.parseLong(info(c, "rocksdb").get("cur_mem_tables")) > 0);
        }
    }
}
