package dev.basalt.command;

import static dev.basalt.types.KeyspaceFixtures.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.types.StringMetadata;
import dev.basalt.types.VersionedMetadata;
import dev.basalt.storage.Storage;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import dev.basalt.types.KeyspaceFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generic key commands over the wire, with exact replies as Redis 7.0 gives them. Keys are seeded
 * through the storage (string and collection commands belong to other groups).
 */
class KeyCommandsTest {
    private static final long HOUR = 3_600_000;
    private TestServer server;
    private RawClient c;
    private Storage storage;

    @BeforeEach
    void start() {
        server = TestServer.start();
        c = server.raw();
        storage = server.server().storage();
    }

    @AfterEach
    void stop() {
        c.close();
        server.close();
    }

    private static String i(long n) {
        return ":" + n + "\r\n";
    }

    private static String err(String text) {
        return "-" + text + "\r\n";
    }

    private static String bulk(String s) {
        return "$" + s.getBytes().length + "\r\n" + s + "\r\n";
    }

    private static String arr(String... bulks) {
        StringBuilder sb = new StringBuilder("*").append(bulks.length).append("\r\n");
        for (String b : bulks) {
            sb.append(bulk(b));
        }
        return sb.toString();
    }

    private static final String OK = "+OK\r\n";
    private static final String NIL = "$-1\r\n";

    private void str(String key, String value) throws Exception {
        KeyspaceFixtures.string(storage, NS, key, value, 0);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static long intReply(String reply) {
        assertTrue(reply.startsWith(":"), reply);
        return Long.parseLong(reply.substring(1, reply.length() - 2));
    }

    @Test
    void delUnlinkExistsTouchType() throws Exception {
        str("a", "1");
        str("b", "2");
        KeyspaceFixtures.hash(storage, NS, "h", 0, "f", "v");
        KeyspaceFixtures.string(storage, NS, "expired", "x", now() - 1000);
        assertEquals(i(3), c.call("EXISTS", "a", "a", "b", "nokey", "expired"));
        assertEquals(i(2), c.call("TOUCH", "a", "b", "nokey"));
        assertEquals("+string\r\n", c.call("TYPE", "a"));
        assertEquals("+hash\r\n", c.call("TYPE", "h"));
        assertEquals("+none\r\n", c.call("TYPE", "nokey"));
        assertEquals("+none\r\n", c.call("TYPE", "expired"));
        assertEquals(i(1), c.call("DEL", "a", "a", "nokey", "expired"));
        assertEquals(i(2), c.call("UNLINK", "b", "h"));
        assertEquals(i(0), c.call("EXISTS", "a", "b", "h"));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.METADATA));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT));
    }

    @Test
    void arityErrorsNameTheCommand() {
        assertEquals(err("ERR wrong number of arguments for 'del' command"), c.call("DEL"));
        assertEquals(err("ERR wrong number of arguments for 'exists' command"), c.call("EXISTS"));
        assertEquals(err("ERR wrong number of arguments for 'type' command"), c.call("TYPE", "a", "b"));
        assertEquals(err("ERR wrong number of arguments for 'expire' command"), c.call("EXPIRE", "a"));
        assertEquals(err("ERR wrong number of arguments for 'ttl' command"), c.call("TTL"));
        assertEquals(err("ERR wrong number of arguments for 'rename' command"), c.call("RENAME", "a"));
        assertEquals(err("ERR wrong number of arguments for 'copy' command"), c.call("COPY", "a"));
        assertEquals(err("ERR wrong number of arguments for 'keys' command"), c.call("KEYS"));
        assertEquals(err("ERR wrong number of arguments for 'scan' command"), c.call("SCAN"));
        // As Kvrocks, which takes DBSIZE SCAN.
        assertEquals(err("ERR DBSIZE subcommand only supports scan"), c.call("DBSIZE", "x"));
        assertEquals(err("ERR wrong number of arguments for 'object' command"), c.call("OBJECT"));
        assertEquals(err("ERR wrong number of arguments for 'object|encoding' command"), c.call("OBJECT", "ENCODING"));
        assertEquals(err("ERR wrong number of arguments for 'object|encoding' command"),
                c.call("OBJECT", "encoding", "a", "b"));
        assertEquals(err("ERR unknown subcommand 'foo'. Try OBJECT HELP."), c.call("OBJECT", "foo"));
    }

    @Test
    void keyPositionsAndFlagsAreDeclared() {
        CommandTable t = server.server().commands();
        for (String name : List.of("del", "unlink", "exists", "touch")) {
            CommandSpec s = t.get(name);
            assertEquals(List.of(-2, 1, -1, 1), List.of(s.arity(), s.firstKey(), s.lastKey(), s.keyStep()), name);
        }
        for (String name : List.of("rename", "renamenx")) {
            CommandSpec s = t.get(name);
            assertEquals(List.of(3, 1, 2, 1), List.of(s.arity(), s.firstKey(), s.lastKey(), s.keyStep()), name);
        }
        CommandSpec copy = t.get("copy");
        assertEquals(List.of(-3, 1, 2, 1), List.of(copy.arity(), copy.firstKey(), copy.lastKey(), copy.keyStep()));
        for (String name : List.of("expire", "pexpire", "expireat", "pexpireat")) {
            CommandSpec s = t.get(name);
            assertEquals(List.of(-3, 1, 1, 1), List.of(s.arity(), s.firstKey(), s.lastKey(), s.keyStep()), name);
            assertTrue(s.has(CommandFlag.WRITE));
        }
        for (String name : List.of("ttl", "pttl", "expiretime", "pexpiretime", "type", "persist")) {
            CommandSpec s = t.get(name);
            assertEquals(List.of(2, 1, 1, 1), List.of(s.arity(), s.firstKey(), s.lastKey(), s.keyStep()), name);
        }
        for (String name : List.of("keys", "scan", "randomkey", "dbsize", "flushdb", "flushall")) {
            assertTrue(t.get(name).has(CommandFlag.KEYSPACE), name);
        }
        CommandSpec encoding = t.get("object").subcommand("encoding");
        assertEquals("object|encoding", encoding.fullName());
        assertEquals(List.of(3, 2, 2, 1), List.of(encoding.arity(), encoding.firstKey(), encoding.lastKey(), encoding.keyStep()));
        assertEquals("generic", t.get("del").group());
    }

    @Test
    void expireOptionsAndErrorsAsRedis7() throws Exception {
        str("k", "v");
        assertEquals(err("ERR NX and XX, GT or LT options at the same time are not compatible"),
                c.call("EXPIRE", "k", "10", "nx", "xx"));
        assertEquals(err("ERR NX and XX, GT or LT options at the same time are not compatible"),
                c.call("PEXPIRE", "k", "10", "NX", "GT"));
        assertEquals(err("ERR GT and LT options at the same time are not compatible"),
                c.call("EXPIRE", "k", "10", "gt", "lt"));
        // Options are checked before the number.
        assertEquals(err("ERR Unsupported option foo"), c.call("EXPIRE", "k", "abc", "foo"));
        for (String bad : List.of("abc", "007", "+7", " 7", "-0", "1.5", "")) {
            assertEquals(err("ERR value is not an integer or out of range"), c.call("EXPIRE", "k", bad), bad);
        }
        assertEquals(err("ERR invalid expire time in 'expire' command"), c.call("EXPIRE", "k", "9223372036854776"));
        assertEquals(err("ERR invalid expire time in 'expire' command"), c.call("EXPIRE", "k", "9223372036854775"));
        assertEquals(err("ERR invalid expire time in 'expire' command"), c.call("EXPIRE", "k", "-9223372036854776"));
        assertEquals(err("ERR invalid expire time in 'pexpire' command"), c.call("PEXPIRE", "k", "9223372036854775807"));
        assertEquals(err("ERR invalid expire time in 'expireat' command"), c.call("EXPIREAT", "k", "9223372036854776"));
        assertEquals(i(-1), c.call("TTL", "k"));
        // No expiry: NX sets, XX and GT refuse.
        assertEquals(i(0), c.call("EXPIRE", "k", "100", "XX"));
        assertEquals(i(0), c.call("EXPIRE", "k", "100", "GT"));
        assertEquals(i(1), c.call("EXPIRE", "k", "100", "NX", "NX"));
        assertEquals(i(0), c.call("EXPIRE", "k", "200", "NX"));
        assertEquals(i(0), c.call("EXPIRE", "k", "50", "GT"));
        assertEquals(i(1), c.call("EXPIRE", "k", "200", "gt", "xx"));
        assertEquals(i(0), c.call("EXPIRE", "k", "300", "LT"));
        assertEquals(i(1), c.call("EXPIRE", "k", "150", "LT"));
        long ttl = intReply(c.call("TTL", "k"));
        assertTrue(ttl == 150 || ttl == 149, "ttl " + ttl);
        long pttl = intReply(c.call("PTTL", "k"));
        assertTrue(pttl > 140_000 && pttl <= 150_000, "pttl " + pttl);
        assertEquals(i(0), c.call("EXPIRE", "nokey", "10"));
        assertEquals(i(0), c.call("EXPIRE", "nokey", "10", "NX"));
        // EXPIREAT far in the future is fine: seconds times 1000 fits.
        assertEquals(i(1), c.call("EXPIREAT", "k", "9223372036854775"));
        assertEquals(i(9223372036854775L), c.call("EXPIRETIME", "k"));
        assertEquals(i(9223372036854775000L), c.call("PEXPIRETIME", "k"));
    }

    @Test
    void ttlAndExpiretimeRoundLikeRedis() throws Exception {
        str("k", "v");
        assertEquals(i(1), c.call("PEXPIREAT", "k", "33177117420499"));
        assertEquals(i(33177117420L), c.call("EXPIRETIME", "k"));
        assertEquals(i(1), c.call("PEXPIREAT", "k", "33177117420500"));
        assertEquals(i(33177117421L), c.call("EXPIRETIME", "k"));
        assertEquals(i(33177117420500L), c.call("PEXPIRETIME", "k"));
        assertEquals(i(-2), c.call("TTL", "nokey"));
        assertEquals(i(-2), c.call("PTTL", "nokey"));
        assertEquals(i(-2), c.call("EXPIRETIME", "nokey"));
        assertEquals(i(-2), c.call("PEXPIRETIME", "nokey"));
        assertEquals(i(1), c.call("PERSIST", "k"));
        assertEquals(i(0), c.call("PERSIST", "k"));
        assertEquals(i(0), c.call("PERSIST", "nokey"));
        assertEquals(i(-1), c.call("TTL", "k"));
        assertEquals(i(-1), c.call("PTTL", "k"));
        assertEquals(i(-1), c.call("EXPIRETIME", "k"));
        assertEquals(i(-1), c.call("PEXPIRETIME", "k"));
        assertEquals(i(1), c.call("PEXPIRE", "k", "2500"));
        long ttl = intReply(c.call("TTL", "k"));
        assertTrue(ttl == 2 || ttl == 3, "ttl " + ttl);
        KeyspaceFixtures.string(storage, NS, "expired", "v", now() - 1);
        assertEquals(i(-2), c.call("TTL", "expired"));
        assertEquals(i(0), c.call("PERSIST", "expired"));
    }

    @Test
    void anExpiryInThePastDeletesTheKeyAndItsSubkeys() throws Exception {
        str("s", "v");
        KeyspaceFixtures.hash(storage, NS, "h", 0, "a", "1", "b", "2");
        KeyspaceFixtures.zset(storage, NS, "z", 0, 1, "m");
        assertEquals(i(1), c.call("EXPIRE", "s", "0"));
        assertEquals(i(1), c.call("PEXPIRE", "h", "-1"));
        assertEquals(i(1), c.call("EXPIREAT", "z", "1"));
        assertEquals(i(0), c.call("EXISTS", "s", "h", "z"));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.METADATA));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.ZSET_SCORE));
    }

    @Test
    void renameAndRenamenx() throws Exception {
        assertEquals(err("ERR no such key"), c.call("RENAME", "nokey", "x"));
        assertEquals(err("ERR no such key"), c.call("RENAMENX", "nokey", "x"));
        assertEquals(err("ERR no such key"), c.call("RENAME", "nokey", "nokey"));
        str("a", "1");
        str("b", "2");
        assertEquals(OK, c.call("RENAME", "a", "a"));
        assertEquals(i(0), c.call("RENAMENX", "a", "a"));
        assertEquals(i(0), c.call("RENAMENX", "a", "b"));
        assertEquals(i(1), c.call("PEXPIRE", "a", "100000"));
        assertEquals(OK, c.call("RENAME", "a", "b"));
        assertEquals(i(0), c.call("EXISTS", "a"));
        long pttl = intReply(c.call("PTTL", "b"));
        assertTrue(pttl > 90_000 && pttl <= 100_000, "pttl " + pttl);
        assertEquals(i(1), c.call("RENAMENX", "b", "c"));
        assertEquals("string", typeOf("c"));
        // A hash moves with its fields and leaves nothing behind.
        long v = KeyspaceFixtures.hash(storage, NS, "h", 0, "f1", "v1", "f2", "v2");
        assertEquals(OK, c.call("RENAME", "h", "c"));
        VersionedMetadata m = (VersionedMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "c");
        assertEquals("hash", typeOf("c"));
        assertEquals(List.of("f1", "f2"), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "c", m.version()));
        assertEquals(List.of(), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "h", v));
        assertEquals(2, KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT).size());
    }

    private String typeOf(String key) {
        String r = c.call("TYPE", key);
        return r.substring(1, r.length() - 2);
    }

    @Test
    void copyWithDbAndReplace() throws Exception {
        str("a", "1");
        str("b", "2");
        assertEquals(err("ERR source and destination objects are the same"), c.call("COPY", "a", "a"));
        assertEquals(err("ERR source and destination objects are the same"), c.call("COPY", "nokey", "nokey"));
        assertEquals(err("ERR DB index is out of range"), c.call("COPY", "a", "c", "DB", "1"));
        assertEquals(err("ERR DB index is out of range"), c.call("COPY", "a", "c", "db", "-1"));
        assertEquals(err("ERR value is not an integer or out of range"), c.call("COPY", "a", "c", "db", "x"));
        assertEquals(err("ERR value is not an integer or out of range"), c.call("COPY", "a", "c", "db", "99999999999"));
        assertEquals(err("ERR syntax error"), c.call("COPY", "a", "c", "db"));
        assertEquals(err("ERR syntax error"), c.call("COPY", "a", "c", "foo"));
        assertEquals(i(0), c.call("COPY", "nokey", "c"));
        assertEquals(i(0), c.call("COPY", "a", "b"));
        assertEquals(i(1), c.call("COPY", "a", "b", "REPLACE"));
        assertEquals(i(1), c.call("COPY", "a", "c", "replace", "db", "0"));
        assertEquals(i(0), c.call("COPY", "a", "c", "DB", "0", "DB", "0"));
        assertEquals(i(3), c.call("EXISTS", "a", "b", "c"));
        assertEquals("1", new String(((StringMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "b")).value()));
        // Collections of every kind copy with a fresh version; the source stays.
        long sv = KeyspaceFixtures.set(storage, NS, "set", HOUR + now(), "x", "y", "z");
        KeyspaceFixtures.list(storage, NS, "list", 0, "p", "q");
        assertEquals(i(1), c.call("COPY", "set", "set2"));
        assertEquals(i(1), c.call("COPY", "list", "b", "REPLACE"));
        VersionedMetadata copy = (VersionedMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "set2");
        assertNotEquals(sv, copy.version());
        assertEquals(KeyspaceFixtures.rawMetadata(storage, NS, "set").expireAtMs(), copy.expireAtMs());
        assertEquals(List.of("x", "y", "z"), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "set2", copy.version()));
        assertEquals(List.of("x", "y", "z"), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "set", sv));
        assertEquals("list", typeOf("b"));
    }

    @Test
    void scanIteratesWithNumericCursors() throws Exception {
        TreeSet<String> all = new TreeSet<>();
        for (int n = 0; n < 25; n++) {
            str("key:" + n, "v");
            all.add("key:" + n);
        }
        KeyspaceFixtures.hash(storage, NS, "hash:1", 0, "f", "v");
        all.add("hash:1");
        TreeSet<String> seen = new TreeSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            ScanReply r = scan(c.call("SCAN", cursor, "COUNT", "4"));
            assertTrue(r.keys.size() <= 4);
            seen.addAll(r.keys);
            cursor = r.cursor;
            assertTrue(cursor.matches("[0-9]+"), cursor);
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(all, seen);
        assertEquals(7, calls);
        assertEquals(List.of("hash:1"), scanAll("MATCH", "h*"));
        assertEquals(List.of("hash:1"), scanAll("TYPE", "hash"));
        assertEquals(List.of("key:10", "key:11", "key:12", "key:13", "key:14", "key:15", "key:16", "key:17", "key:18",
                "key:19"), scanAll("match", "key:1?", "count", "100"));
        assertEquals(List.of(), scanAll("TYPE", "nosuchtype"));
        // Default COUNT is 10.
        assertEquals(10, scan(c.call("SCAN", "0")).keys.size());
        // An unknown cursor answers an error rather than silently starting over (see ScanGuaranteeTest).
        assertEquals(err(ScanCursors.UNKNOWN), c.call("SCAN", "12345678901234567890"));
    }

    private record ScanReply(String cursor, List<String> keys) {
    }

    private static final Pattern BULK = Pattern.compile("\\$\\d+\\r\\n([^\\r]*)\\r\\n");

    private static ScanReply scan(String reply) {
        assertTrue(reply.startsWith("*2\r\n"), reply);
        Matcher m = BULK.matcher(reply);
        assertTrue(m.find(), reply);
        String cursor = m.group(1);
        List<String> keys = new ArrayList<>();
        while (m.find()) {
            keys.add(m.group(1));
        }
        return new ScanReply(cursor, keys);
    }

    private List<String> scanAll(String... options) {
        List<String> out = new ArrayList<>();
        String cursor = "0";
        do {
            String[] argv = new String[2 + options.length];
            argv[0] = "SCAN";
            argv[1] = cursor;
            System.arraycopy(options, 0, argv, 2, options.length);
            ScanReply r = scan(c.call(argv));
            out.addAll(r.keys);
            cursor = r.cursor;
        } while (!cursor.equals("0"));
        return out;
    }

    @Test
    void scanErrors() {
        assertEquals(err("ERR invalid cursor"), c.call("SCAN", "abc"));
        assertEquals(err("ERR invalid cursor"), c.call("SCAN", "18446744073709551616"));
        assertEquals(err("ERR syntax error"), c.call("SCAN", "0", "COUNT", "0"));
        assertEquals(err("ERR syntax error"), c.call("SCAN", "0", "COUNT", "-1"));
        assertEquals(err("ERR value is not an integer or out of range"), c.call("SCAN", "0", "COUNT", "x"));
        assertEquals(err("ERR value is not an integer or out of range"), c.call("SCAN", "0", "COUNT", "007"));
        assertEquals(err("ERR syntax error"), c.call("SCAN", "0", "MATCH"));
        assertEquals(err("ERR syntax error"), c.call("SCAN", "0", "foo", "bar"));
        assertEquals(err("ERR invalid cursor"), c.call("SCAN", "x", "foo", "bar"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", c.call("SCAN", "18446744073709551615"));
    }

    @Test
    void keysRandomkeyDbsize() throws Exception {
        assertEquals("*0\r\n", c.call("KEYS", "*"));
        assertEquals(NIL, c.call("RANDOMKEY"));
        assertEquals(i(0), c.call("DBSIZE"));
        str("one", "1");
        str("two", "2");
        KeyspaceFixtures.set(storage, NS, "three", 0, "m");
        KeyspaceFixtures.string(storage, NS, "gone", "v", now() - 1000);
        assertEquals(arr("one", "three", "two"), c.call("KEYS", "*"));
        assertEquals(arr("three", "two"), c.call("KEYS", "t*"));
        assertEquals(arr("one"), c.call("KEYS", "one"));
        assertEquals("*0\r\n", c.call("KEYS", "gone"));
        // As in Redis, DBSIZE counts a key until expiry reclaims it: "gone" has expired but is still stored.
        assertEquals(i(4), c.call("DBSIZE"));
        assertEquals(i(0), c.call("DEL", "gone"));
        assertEquals(i(3), c.call("DBSIZE"));
        TreeSet<String> picked = new TreeSet<>();
        for (int n = 0; n < 60; n++) {
            String r = c.call("RANDOMKEY");
            picked.add(r.substring(r.indexOf("\r\n") + 2, r.length() - 2));
        }
        assertEquals(new TreeSet<>(List.of("one", "three", "two")), picked);
    }

    @Test
    void flushdbEmptiesTheNamespaceAndFlushallEveryNamespace() throws Exception {
        str("a", "1");
        KeyspaceFixtures.zset(storage, NS, "z", 0, 1, "m");
        KeyspaceFixtures.hash(storage, "tenant", "h", 0, "f", "v");
        assertEquals(err("ERR syntax error"), c.call("FLUSHDB", "foo"));
        assertEquals(err("ERR syntax error"), c.call("FLUSHALL", "async", "sync"));
        assertEquals(i(2), c.call("DBSIZE"));
        assertEquals(OK, c.call("FLUSHDB", "ASYNC"));
        assertEquals(i(0), c.call("DBSIZE"));
        assertNotNull(KeyspaceFixtures.rawMetadata(storage, "tenant", "h"));
        assertEquals(1, KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT).size());
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.ZSET_SCORE));
        str("b", "2");
        assertEquals(OK, c.call("FLUSHALL", "sync"));
        assertEquals(i(0), c.call("DBSIZE"));
        assertNull(KeyspaceFixtures.rawMetadata(storage, "tenant", "h"));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.METADATA));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT));
        assertEquals(OK, c.call("FLUSHALL"));
        assertEquals(OK, c.call("FLUSHDB"));
    }

    @Test
    void flushallNeedsAnAdminAndFlushdbStaysInItsNamespace() throws Exception {
        c.close();
        server.close();
        server = TestServer.start(Map.of("requirepass", "adminpw", "namespace.tenant", "tenanttoken"));
        c = server.raw();
        storage = server.server().storage();
        str("a", "1");
        KeyspaceFixtures.string(storage, "tenant", "t", "v", 0);
        assertEquals(OK, c.call("AUTH", "tenanttoken"));
        assertEquals(err("ERR admin permission required to perform the command"), c.call("FLUSHALL"));
        assertEquals(i(1), c.call("DBSIZE"));
        assertEquals(OK, c.call("FLUSHDB"));
        assertEquals(i(0), c.call("DBSIZE"));
        assertNotNull(KeyspaceFixtures.rawMetadata(storage, NS, "a"));
        assertEquals(OK, c.call("AUTH", "adminpw"));
        assertEquals(i(1), c.call("DBSIZE"));
        KeyspaceFixtures.string(storage, "tenant", "t", "v", 0);
        assertEquals(OK, c.call("FLUSHALL"));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.METADATA));
    }

    @Test
    void flushdbBreaksWatchesOfExistingKeysOnly() throws Exception {
        str("exists", "1");
        try (RawClient other = server.raw()) {
            assertEquals(OK, c.call("WATCH", "exists"));
            assertEquals(OK, other.call("FLUSHDB"));
            assertEquals(OK, c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("DBSIZE"));
            assertEquals("*-1\r\n", c.call("EXEC"));

            assertEquals(OK, c.call("WATCH", "absent"));
            assertEquals(OK, other.call("FLUSHALL"));
            assertEquals(OK, c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("DBSIZE"));
            assertEquals("*1\r\n:0\r\n", c.call("EXEC"));
        }
    }

    @Test
    void keyCommandsInsideMultiSeeEachOther() throws Exception {
        KeyspaceFixtures.hash(storage, NS, "h", 0, "f", "v");
        assertEquals(OK, c.call("MULTI"));
        for (String[] cmd : new String[][] {{"RENAME", "h", "h2"}, {"COPY", "h2", "h3"}, {"EXISTS", "h", "h2", "h3"},
                {"DEL", "h2"}, {"KEYS", "*"}, {"FLUSHDB"}, {"DBSIZE"}}) {
            assertEquals("+QUEUED\r\n", c.call(cmd));
        }
        assertEquals("*7\r\n+OK\r\n:1\r\n:2\r\n:1\r\n" + arr("h3") + "+OK\r\n:0\r\n", c.call("EXEC"));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.METADATA));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT));
    }

    @Test
    void objectSubcommands() throws Exception {
        str("n", "123");
        str("small", "42");
        str("e", "hello");
        str("r", "x".repeat(45));
        KeyspaceFixtures.hash(storage, NS, "h", 0, "f", "v");
        KeyspaceFixtures.list(storage, NS, "l", 0, "a");
        KeyspaceFixtures.set(storage, NS, "si", 0, "1", "2");
        KeyspaceFixtures.zset(storage, NS, "z", 0, 1, "a");
        assertEquals(bulk("int"), c.call("OBJECT", "ENCODING", "n"));
        assertEquals(bulk("embstr"), c.call("OBJECT", "encoding", "e"));
        assertEquals(bulk("raw"), c.call("OBJECT", "ENCODING", "r"));
        assertEquals(bulk("listpack"), c.call("OBJECT", "ENCODING", "h"));
        assertEquals(bulk("quicklist"), c.call("OBJECT", "ENCODING", "l"));
        assertEquals(bulk("intset"), c.call("OBJECT", "ENCODING", "si"));
        assertEquals(bulk("listpack"), c.call("OBJECT", "ENCODING", "z"));
        assertEquals(NIL, c.call("OBJECT", "ENCODING", "nokey"));
        assertEquals(i(2147483647), c.call("OBJECT", "REFCOUNT", "small"));
        assertEquals(i(1), c.call("OBJECT", "REFCOUNT", "e"));
        assertEquals(NIL, c.call("OBJECT", "REFCOUNT", "nokey"));
        assertEquals(i(0), c.call("OBJECT", "IDLETIME", "e"));
        assertEquals(NIL, c.call("OBJECT", "IDLETIME", "nokey"));
        assertEquals(err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
                + "when switching between policies at runtime LRU and LFU data will take some time to adjust."),
                c.call("OBJECT", "FREQ", "e"));
        assertEquals(NIL, c.call("OBJECT", "FREQ", "nokey"));
        String help = c.call("OBJECT", "HELP");
        assertTrue(help.startsWith("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+ENCODING <key>\r\n"), help);
        assertTrue(help.endsWith("+HELP\r\n+    Prints this help.\r\n"), help);
    }

    @Test
    void hashesMadeByHsetRenameCopyAndDeleteCleanly() {
        assertEquals(i(2), c.call("HSET", "h", "f1", "v1", "f2", "v2"));
        assertEquals(bulk("listpack"), c.call("OBJECT", "ENCODING", "h"));
        assertEquals(i(1), c.call("COPY", "h", "copy"));
        assertEquals(i(1), c.call("HSET", "copy", "f3", "v3"));
        assertEquals(i(2), c.call("HLEN", "h"));
        assertEquals(i(3), c.call("HLEN", "copy"));
        assertEquals(OK, c.call("RENAME", "h", "moved"));
        assertEquals(i(0), c.call("EXISTS", "h"));
        assertEquals(bulk("v2"), c.call("HGET", "moved", "f2"));
        assertEquals(OK, c.call("RENAME", "copy", "moved"));
        assertEquals(i(3), c.call("HLEN", "moved"));
        assertEquals(i(1), c.call("HSET", "big", "f", "x".repeat(65)));
        assertEquals(bulk("hashtable"), c.call("OBJECT", "ENCODING", "big"));
        assertEquals(i(2), c.call("DEL", "moved", "big"));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.METADATA));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT));
    }

    @Test
    void expiredCollectionsLeaveTheDiskThroughTheSweepWithoutBeingRead() throws Exception {
        c.close();
        server.close();
        server = TestServer.start(Map.of("expiry-sweep-interval-ms", "50"));
        c = server.raw();
        storage = server.server().storage();
        long expireAt = now() + 200;
        long hv = KeyspaceFixtures.hash(storage, NS, "h", expireAt, "a", "1", "b", "2");
        long zv = KeyspaceFixtures.zset(storage, NS, "z", expireAt, 1, "m");
        assertEquals(OK, c.call("SET", "s", "v", "PX", "200"));
        assertEquals(OK, c.call("SET", "keep", "v"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (KeyspaceFixtures.entries(storage, ColumnFamily.METADATA).size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        assertEquals(1, KeyspaceFixtures.entries(storage, ColumnFamily.METADATA).size());
        assertEquals(List.of(), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "h", hv));
        assertEquals(List.of(), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.ZSET_SCORE, "z", zv));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT));
        assertEquals(3, server.server().stats().expiredKeys.sum());
        assertEquals(i(1), c.call("DBSIZE"));
    }

    private long writeFailures() {
        Matcher m = Pattern.compile("\r\nwrite_failures:(\\d+)\r\n").matcher(c.call("INFO", "stats"));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    /**
     * A key command whose write fails in storage answers "-ERR <RocksDB status>" as SET does and counts
     * in INFO's write_failures: both when the batch outgrows write_batch_max_bytes while the command
     * builds it, and when the commit fails.
     */
    @Test
    void storageFailuresOfKeyCommandsAnswerAndCountLikeOtherWrites() {
        String big = "x".repeat(2000);
        List<String> many = new ArrayList<>(List.of("DEL"));
        for (int n = 0; n < 100; n++) {
            many.add("key-with-a-longish-name-" + n);
            assertEquals(OK, c.call("SET", "key-with-a-longish-name-" + n, "v"));
        }
        assertEquals(OK, c.call("SET", "s", big));
        assertEquals(OK, c.call("CONFIG", "SET", "rocksdb.write_options.write_batch_max_bytes", "1000"));
        long failures = writeFailures();
        String setFailure = c.call("SET", "other", big);
        assertTrue(setFailure.startsWith("-ERR "), setFailure);
        long perFailure = writeFailures() - failures;
        assertTrue(perFailure >= 1, "SET counted");
        failures += perFailure;
        for (String[] cmd : new String[][] {many.toArray(new String[0]), {"EXPIRE", "s", "100"},
                {"RENAME", "s", "renamed"}, {"COPY", "s", "copied"}}) {
            assertEquals(setFailure, c.call(cmd), cmd[0]);
            failures += perFailure;
            assertEquals(failures, writeFailures(), cmd[0] + " counted as SET is");
        }
        assertEquals(OK, c.call("CONFIG", "SET", "rocksdb.write_options.write_batch_max_bytes", "0"));
        assertEquals(i(-1), c.call("TTL", "s"));
        assertEquals(i(0), c.call("EXISTS", "renamed", "copied"));

        assertEquals(OK, c.call("DEBUG", "FAIL-WRITES", "on"));
        String injected = err("ERR IO error: injected by DEBUG FAIL-WRITES");
        failures = writeFailures();
        assertEquals(injected, c.call("SET", "other", "v"));
        perFailure = writeFailures() - failures;
        assertTrue(perFailure >= 1, "SET counted");
        failures += perFailure;
        for (String[] cmd : new String[][] {{"DEL", "s"}, {"EXPIRE", "s", "100"}, {"RENAME", "s", "renamed"}}) {
            assertEquals(injected, c.call(cmd), cmd[0]);
            failures += perFailure;
            assertEquals(failures, writeFailures(), cmd[0] + " counted as SET is");
        }
        assertEquals(OK, c.call("DEBUG", "FAIL-WRITES", "off"));
        assertEquals(i(1), c.call("EXISTS", "s"));
    }
}
