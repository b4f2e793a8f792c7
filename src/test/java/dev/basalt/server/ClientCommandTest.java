package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientAttributeOption;

/** CLIENT subcommands: ids, names, the CLIENT LIST line, KILL in both forms, REPLY, SETINFO. */
class ClientCommandTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    /** A CLIENT LIST line in Redis 7's field order (plus 7.2's lib-name/lib-ver). */
    private static final Pattern LINE = Pattern.compile("id=\\d+ addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:\\d+ fd=\\d+ "
            + "name=\\S* age=\\d+ idle=\\d+ flags=[A-Za-z]+ db=0 sub=0 psub=0 ssub=0 multi=-?\\d+ qbuf=\\d+ qbuf-free=\\d+ "
            + "argv-mem=\\d+ multi-mem=\\d+ rbs=\\d+ rbp=\\d+ obl=\\d+ oll=\\d+ omem=\\d+ tot-mem=\\d+ events=r "
            + "cmd=\\S+ user=default redir=-1 resp=[23] lib-name=\\S* lib-ver=\\S*");

    /** The text of a bulk (RESP2) or verbatim (RESP3) reply. */
    private static String text(String reply) {
        int body = reply.indexOf("\r\n") + 2;
        String s = reply.substring(body, reply.length() - 2);
        return reply.startsWith("=") ? s.substring(4) : s;
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.trim().split(" ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    private static long id(RawClient c) {
        String r = c.call("CLIENT", "ID");
        assertTrue(r.matches(":\\d+\r\n"), r);
        return Long.parseLong(r.substring(1, r.length() - 2));
    }

    private static Map<String, String> info(RawClient c) {
        return fields(text(c.call("CLIENT", "INFO")));
    }

    @Test
    void idIsUniqueAndMatchesClientInfo() {
        try (RawClient a = server.raw(); RawClient b = server.raw()) {
            long ida = id(a);
            long idb = id(b);
            assertTrue(ida != idb);
            assertEquals(Long.toString(ida), info(a).get("id"));
            assertEquals(id(a), ida);
        }
    }

    @Test
    void setnameAndGetname() {
        try (RawClient c = server.raw()) {
            assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
            assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "worker-1"));
            assertEquals("$8\r\nworker-1\r\n", c.call("CLIENT", "GETNAME"));
            assertEquals("worker-1", info(c).get("name"));
            assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                    c.call("CLIENT", "SETNAME", "a b"));
            assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                    c.call("CLIENT", "SETNAME", "a\nb"));
            assertEquals("$8\r\nworker-1\r\n", c.call("CLIENT", "GETNAME"));
            assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", ""));
            assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
            assertEquals("-ERR wrong number of arguments for 'client|setname' command\r\n", c.call("CLIENT", "SETNAME"));
        }
    }

    @Test
    void infoLineHasRedisFieldsInOrder() {
        try (RawClient c = server.raw()) {
            String reply = c.call("CLIENT", "INFO");
            String line = text(reply);
            assertTrue(line.endsWith("\n"));
            assertTrue(LINE.matcher(line.trim()).matches(), line);
            Map<String, String> f = fields(line);
            assertEquals("client|info", f.get("cmd"));
            assertEquals("N", f.get("flags"));
            assertEquals("-1", f.get("multi"));
            assertEquals("2", f.get("resp"));
            assertEquals("127.0.0.1:" + server.port(), f.get("laddr"));
            c.call("HELLO", "3");
            String resp3 = c.call("CLIENT", "INFO");
            assertTrue(resp3.startsWith("=") && resp3.contains("\r\ntxt:id="), resp3);
            assertEquals("3", fields(text(resp3)).get("resp"));
        }
    }

    @Test
    void listShowsEveryConnectionAndItsState() {
        try (RawClient a = server.raw(); RawClient b = server.raw()) {
            b.call("CLIENT", "SETNAME", "bee");
            long idb = id(b);
            assertEquals("+OK\r\n", b.call("MULTI"));
            assertEquals("+QUEUED\r\n", b.call("PING"));
            assertEquals("+QUEUED\r\n", b.call("ECHO", "x"));
            String list = text(a.call("CLIENT", "LIST"));
            Map<String, String> bee = null;
            for (String line : list.split("\n")) {
                assertTrue(LINE.matcher(line).matches(), line);
                if (line.contains(" name=bee ")) {
                    bee = fields(line);
                }
            }
            assertTrue(bee != null, list);
            assertEquals("x", bee.get("flags"));
            assertEquals("2", bee.get("multi"));
            assertEquals("echo", bee.get("cmd")); // the last command received, queued or not, as in Redis
            assertEquals(Long.toString(idb), bee.get("id"));
            String own = text(a.call("CLIENT", "LIST", "ID", Long.toString(id(a))));
            assertEquals(1, own.split("\n").length);
            assertEquals("client|list", fields(own).get("cmd"));
        }
    }

    @Test
    void listFilters() {
        try (RawClient a = server.raw(); RawClient b = server.raw()) {
            long ida = id(a);
            long idb = id(b);
            String both = text(a.call("CLIENT", "LIST", "ID", Long.toString(idb), "999999", Long.toString(ida)));
            List<String> ids = both.lines().map(l -> fields(l).get("id")).toList();
            assertEquals(List.of(Long.toString(idb), Long.toString(ida)), ids);
            assertTrue(text(a.call("CLIENT", "LIST", "TYPE", "normal")).contains("id=" + idb + " "));
            assertEquals("$0\r\n\r\n", a.call("CLIENT", "LIST", "TYPE", "pubsub"));
            assertEquals("$0\r\n\r\n", a.call("CLIENT", "LIST", "TYPE", "replica"));
            assertEquals("-ERR Unknown client type 'foo'\r\n", a.call("CLIENT", "LIST", "TYPE", "foo"));
            assertEquals("-ERR Invalid client ID\r\n", a.call("CLIENT", "LIST", "ID", "1", "abc"));
            assertEquals("-ERR Invalid client ID\r\n", a.call("CLIENT", "LIST", "ID", "0"));
            assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "LIST", "ID"));
            assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "LIST", "TYPE", "normal", "x"));
            assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "LIST", "foo"));
        }
    }

    @Test
    void setinfoRecordsTheLibrary() {
        try (RawClient c = server.raw()) {
            assertEquals("+OK\r\n", c.call("CLIENT", "SETINFO", "LIB-NAME", "mylib"));
            assertEquals("+OK\r\n", c.call("CLIENT", "SETINFO", "lib-ver", "1.2.3"));
            Map<String, String> f = info(c);
            assertEquals("mylib", f.get("lib-name"));
            assertEquals("1.2.3", f.get("lib-ver"));
            assertEquals("-ERR Unrecognized option 'lib-x'\r\n", c.call("CLIENT", "SETINFO", "lib-x", "1"));
            assertEquals("-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n",
                    c.call("CLIENT", "SETINFO", "LIB-NAME", "my lib"));
            assertEquals("+OK\r\n", c.call("CLIENT", "SETINFO", "lib-ver", ""));
            assertEquals("", info(c).get("lib-ver"));
        }
        // Jedis sends SETINFO itself on connect; its explicit call works too.
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertEquals("OK", j.clientSetInfo(ClientAttributeOption.LIB_NAME, "jedis-test"));
            assertTrue(j.clientInfo().contains(" lib-name=jedis-test "));
        }
    }

    @Test
    void killByAddressOldForm() {
        try (RawClient killer = server.raw(); RawClient victim = server.raw(); RawClient bystander = server.raw()) {
            String addr = info(victim).get("addr");
            assertEquals("+OK\r\n", killer.call("CLIENT", "KILL", addr));
            assertTrue(victim.isClosedByServer());
            assertEquals("+PONG\r\n", bystander.call("PING"));
            assertEquals("-ERR No such client\r\n", killer.call("CLIENT", "KILL", addr));
            assertEquals("-ERR No such client\r\n", killer.call("CLIENT", "KILL", "1.2.3.4:5"));
            assertEquals("+PONG\r\n", killer.call("PING"));
        }
    }

    @Test
    void killByFilters() {
        try (RawClient killer = server.raw(); RawClient v1 = server.raw(); RawClient v2 = server.raw()) {
            assertEquals(":1\r\n", killer.call("CLIENT", "KILL", "ID", Long.toString(id(v1))));
            assertTrue(v1.isClosedByServer());
            assertEquals(":0\r\n", killer.call("CLIENT", "KILL", "ID", "999999"));
            assertEquals(":1\r\n", killer.call("CLIENT", "KILL", "ADDR", info(v2).get("addr"), "TYPE", "normal"));
            assertTrue(v2.isClosedByServer());
            assertEquals(":0\r\n", killer.call("CLIENT", "KILL", "ADDR", "1.2.3.4:5"));
            assertEquals(":0\r\n", killer.call("CLIENT", "KILL", "TYPE", "pubsub"));
            assertEquals("+PONG\r\n", killer.call("PING"));
        }
        try (RawClient killer = server.raw(); RawClient v1 = server.raw(); RawClient v2 = server.raw()) {
            v1.call("PING");
            v2.call("PING");
            // Every connection shares the local address; SKIPME (default yes) spares the caller.
            int others = server.server().clients().count() - 1;
            assertEquals(":" + others + "\r\n", killer.call("CLIENT", "KILL", "LADDR", "127.0.0.1:" + server.port()));
            assertTrue(v1.isClosedByServer());
            assertTrue(v2.isClosedByServer());
            assertEquals("+PONG\r\n", killer.call("PING"));
        }
        try (RawClient killer = server.raw(); RawClient v1 = server.raw()) {
            v1.call("PING");
            assertEquals(":1\r\n", killer.call("CLIENT", "KILL", "USER", "default", "ID", Long.toString(id(v1))));
            assertTrue(v1.isClosedByServer());
        }
    }

    @Test
    void killErrors() {
        try (RawClient c = server.raw()) {
            assertEquals("-ERR client-id should be greater than 0\r\n", c.call("CLIENT", "KILL", "ID", "abc"));
            assertEquals("-ERR client-id should be greater than 0\r\n", c.call("CLIENT", "KILL", "ID", "0"));
            assertEquals("-ERR Unknown client type 'foo'\r\n", c.call("CLIENT", "KILL", "TYPE", "foo"));
            assertEquals("-ERR No such user 'nobody'\r\n", c.call("CLIENT", "KILL", "USER", "nobody"));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "KILL", "SKIPME", "maybe"));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "KILL", "FOO", "bar"));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "KILL", "ID", "1", "SKIPME"));
            assertEquals("-ERR wrong number of arguments for 'client|kill' command\r\n", c.call("CLIENT", "KILL"));
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void killingOneselfClosesAfterTheReply() {
        try (RawClient c = server.raw()) {
            c.send(RawClient.encode("CLIENT", "KILL", "ID", Long.toString(id(c)), "SKIPME", "no") + RawClient.encode("PING"));
            assertEquals(":1\r\n", c.readUntilClose());
        }
        try (RawClient c = server.raw()) {
            String addr = info(c).get("addr");
            c.send(RawClient.encode("CLIENT", "KILL", addr) + RawClient.encode("PING"));
            assertEquals("+OK\r\n", c.readUntilClose());
        }
        try (RawClient c = server.raw()) {
            // SKIPME defaults to yes: nothing to kill.
            assertEquals(":0\r\n", c.call("CLIENT", "KILL", "ID", Long.toString(id(c))));
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void killedClientsLeaveTheList() throws InterruptedException {
        try (RawClient killer = server.raw(); RawClient victim = server.raw()) {
            long idv = id(victim);
            killer.call("CLIENT", "KILL", "ID", Long.toString(idv));
            assertTrue(victim.isClosedByServer());
            String listed = "";
            for (int i = 0; i < 100; i++) {
                listed = killer.call("CLIENT", "LIST", "ID", Long.toString(idv));
                if (listed.equals("$0\r\n\r\n")) {
                    break;
                }
                Thread.sleep(20);
            }
            assertEquals("$0\r\n\r\n", listed);
        }
    }

    @Test
    void replyOffSkipOn() {
        try (RawClient c = server.raw()) {
            c.send(RawClient.encode("CLIENT", "REPLY", "OFF") + RawClient.encode("PING") + RawClient.encode("CLIENT", "NOPE")
                    + RawClient.encode("CLIENT", "REPLY", "ON") + RawClient.encode("ECHO", "a"));
            assertEquals("+OK\r\n", c.readReply());
            assertEquals("$1\r\na\r\n", c.readReply());
            c.send(RawClient.encode("CLIENT", "REPLY", "SKIP") + RawClient.encode("ECHO", "skipped") + RawClient.encode("ECHO", "b"));
            assertEquals("$1\r\nb\r\n", c.readReply());
            // ON right after SKIP is answered, as in Redis.
            c.send(RawClient.encode("CLIENT", "REPLY", "SKIP") + RawClient.encode("CLIENT", "REPLY", "ON")
                    + RawClient.encode("ECHO", "c"));
            assertEquals("+OK\r\n", c.readReply());
            assertEquals("$1\r\nc\r\n", c.readReply());
            // SKIP while OFF changes nothing.
            c.send(RawClient.encode("CLIENT", "REPLY", "OFF") + RawClient.encode("CLIENT", "REPLY", "SKIP")
                    + RawClient.encode("PING") + RawClient.encode("CLIENT", "REPLY", "ON") + RawClient.encode("ECHO", "d"));
            assertEquals("+OK\r\n", c.readReply());
            assertEquals("$1\r\nd\r\n", c.readReply());
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "REPLY", "MAYBE"));
        }
    }

    @Test
    void helpAndErrors() {
        try (RawClient c = server.raw()) {
            String help = c.call("CLIENT", "HELP");
            assertTrue(help.contains("\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), help);
            assertTrue(help.contains("+KILL <ip:port>\r\n"), help);
            assertTrue(help.endsWith("+HELP\r\n+    Prints this help.\r\n"), help);
            assertEquals("-ERR wrong number of arguments for 'client' command\r\n", c.call("CLIENT"));
            assertEquals("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n", c.call("CLIENT", "FOO"));
            assertEquals("-ERR wrong number of arguments for 'client|id' command\r\n", c.call("CLIENT", "ID", "x"));
        }
    }

    @Test
    void jedisParsesTheListAndInfo() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.clientSetname("from-jedis");
            assertEquals("from-jedis", j.clientGetname());
            assertTrue(j.clientList().contains(" name=from-jedis "));
            assertTrue(j.clientId() > 0);
            assertFalse(j.clientInfo().isEmpty());
        }
    }
}
