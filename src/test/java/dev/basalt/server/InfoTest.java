package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.ConfigFileServer;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import dev.basalt.testutil.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** INFO: sections, their order and format, and the counters behind them. */
class InfoTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    /** The INFO text of a RESP2 bulk reply, checking the length header. */
    private static String text(String reply) {
        int nl = reply.indexOf("\r\n");
        assertTrue(reply.startsWith("$"), reply);
        String body = reply.substring(nl + 2, reply.length() - 2);
        assertEquals(Integer.parseInt(reply.substring(1, nl)), body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        return body;
    }

    private static List<String> headings(String info) {
        List<String> h = new ArrayList<>();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("# ") && !line.startsWith("# WARN: ") && !line.startsWith("# Last DBSIZE")) {
                h.add(line.substring(2));
            }
        }
        return h;
    }

    private static Map<String, String> fields(String info) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return m;
    }

    private static final List<String> DEFAULT = List.of("Server", "Clients", "Memory", "Persistence", "Stats",
            "Replication", "CPU", "Errorstats", "Cluster", "Keyspace");

    @Test
    void defaultSections() {
        try (RawClient c = server.raw()) {
            String info = text(c.call("INFO"));
            assertEquals(DEFAULT, headings(info));
            assertTrue(info.startsWith("# Server\r\nredis_version:7.0.0\r\n"), info);
            assertTrue(info.contains("\r\n\r\n# Clients\r\n"), "sections are separated by an empty line");
            assertTrue(info.contains("\r\n\r\n# Keyspace\r\n# WARN: DBSIZE SCAN never performed yet\r\ndb0:keys="), info);
            assertEquals(DEFAULT, headings(text(c.call("INFO", "default"))));
        }
    }

    @Test
    void allAndEverythingAddCommandstats() {
        try (RawClient c = server.raw()) {
            List<String> all = new ArrayList<>(DEFAULT);
            all.add(all.indexOf("Errorstats"), "Commandstats");
            all.add("RocksDB");
            assertEquals(all, headings(text(c.call("INFO", "all"))));
            assertEquals(all, headings(text(c.call("INFO", "EVERYTHING"))));
        }
    }

    @Test
    void chosenSectionsComeInRedisOrderAndUnknownOnesAreEmpty() {
        try (RawClient c = server.raw()) {
            assertEquals(List.of("CPU", "Keyspace"), headings(text(c.call("INFO", "keyspace", "CPU", "nosuch"))));
            assertEquals("$0\r\n\r\n", c.call("INFO", "nosuch"));
            assertTrue(c.call("INFO", "keyspace").contains("\r\n# Keyspace\r\n# WARN: DBSIZE SCAN never performed yet\r\n"
                    + "db0:keys="), "Kvrocks's keyspace section, even for an empty namespace");
        }
    }

    @Test
    void serverSection() {
        try (RawClient c = server.raw()) {
            Map<String, String> f = fields(text(c.call("INFO", "server")));
            assertEquals("7.0.0", f.get("redis_version"));
            assertEquals(dev.basalt.util.Version.VERSION, f.get("basalt_version"));
            assertEquals("standalone", f.get("redis_mode"));
            assertEquals(Long.toString(ProcessHandle.current().pid()), f.get("process_id"));
            assertEquals(Integer.toString(server.port()), f.get("tcp_port"));
            assertTrue(f.get("run_id").matches("[0-9a-f]{40}"), f.get("run_id"));
            assertTrue(f.get("arch_bits").matches("32|64"));
            assertTrue(Long.parseLong(f.get("uptime_in_seconds")) >= 0);
            assertEquals("0", f.get("uptime_in_days"));
            assertTrue(f.containsKey("os") && f.containsKey("executable") && f.containsKey("config_file"), f.toString());
        }
    }

    @Test
    void configFileIsTheFileTheServerStartedFrom() throws Exception {
        try (RawClient c = server.raw()) {
            assertEquals("", fields(text(c.call("INFO", "server"))).get("config_file"));
        }
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("basalt-info");
        try {
            java.nio.file.Path conf = dir.resolve("kvrocks.conf");
            java.nio.file.Files.writeString(conf, "port 0\ndir " + dir.resolve("data") + "\n");
            try (ConfigFileServer s = ConfigFileServer.start(conf); RawClient c = s.raw()) {
                assertEquals(conf.toAbsolutePath().toString(), fields(text(c.call("INFO", "server"))).get("config_file"));
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }

    @Test
    void clientsSection() {
        try (RawClient c = server.raw(); RawClient other = server.raw()) {
            other.call("PING");
            Map<String, String> f = fields(text(c.call("INFO", "clients")));
            assertEquals(Integer.toString(server.server().clients().count()), f.get("connected_clients"));
            assertTrue(Integer.parseInt(f.get("connected_clients")) >= 2);
            assertEquals("10000", f.get("maxclients"));
            assertEquals("0", f.get("blocked_clients"));
        }
    }

    @Test
    void memoryPersistenceReplicationCpuCluster() {
        try (RawClient c = server.raw()) {
            Map<String, String> f = fields(text(c.call("INFO", "memory", "persistence", "replication", "cpu", "cluster")));
            assertTrue(Long.parseLong(f.get("used_memory")) > 0);
            assertTrue(f.get("used_memory_human").matches("\\d+(\\.\\d\\d[KMGTP]|B)"), f.get("used_memory_human"));
            if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/status"))) {
                assertTrue(Long.parseLong(f.get("used_memory_rss")) > 0);
            }
            assertEquals("0", f.get("maxmemory"));
            assertEquals("0", f.get("loading"));
            assertEquals("master", f.get("role"));
            assertEquals("0", f.get("connected_slaves"));
            assertTrue(f.get("master_replid").matches("[0-9a-f]{40}"));
            assertEquals("0", f.get("master_repl_offset"));
            assertTrue(f.get("used_cpu_user").matches("\\d+\\.\\d{6}"), f.get("used_cpu_user"));
            assertTrue(f.get("used_cpu_sys").matches("\\d+\\.\\d{6}"), f.get("used_cpu_sys"));
            assertEquals("0", f.get("cluster_enabled"));
        }
    }

    @Test
    void statsCountConnectionsCommandsBytesAndTransactions() {
        try (RawClient c = server.raw()) {
            Map<String, String> before = fields(text(c.call("INFO", "stats")));
            for (String k : List.of("total_connections_received", "total_commands_processed", "instantaneous_ops_per_sec",
                    "total_net_input_bytes", "total_net_output_bytes", "rejected_connections", "expired_keys",
                    "keyspace_hits", "keyspace_misses", "txn_committed", "txn_aborted", "write_failures")) {
                assertTrue(before.containsKey(k), k);
            }
            c.call("PING");
            assertEquals("+OK\r\n", c.call("MULTI"));
            c.call("PING");
            assertEquals("*1\r\n+PONG\r\n", c.call("EXEC"));
            c.call("MULTI");
            c.call("NOSUCHCOMMAND");
            assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", c.call("EXEC"));
            try (RawClient another = server.raw()) {
                another.call("PING");
            }
            Map<String, String> after = fields(text(c.call("INFO", "stats")));
            assertEquals(1, delta(before, after, "txn_committed"));
            assertEquals(1, delta(before, after, "txn_aborted"));
            assertTrue(delta(before, after, "total_commands_processed") >= 8);
            assertTrue(delta(before, after, "total_connections_received") >= 1);
            assertTrue(delta(before, after, "total_net_input_bytes") > 0);
            assertTrue(delta(before, after, "total_net_output_bytes") > 0);
        }
    }

    private static long delta(Map<String, String> before, Map<String, String> after, String key) {
        return Long.parseLong(after.get(key)) - Long.parseLong(before.get(key));
    }

    @Test
    void commandstatsUseFullNamesAndCountFailuresAndRejections() {
        try (TestServer fresh = TestServer.start(); RawClient c = fresh.raw()) {
            c.call("PING");
            c.call("PING");
            c.call("CLIENT", "ID");
            c.call("CLIENT", "SETNAME", "a b"); // fails in the handler
            c.call("CLIENT", "SETNAME"); // wrong arity: rejected
            c.call("CLIENT", "NOSUCH"); // unknown subcommand: counted nowhere, as in Redis
            String stats = text(c.call("INFO", "commandstats"));
            assertTrue(stats.startsWith("# Commandstats\r\n"), stats);
            assertTrue(stats.matches("(?s).*\r\ncmdstat_ping:calls=2,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=0,"
                    + "failed_calls=0\r\n.*"), stats);
            assertTrue(stats.contains("\r\ncmdstat_client|id:calls=1,"), stats);
            assertTrue(stats.matches("(?s).*\r\ncmdstat_client\\|setname:calls=1,usec=\\d+,usec_per_call=[0-9.]+,"
                    + "rejected_calls=1,failed_calls=1\r\n.*"), stats);
            assertFalse(stats.contains("cmdstat_client:"), stats);
            assertFalse(stats.contains("cmdstat_info:"), "INFO itself is counted once it has run: " + stats);
        }
    }

    @Test
    void resp3AnswersAVerbatimString() {
        try (RawClient c = server.raw()) {
            c.call("HELLO", "3");
            String reply = c.call("INFO", "server");
            assertTrue(reply.startsWith("="), reply);
            int nl = reply.indexOf("\r\n");
            String body = reply.substring(nl + 2, reply.length() - 2);
            assertEquals(Integer.parseInt(reply.substring(1, nl)), body.length());
            assertTrue(body.startsWith("txt:# Server\r\nredis_version:7.0.0\r\n"), body);
        }
    }

    @Test
    void keyspaceCountsLiveKeysAndExpiries() {
        try (TestServer own = TestServer.start(); RawClient c = own.raw()) {
            c.call("SET", "a", "1");
            c.call("SET", "b", "1", "EX", "1000");
            c.call("HSET", "h", "f", "v");
            c.call("SET", "gone", "1", "PX", "1");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            String before = text(c.call("INFO", "keyspace"));
            // Keys from the counts kept at commit time (as DBSIZE: an expired key counts until removed), the rest
            // from the last DBSIZE SCAN, as Kvrocks reports them.
            assertTrue(before.startsWith("# Keyspace\r\n# WARN: DBSIZE SCAN never performed yet\r\n"
                    + "db0:keys=4,expires=0,avg_ttl=0,expired=0\r\nsequence:"), before.replace("\r\n", "|"));
            assertEquals("+OK\r\n", c.call("DBSIZE", "SCAN"));
            dev.basalt.testutil.Await.until("DBSIZE SCAN finishes", () -> own.server().jobs().lastScan("__namespace") != null);
            String ks = text(c.call("INFO", "keyspace"));
            assertTrue(ks.matches("# Keyspace\r\n# Last DBSIZE SCAN time: [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\\d "
                    + "\\d\\d:\\d\\d:\\d\\d \\d{4}\r\ndb0:keys=4,expires=1,avg_ttl=(999|1000),expired=1\r\n"
                    + "sequence:\\d+\r\nused_db_size:\\d+\r\nmax_db_size:0\r\nused_percent: 0%\r\n"
                    + "disk_capacity:\\d+\r\nused_disk_size:\\d+\r\nused_disk_percent: [0-9.]+%\r\n"), ks.replace("\r\n", "|"));
        }
    }

    @Test
    void statsCountCommittedAndAbortedTransactions() {
        try (TestServer own = TestServer.start(); RawClient c = own.raw(); RawClient other = own.raw()) {
            c.call("MULTI");
            c.call("SET", "a", "1");
            c.call("EXEC");
            c.call("WATCH", "w");
            other.call("SET", "w", "1");
            c.call("MULTI");
            c.call("SET", "a", "2");
            c.call("EXEC");
            c.call("MULTI");
            c.call("NOSUCHCOMMAND");
            c.call("EXEC");
            c.call("DEBUG", "FAIL-WRITES", "on");
            c.call("MULTI");
            c.call("SET", "a", "3");
            c.call("EXEC");
            c.call("DEBUG", "FAIL-WRITES", "off");
            String stats = text(c.call("INFO", "stats"));
            assertTrue(stats.contains("\r\ntxn_committed:1\r\n"), stats);
            assertTrue(stats.contains("\r\ntxn_aborted:3\r\n"), stats);
            assertTrue(stats.contains("\r\nwrite_failures:1\r\n"), stats);
        }
    }
}
