package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.ConfigFileServer;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NAMESPACE ADD | SET | DEL | GET as Kvrocks answers them, kept in the file (or the database) across restarts. */
class NamespaceCommandTest {
    private static final String WRONGPASS = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

    @TempDir
    Path tmp;

    private Path configFile(String extra) throws Exception {
        Path file = tmp.resolve("kvrocks.conf");
        Files.writeString(file, "# test\nport 0\ndir " + tmp.resolve("data") + "\nrequirepass adminpw\n"
                + "rocksdb.block_cache_size 16\nrocksdb.write_buffer_size 4\nlog-level warning\n" + extra);
        return file;
    }

    @Test
    void addUseDeleteAndRestartWithAConfigurationFile() throws Exception {
        Path file = configFile("namespace.old oldtoken\n");
        try (ConfigFileServer s = ConfigFileServer.start(file); RawClient admin = s.raw(); RawClient tenant = s.raw()) {
            assertEquals("+OK\r\n", admin.call("AUTH", "adminpw"));
            assertEquals("+OK\r\n", admin.call("NAMESPACE", "ADD", "ns1", "token1"));
            // Effective at once: a new AUTH with the token lands in the namespace.
            assertEquals("+OK\r\n", tenant.call("AUTH", "token1"));
            assertEquals("+OK\r\n", tenant.call("SET", "k", "in-ns1"));
            assertEquals("$-1\r\n", admin.call("GET", "k"));
            assertEquals("$6\r\ntoken1\r\n", admin.call("NAMESPACE", "GET", "ns1"));
            assertEquals("$-1\r\n", admin.call("NAMESPACE", "GET", "nope"));
            assertEquals("*6\r\n$3\r\nold\r\n$8\r\noldtoken\r\n$3\r\nns1\r\n$6\r\ntoken1\r\n"
                    + "$11\r\n__namespace\r\n$7\r\nadminpw\r\n", admin.call("NAMESPACE", "GET", "*"));
            // Kvrocks's refusals.
            assertEquals("+OK\r\n", admin.call("NAMESPACE", "ADD", "ns1", "token1"));
            assertEquals("-ERR the namespace already exists\r\n", admin.call("NAMESPACE", "ADD", "ns1", "other"));
            assertEquals("-ERR the token already exists\r\n", admin.call("NAMESPACE", "ADD", "ns2", "token1"));
            assertEquals("-ERR the token is duplicated with requirepass or masterauth\r\n",
                    admin.call("NAMESPACE", "ADD", "ns2", "adminpw"));
            assertEquals("-ERR forbidden to add the default namespace\r\n",
                    admin.call("NAMESPACE", "SET", "__namespace", "x"));
            assertEquals("-ERR forbidden to delete the default namespace\r\n",
                    admin.call("NAMESPACE", "DEL", "__namespace"));
            assertEquals("-ERR the namespace was not found\r\n", admin.call("NAMESPACE", "DEL", "nope"));
            assertEquals("-ERR NAMESPACE subcommand must be one of GET, SET, DEL, ADD\r\n",
                    admin.call("NAMESPACE", "LIST", "x"));
            assertEquals("-ERR NAMESPACE subcommand must be one of GET, SET, DEL, ADD\r\n",
                    admin.call("NAMESPACE", "ADD", "x"));
            assertEquals("-ERR size exceed limit 255\r\n", admin.call("NAMESPACE", "ADD", "n".repeat(256), "t"));
            assertEquals("-ERR admin permission required to perform the command\r\n",
                    tenant.call("NAMESPACE", "GET", "*"));
            // SET replaces the token: the old one stops working for new logins.
            assertEquals("+OK\r\n", admin.call("NAMESPACE", "SET", "ns1", "token1b"));
            try (RawClient c = s.raw()) {
                assertEquals(WRONGPASS, c.call("AUTH", "token1"));
                assertEquals("+OK\r\n", c.call("AUTH", "token1b"));
                assertEquals("$6\r\nin-ns1\r\n", c.call("GET", "k"));
            }
            assertEquals("+OK\r\n", admin.call("NAMESPACE", "DEL", "old"));
            try (RawClient c = s.raw()) {
                assertEquals(WRONGPASS, c.call("AUTH", "oldtoken"));
            }
            // The admin password cannot become a namespace's token the other way round either.
            assertTrue(admin.call("CONFIG", "SET", "requirepass", "token1b").startsWith("-ERR CONFIG SET failed"));
        }
        String text = Files.readString(file);
        assertTrue(text.contains("namespace.ns1 token1b\n"), text);
        assertFalse(text.contains("namespace.old"), text);
        assertTrue(text.startsWith("# test\n"), "comments stay: " + text);
        try (ConfigFileServer s = ConfigFileServer.start(file); RawClient c = s.raw()) {
            assertEquals("+OK\r\n", c.call("AUTH", "token1b"));
            assertEquals("$6\r\nin-ns1\r\n", c.call("GET", "k"));
            assertEquals(WRONGPASS, c.call("AUTH", "oldtoken"));
        }
    }

    @Test
    void withoutAFileNamespacesNeedReplication() {
        try (TestServer s = TestServer.start(Map.of("requirepass", "adminpw")); RawClient c = s.raw()) {
            c.call("AUTH", "adminpw");
            assertEquals("-ERR modify namespace requires the server is running with a configuration file or "
                    + "enabled namespace replication\r\n", c.call("NAMESPACE", "ADD", "ns1", "t1"));
        }
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("-ERR forbidden to add namespace when requirepass was empty\r\n",
                    c.call("NAMESPACE", "ADD", "ns1", "t1"));
        }
    }

    @Test
    void replicatedNamespacesLiveInTheDatabaseAcrossRestarts() throws Exception {
        Path dir = tmp.resolve("repl");
        Map<String, String> conf = Map.of("dir", dir.toString(), "requirepass", "adminpw", "repl-namespace-enabled", "yes");
        try (TestServer s = TestServer.start(conf); RawClient c = s.raw()) {
            c.call("AUTH", "adminpw");
            assertEquals("+OK\r\n", c.call("NAMESPACE", "ADD", "ns1", "t1"));
            assertEquals("+OK\r\n", c.call("NAMESPACE", "ADD", "ns2", "t2"));
            assertEquals("+OK\r\n", c.call("NAMESPACE", "DEL", "ns2"));
            try (RawClient t = s.raw()) {
                assertEquals("+OK\r\n", t.call("AUTH", "t1"));
                assertEquals("+OK\r\n", t.call("SET", "k", "v1"));
            }
        }
        try (TestServer s = TestServer.start(conf); RawClient c = s.raw()) {
            assertEquals("+OK\r\n", c.call("AUTH", "t1"));
            assertEquals("$2\r\nv1\r\n", c.call("GET", "k"));
            assertEquals(WRONGPASS, c.call("AUTH", "t2"));
        }
        // As in Kvrocks, tokens in the database cannot be ignored by turning replication off.
        Map<String, String> off = Map.of("dir", dir.toString(), "requirepass", "adminpw");
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> TestServer.start(off));
        assertTrue(e.getCause().getMessage().contains("cannot switch off repl_namespace_enabled"), e.getCause().getMessage());
    }
}
