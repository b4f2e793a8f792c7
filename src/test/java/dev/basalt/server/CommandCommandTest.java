package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.command.CommandSpec;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.CommandListFilterByParams;
import redis.clients.jedis.resps.CommandDocument;
import redis.clients.jedis.resps.CommandInfo;

/** COMMAND and its subcommands: Redis 7 reply shapes, everything taken from the command table. */
class CommandCommandTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    /** COMMAND INFO client|id as redis-server 7.0 answers it, byte for byte. */
    private static final String CLIENT_ID_INFO = "*10\r\n$9\r\nclient|id\r\n:2\r\n*3\r\n+noscript\r\n+loading\r\n"
            + "+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n";
    /** COMMAND INFO watch: its key spec is derived from first/last/step (Redis adds an allow_busy flag). */
    private static final String WATCH_INFO = "*10\r\n$5\r\nwatch\r\n:-2\r\n*4\r\n+noscript\r\n+loading\r\n+stale\r\n"
            + "+fast\r\n:1\r\n:-1\r\n:1\r\n*2\r\n+@fast\r\n+@transaction\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+RO\r\n"
            + "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
            + "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:-1\r\n"
            + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";

    private static int topLevelCount() {
        return server.server().commands().size();
    }

    @Test
    void countIsTheNumberOfTopLevelCommands() {
        try (RawClient c = server.raw()) {
            assertEquals(":" + topLevelCount() + "\r\n", c.call("COMMAND", "COUNT"));
            assertEquals("-ERR wrong number of arguments for 'command|count' command\r\n", c.call("COMMAND", "COUNT", "x"));
        }
    }

    @Test
    void infoMatchesRedisBytes() {
        try (RawClient c = server.raw()) {
            assertEquals("*1\r\n" + CLIENT_ID_INFO, c.call("COMMAND", "INFO", "client|id"));
            assertEquals("*3\r\n" + WATCH_INFO + "$-1\r\n" + CLIENT_ID_INFO,
                    c.call("COMMAND", "INFO", "WATCH", "nosuchcommand", "CLIENT|ID"));
        }
    }

    @Test
    void infoInResp3UsesSetsAndMaps() {
        try (RawClient c = server.raw()) {
            c.call("HELLO", "3");
            assertEquals("*2\r\n*10\r\n$9\r\nclient|id\r\n:2\r\n~3\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
                    + "~2\r\n+@slow\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n_\r\n", c.call("COMMAND", "INFO", "client|id", "nope"));
            String watch = c.call("COMMAND", "INFO", "watch");
            assertTrue(watch.contains("~1\r\n%3\r\n$5\r\nflags\r\n~1\r\n+RO\r\n$12\r\nbegin_search\r\n%2\r\n"), watch);
        }
    }

    @Test
    void containerEntriesListTheirSubcommands() {
        try (RawClient c = server.raw()) {
            String client = c.call("COMMAND", "INFO", "client");
            int subs = server.server().commands().get("client").subcommands().size();
            assertTrue(client.startsWith("*1\r\n*10\r\n$6\r\nclient\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*"
                    + subs + "\r\n*10\r\n$9\r\nclient|id\r\n"), client);
        }
    }

    @Test
    void everyCommandParsesWithJedisAndMatchesTheTable() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            Map<String, CommandInfo> all = j.command();
            assertEquals(topLevelCount(), all.size());
            for (CommandSpec spec : server.server().commands().all()) {
                CommandInfo info = all.get(spec.name());
                assertNotNull(info, spec.name());
                assertEquals(spec.arity(), info.getArity(), spec.name());
                assertEquals(spec.firstKey(), info.getFirstKey(), spec.name());
                assertEquals(spec.lastKey(), info.getLastKey(), spec.name());
                assertEquals(spec.keyStep(), info.getStep(), spec.name());
                assertFalse(info.getAclCategories().isEmpty(), spec.name());
                assertEquals(spec.subcommands().keySet().stream().map(s -> spec.name() + "|" + s).sorted().toList(),
                        info.getSubcommands().keySet().stream().sorted().toList(), spec.name());
            }
            // COMMAND INFO without names is COMMAND.
            assertEquals(all.keySet(), j.commandInfo().keySet());
            assertEquals(List.of("admin", "noscript", "loading", "stale"), j.commandInfo("client|kill").get("client|kill").getFlags());
        }
    }

    @Test
    void listNamesCommandsAndSubcommands() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            List<String> names = j.commandList();
            int expected = 0;
            for (CommandSpec spec : server.server().commands().all()) {
                expected += 1 + spec.subcommands().size();
            }
            assertEquals(expected, names.size());
            assertTrue(names.containsAll(List.of("ping", "client", "client|kill", "command|docs", "info")));
            List<String> clientSubs = j.commandListFilterBy(CommandListFilterByParams.commandListFilterByParams()
                    .filterByPattern("CLIENT|*"));
            assertEquals(server.server().commands().get("client").subcommands().size(), clientSubs.size());
            assertTrue(clientSubs.stream().allMatch(n -> n.startsWith("client|")), clientSubs.toString());
            List<String> connection = j.commandListFilterBy(CommandListFilterByParams.commandListFilterByParams()
                    .filterByAclCat("connection"));
            assertTrue(connection.containsAll(List.of("ping", "echo", "client|id")), connection.toString());
            assertFalse(connection.contains("client"), "containers carry no group category, as in Redis");
            assertFalse(connection.contains("info"));
        }
        try (RawClient c = server.raw()) {
            assertEquals("*0\r\n", c.call("COMMAND", "LIST", "FILTERBY", "MODULE", "x"));
            assertEquals("*0\r\n", c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcategory"));
            assertEquals("*1\r\n$4\r\nping\r\n", c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "pin?"));
            assertEquals("-ERR syntax error\r\n", c.call("COMMAND", "LIST", "FILTERBY", "NAME", "x"));
            assertEquals("-ERR syntax error\r\n", c.call("COMMAND", "LIST", "FILTERBY", "PATTERN"));
            assertEquals("-ERR syntax error\r\n", c.call("COMMAND", "LIST", "x"));
        }
    }

    @Test
    void getKeysFromTheKeySpec() {
        try (RawClient c = server.raw()) {
            assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", c.call("COMMAND", "GETKEYS", "WATCH", "a", "b"));
            assertEquals("-ERR Invalid command specified\r\n", c.call("COMMAND", "GETKEYS", "nosuch", "a"));
            assertEquals("-ERR Invalid command specified\r\n", c.call("COMMAND", "GETKEYS", "client", "nosuch"));
            assertEquals("-ERR The command has no key arguments\r\n", c.call("COMMAND", "GETKEYS", "ECHO", "a"));
            assertEquals("-ERR The command has no key arguments\r\n", c.call("COMMAND", "GETKEYS", "CLIENT", "KILL", "x"));
            assertEquals("-ERR wrong number of arguments for 'command|getkeys' command\r\n",
                    c.call("COMMAND", "GETKEYS", "WATCH"));
        }
        try (RawClient c = server.raw()) {
            assertEquals("*1\r\n$1\r\nk\r\n", c.call("COMMAND", "GETKEYS", "GET", "k"));
            assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", c.call("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"));
            assertEquals("-ERR Invalid number of arguments specified for command\r\n",
                    c.call("COMMAND", "GETKEYS", "GET", "a", "b"));
            assertEquals("-ERR Invalid number of arguments specified for command\r\n",
                    c.call("COMMAND", "GETKEYS", "SET", "a"));
        }
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertEquals(List.of("k1", "k2", "k3"), j.commandGetKeys("watch", "k1", "k2", "k3"));
        }
    }

    @Test
    void docsAreAMapAndLeaveOutUnknownNames() {
        try (RawClient c = server.raw()) {
            CommandSpec ping = server.server().commands().get("ping");
            String summary = ping.summary();
            assertEquals("*2\r\n$4\r\nping\r\n*6\r\n$7\r\nsummary\r\n$" + summary.length() + "\r\n" + summary + "\r\n"
                    + "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$10\r\nconnection\r\n", c.call("COMMAND", "DOCS", "ping", "nope"));
            assertEquals("*0\r\n", c.call("COMMAND", "DOCS", "nope"));
            assertTrue(c.call("COMMAND", "DOCS").startsWith("*" + 2 * topLevelCount() + "\r\n"));
            c.call("HELLO", "3");
            assertTrue(c.call("COMMAND", "DOCS", "ping").startsWith("%1\r\n$4\r\nping\r\n%3\r\n$7\r\nsummary\r\n"));
            assertTrue(c.call("COMMAND", "DOCS").startsWith("%" + topLevelCount() + "\r\n"));
        }
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            Map<String, CommandDocument> docs = j.commandDocs("client", "info");
            assertEquals("connection", docs.get("client").getGroup());
            assertEquals("server", docs.get("info").getGroup());
            assertEquals("7.2.0", j.commandDocs("client|setinfo").get("client|setinfo").getSince());
            assertNull(j.commandDocs("nope").get("nope"));
        }
    }

    @Test
    void helpAndUnknownSubcommands() {
        try (RawClient c = server.raw()) {
            String help = c.call("COMMAND", "HELP");
            assertTrue(help.startsWith("*15\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), help);
            assertTrue(help.endsWith("+HELP\r\n+    Prints this help.\r\n"), help);
            assertEquals("-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n", c.call("COMMAND", "FOO"));
        }
    }

    @Test
    void commandWithoutArgumentsDescribesEveryCommand() {
        try (RawClient c = server.raw()) {
            String all = c.call("COMMAND");
            assertTrue(all.startsWith("*" + topLevelCount() + "\r\n*10\r\n"), all.substring(0, 40));
            assertTrue(all.contains(CLIENT_ID_INFO));
            assertTrue(all.contains(WATCH_INFO));
        }
    }
}
