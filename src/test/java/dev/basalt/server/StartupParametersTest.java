package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What clients and monitoring tools read at start-up: Redis parameters in CONFIG GET, and INFO's fields. */
class StartupParametersTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static Map<String, String> info(RawClient c, String section) {
        String reply = c.call("INFO", section);
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : reply.split("\r\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && !line.startsWith("$") && colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return m;
    }

    @Test
    void configGetAnswersRedisParametersWithBasaltsValues() {
        try (RawClient c = server.raw()) {
            assertEquals("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", c.call("CONFIG", "GET", "maxmemory"));
            assertEquals("*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n", c.call("CONFIG", "GET", "maxmemory-policy"));
            assertEquals("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", c.call("CONFIG", "GET", "save"));
            assertEquals("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n", c.call("CONFIG", "GET", "appendonly"));
            assertEquals("*2\r\n$9\r\ndatabases\r\n$1\r\n1\r\n", c.call("CONFIG", "GET", "databases"));
            assertEquals("*2\r\n$2\r\nhz\r\n$2\r\n10\r\n", c.call("CONFIG", "GET", "hz"));
            assertEquals("*2\r\n$14\r\nlua-time-limit\r\n$4\r\n5000\r\n", c.call("CONFIG", "GET", "lua-time-limit"));
            // Several at once, and through a pattern, each once.
            assertEquals("*4\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n",
                    c.call("CONFIG", "GET", "maxmemory*"));
            assertEquals("*4\r\n$9\r\ndatabases\r\n$1\r\n1\r\n$4\r\nsave\r\n$0\r\n\r\n",
                    c.call("CONFIG", "GET", "databases", "save", "sav?"));
            assertTrue(c.call("CONFIG", "GET", "*").contains("$9\r\nmaxmemory\r\n$1\r\n0\r\n"));
        }
    }

    @Test
    void configSetOfARedisParameterSaysWhyNot() {
        try (RawClient c = server.raw()) {
            String reply = c.call("CONFIG", "SET", "maxmemory", "100mb");
            assertTrue(reply.startsWith("-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - not supported: "),
                    reply);
            assertTrue(c.call("CONFIG", "SET", "appendonly", "yes").contains("append-only"));
            assertEquals("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", c.call("CONFIG", "GET", "maxmemory"));
            assertEquals("-ERR Unknown option or number of arguments for CONFIG SET - 'no-such-thing'\r\n",
                    c.call("CONFIG", "SET", "no-such-thing", "1"));
        }
    }

    @Test
    void infoCarriesTheFieldsMonitoringToolsRead() {
        try (RawClient c = server.raw()) {
            Map<String, String> persistence = info(c, "persistence");
            assertEquals("0", persistence.get("aof_enabled"));
            assertTrue(Long.parseLong(persistence.get("rdb_last_save_time")) > 0);
            assertTrue(Long.parseLong(persistence.get("rdb_changes_since_last_save")) >= 0);
            Map<String, String> memory = info(c, "memory");
            assertTrue(Long.parseLong(memory.get("used_memory_peak")) >= Long.parseLong(memory.get("used_memory")));
            assertTrue(Double.parseDouble(memory.get("mem_fragmentation_ratio")) > 0);
            assertEquals("10", info(c, "server").get("hz"));
        }
    }

    @Test
    void errorRepliesAreCountedByCode() {
        try (RawClient c = server.raw()) {
            long before = Long.parseLong(info(c, "stats").get("total_error_replies"));
            Map<String, String> errors = info(c, "errorstats");
            long wrongTypeBefore = errors.containsKey("errorstat_WRONGTYPE")
                    ? Long.parseLong(errors.get("errorstat_WRONGTYPE").substring("count=".length())) : 0;
            c.call("SET", "errorstats-string", "v");
            assertTrue(c.call("LPUSH", "errorstats-string", "x").startsWith("-WRONGTYPE"));
            assertTrue(c.call("NO-SUCH-COMMAND").startsWith("-ERR unknown command"));
            assertEquals(before + 2, Long.parseLong(info(c, "stats").get("total_error_replies")));
            assertEquals("count=" + (wrongTypeBefore + 1), info(c, "errorstats").get("errorstat_WRONGTYPE"));
            assertTrue(c.call("INFO", "errorstats").contains("# Errorstats\r\n"));
        }
    }

    @Test
    void instantaneousOpsPerSecondIsMeasured() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = Thread.ofPlatform().start(() -> {
            try (RawClient c = server.raw()) {
                while (!stop.get()) {
                    c.call("PING");
                }
            }
        });
        try (RawClient c = server.raw()) {
            Await.until("instantaneous_ops_per_sec rises above 0 under load",
                    () -> Long.parseLong(info(c, "stats").get("instantaneous_ops_per_sec")) > 0);
            Await.until("instantaneous_input_kbps rises above 0 under load",
                    () -> Double.parseDouble(info(c, "stats").get("instantaneous_input_kbps")) > 0);
        } finally {
            stop.set(true);
            load.join();
        }
    }
}
