package dev.basalt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.ConfigFileServer;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import dev.basalt.util.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandsTest {
    @TempDir
    Path tmp;

    private static String pair(String name, String value) {
        return "$" + name.length() + "\r\n" + name + "\r\n$" + value.length() + "\r\n" + value + "\r\n";
    }

    @Test
    void getReturnsEachMatchingNameOnce() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("*2\r\n" + pair("maxclients", "10000"), c.call("CONFIG", "GET", "maxclients"));
            assertEquals("*4\r\n" + pair("maxclients", "10000") + pair("timeout", "0"),
                    c.call("config", "get", "maxclients", "maxc*", "timeout", "MAXCLIENTS"));
            // Redis names a literal pattern's directive as the client wrote it.
            assertEquals("*2\r\n" + pair("TimeOut", "0"), c.call("CONFIG", "GET", "TimeOut"));
            assertEquals("*4\r\n" + pair("rocksdb.write_options.sync", "no")
                    + pair("rocksdb.write_options.write_batch_max_bytes", "0"),
                    c.call("CONFIG", "GET", "ROCKSDB.write_options.[sw]*"));
            assertEquals("*0\r\n", c.call("CONFIG", "GET", "no-such-*"));
            assertEquals("-ERR wrong number of arguments for 'config|get' command\r\n", c.call("CONFIG", "GET"));
            String all = c.call("CONFIG", "GET", "*");
            assertTrue(all.startsWith("*" + 2 * (ConfigSchema.all().size() + RedisParameters.all().size()) + "\r\n"),
                    all.substring(0, 10));
            c.call("HELLO", "3");
            assertEquals("%2\r\n" + pair("maxclients", "10000") + pair("timeout", "0"),
                    c.call("CONFIG", "GET", "maxclients", "timeout"));
        }
    }

    @Test
    void setChangesSeveralAtOnce() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxclients", "500", "TIMEOUT", "30",
                    "proto-max-bulk-len", "2mb"));
            assertEquals("*6\r\n" + pair("maxclients", "500") + pair("timeout", "30")
                    + pair("proto-max-bulk-len", "2097152"),
                    c.call("CONFIG", "GET", "maxclients", "timeout", "proto-max-bulk-len"));
            assertEquals(500, s.server().config().getInt("maxclients"));
        }
    }

    @Test
    void setErrorsUseRedisWordingAndChangeNothing() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("-ERR Unknown option or number of arguments for CONFIG SET - 'no-such'\r\n",
                    c.call("CONFIG", "SET", "no-such", "1"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'Port') - can't set immutable config\r\n",
                    c.call("CONFIG", "SET", "Port", "1"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'rocksdb.write_options.sync') - can't set"
                    + " immutable config\r\n", c.call("CONFIG", "SET", "rocksdb.write_options.sync", "yes"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'TIMEOUT') - duplicate parameter\r\n",
                    c.call("CONFIG", "SET", "timeout", "1", "TIMEOUT", "2"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be"
                    + " parsed into an integer\r\n", c.call("CONFIG", "SET", "timeout", "5", "MaxClients", "x"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be between 0"
                    + " and 2147483647 inclusive\r\n", c.call("CONFIG", "SET", "timeout", "-1"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'log-level') - argument(s) must be one"
                    + " of the following: debug, info, warning, error, fatal\r\n",
                    c.call("CONFIG", "SET", "log-level", "verbose"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'redis-cursor-compatible') - argument"
                    + " must be 'yes' or 'no'\r\n", c.call("CONFIG", "SET", "redis-cursor-compatible", "1"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must"
                    + " be a memory value\r\n", c.call("CONFIG", "SET", "proto-max-bulk-len", "big"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must"
                    + " be between 1048576 and 9223372036854775807 inclusive\r\n",
                    c.call("CONFIG", "SET", "proto-max-bulk-len", "1000"));
            assertEquals("-ERR syntax error\r\n", c.call("CONFIG", "SET", "timeout", "1", "maxclients"));
            assertEquals("-ERR wrong number of arguments for 'config|set' command\r\n",
                    c.call("CONFIG", "SET", "timeout"));
            assertEquals("*4\r\n" + pair("timeout", "0") + pair("maxclients", "10000"),
                    c.call("CONFIG", "GET", "timeout", "maxclients"));
        }
    }

    @Test
    void requirepassTakesEffectForNewConnections() {
        try (TestServer s = TestServer.start(); RawClient admin = s.raw()) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "requirepass", "s3cret"));
            try (RawClient c = s.raw()) {
                assertEquals("-NOAUTH Authentication required.\r\n", c.call("ECHO", "k"));
                assertEquals("+OK\r\n", c.call("AUTH", "s3cret"));
                assertEquals("$1\r\nk\r\n", c.call("ECHO", "k"));
            }
            // The connection that set it stays authenticated, as in Redis.
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "requirepass", ""));
            try (RawClient c = s.raw()) {
                assertEquals("$1\r\nk\r\n", c.call("ECHO", "k"));
            }
        }
    }

    @Test
    void maxclientsTakesEffectOnTheNextAccept() {
        try (TestServer s = TestServer.start(); RawClient admin = s.raw()) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "maxclients", "1"));
            try (RawClient c = s.raw()) {
                assertEquals("-ERR max number of clients reached\r\n", c.readReply());
            }
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "maxclients", "10"));
            try (RawClient c = s.raw()) {
                assertEquals("+PONG\r\n", c.call("PING"));
            }
        }
    }

    @Test
    void timeoutAndBulkLimitTakeEffect() {
        try (TestServer s = TestServer.start(); RawClient admin = s.raw()) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "proto-max-bulk-len", "1mb"));
            try (RawClient c = s.raw()) {
                c.send("*2\r\n$4\r\nECHO\r\n$2000000\r\n");
                assertTrue(c.readReply().startsWith("-ERR Protocol error"));
            }
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "timeout", "1"));
            try (RawClient idle = s.raw()) {
                assertTrue(idle.isClosedByServer());
            }
        }
    }

    @Test
    void logLevelReachesTheLogger() throws Exception {
        Path logDir = tmp.resolve("logs");
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            Log.setDirectory(logDir.toString());
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "log-level", "error"));
            Log.warn("probe-hidden");
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "log-level", "DEBUG"));
            Log.debug("probe-shown");
            assertEquals("*2\r\n" + pair("log-level", "debug"), c.call("CONFIG", "GET", "log-level"));
        } finally {
            Log.setDirectory("stdout");
            Log.setLevel("warning");
        }
        String log = Files.readString(logDir.resolve("basalt.log"));
        assertFalse(log.contains("probe-hidden"), log);
        assertTrue(log.contains("probe-shown"), log);
    }

    @Test
    void resetstatZeroesTheCounters() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            c.call("PING");
            assertTrue(s.server().stats().commandsProcessed.sum() > 0);
            assertEquals("+OK\r\n", c.call("CONFIG", "RESETSTAT"));
            assertEquals(0, s.server().stats().commandsProcessed.sum()); // RESETSTAT counted itself before resetting
            assertEquals(0, s.server().stats().connectionsReceived.sum());
            assertEquals("-ERR wrong number of arguments for 'config|resetstat' command\r\n",
                    c.call("CONFIG", "RESETSTAT", "x"));
        }
    }

    @Test
    void helpAndUnknownSubcommands() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("*11\r\n"
                    + "+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                    + "+GET <pattern>\r\n"
                    + "+    Return parameters matching the glob-like <pattern> and their values.\r\n"
                    + "+SET <directive> <value>\r\n"
                    + "+    Set the configuration <directive> to <value>.\r\n"
                    + "+RESETSTAT\r\n"
                    + "+    Reset statistics reported by the INFO command.\r\n"
                    + "+REWRITE\r\n"
                    + "+    Rewrite the configuration file.\r\n"
                    + "+HELP\r\n"
                    + "+    Prints this help.\r\n", c.call("CONFIG", "HELP"));
            assertEquals("-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n", c.call("CONFIG", "foo"));
            assertEquals("-ERR wrong number of arguments for 'config' command\r\n", c.call("CONFIG"));
        }
    }

    @Test
    void rewriteWithoutAFileIsAnError() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("-ERR The server is running without a config file\r\n", c.call("CONFIG", "REWRITE"));
        }
    }

    @Test
    void rewriteKeepsCommentsAndUnknownLines() throws Exception {
        Path conf = tmp.resolve("kvrocks.conf");
        String dir = tmp.resolve("data").toString();
        Files.writeString(conf, "# Test server\n"
                + "port 0\n"
                + "dir " + dir + "\n"
                + "\n"
                + "# limits\n"
                + "maxclients 100   # not too many\n"
                + "rocksdb.block_cache_size 16\n"
                + "rocksdb.write_buffer_size 4\n"
                + "log-level warning\n"
                + "tomorrows-directive yes\n");
        try (ConfigFileServer s = ConfigFileServer.start(conf); RawClient c = s.raw()) {
            assertEquals(1, s.warnings().size(), s.warnings().toString());
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxclients", "200", "timeout", "60"));
            assertEquals("+OK\r\n", c.call("CONFIG", "REWRITE"));
            assertEquals("-ERR wrong number of arguments for 'config|rewrite' command\r\n",
                    c.call("CONFIG", "REWRITE", "now"));
        }
        assertEquals("# Test server\n"
                + "port 0\n"
                + "dir " + dir + "\n"
                + "\n"
                + "# limits\n"
                + "maxclients 200\n"
                + "rocksdb.block_cache_size 16\n"
                + "rocksdb.write_buffer_size 4\n"
                + "log-level warning\n"
                + "tomorrows-directive yes\n"
                + "timeout 60\n", Files.readString(conf));
        try (ConfigFileServer s = ConfigFileServer.start(conf, Map.of("port", "0")); RawClient c = s.raw()) {
            assertEquals("*4\r\n" + pair("maxclients", "200") + pair("timeout", "60"),
                    c.call("CONFIG", "GET", "maxclients", "timeout"));
        }
    }
}
