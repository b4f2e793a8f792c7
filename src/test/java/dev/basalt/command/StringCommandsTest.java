package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import dev.basalt.types.StringType;
import dev.basalt.util.Bytes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LCSMatchResult;

/** Every string command through a real server: Jedis for behaviour, RawClient for exact replies. */
class StringCommandsTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer(Map.of("proto-max-bulk-len", "1048576"));
    private RawClient raw;
    private Jedis jedis;
    private static int keyCounter;
    private String prefix;

    @BeforeEach
    void connect() {
        raw = server.raw();
        jedis = new Jedis("127.0.0.1", server.port());
        // Tests share one server: each gets its own key names.
        prefix = "t" + (++keyCounter) + ":";
    }

    @AfterEach
    void disconnect() {
        jedis.close();
        raw.close();
    }

    private String k(String name) {
        return prefix + name;
    }

    private static String bulk(String s) {
        return "$" + Bytes.of(s).length + "\r\n" + s + "\r\n";
    }

    private static String err(String text) {
        return "-" + text + "\r\n";
    }

    private static final String NIL = "$-1\r\n";
    private static final String OK = "+OK\r\n";

    /** Absolute expiry of a key as stored, read through the server's storage (no PTTL command needed). */
    private long expireAt(String key) throws Exception {
        try (Txn txn = server.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
            return new StringType(txn).expireAtMs(Bytes.of(key));
        }
    }

    @Test
    void getAndSet() {
        assertEquals(NIL, raw.call("GET", k("a")));
        assertEquals(OK, raw.call("SET", k("a"), "hello"));
        assertEquals(bulk("hello"), raw.call("GET", k("a")));
        assertEquals(OK, raw.call("set", k("a"), ""));
        assertEquals("$0\r\n\r\n", raw.call("GET", k("a")));
        byte[] binary = {0, 1, (byte) 0xff, '\r', '\n'};
        jedis.set(Bytes.of(k("bin")), binary);
        assertArrayEquals(binary, jedis.get(Bytes.of(k("bin"))));
        assertEquals(err("ERR wrong number of arguments for 'get' command"), raw.call("GET"));
        assertEquals(err("ERR wrong number of arguments for 'set' command"), raw.call("SET", k("a")));
    }

    @Test
    void setConditionsAndGetOption() {
        assertEquals(NIL, raw.call("SET", k("a"), "1", "XX"));
        assertEquals(NIL, raw.call("GET", k("a")));
        assertEquals(OK, raw.call("SET", k("a"), "1", "NX"));
        assertEquals(NIL, raw.call("SET", k("a"), "2", "nx"));
        assertEquals(OK, raw.call("SET", k("a"), "3", "xx"));
        assertEquals(bulk("3"), raw.call("SET", k("a"), "4", "GET"));
        assertEquals(bulk("4"), raw.call("SET", k("a"), "5", "NX", "GET"), "NX+GET is allowed since 7.0");
        assertEquals(bulk("4"), raw.call("GET", k("a")));
        assertEquals(NIL, raw.call("SET", k("b"), "1", "XX", "GET"));
        assertEquals(NIL, raw.call("GET", k("b")));
        assertEquals(NIL, raw.call("SET", k("c"), "1", "GET", "NX"));
        assertEquals(bulk("1"), raw.call("GET", k("c")));
        assertEquals(bulk("1"), raw.call("SET", k("c"), "2", "GET", "GET"));
    }

    @Test
    void setSyntaxAndExpireErrors() {
        String syntax = err("ERR syntax error");
        String invalid = err("ERR invalid expire time in 'set' command");
        for (String[] opts : new String[][] {{"NX", "XX"}, {"XX", "NX"}, {"EX", "1", "PX", "1"}, {"PX", "1", "EX", "1"},
                {"EX", "1", "KEEPTTL"}, {"KEEPTTL", "EX", "1"}, {"EXAT", "1", "PXAT", "1"}, {"EX"}, {"FOO"},
                {"PERSIST"}, {"KEEPTTL", "PXAT", "1"}, {"EX", "1", "EXAT", "1"}}) {
            String[] args = new String[3 + opts.length];
            args[0] = "SET";
            args[1] = k("a");
            args[2] = "v";
            System.arraycopy(opts, 0, args, 3, opts.length);
            assertEquals(syntax, raw.call(args), String.join(" ", opts));
        }
        assertEquals(invalid, raw.call("SET", k("a"), "v", "EX", "0"));
        assertEquals(invalid, raw.call("SET", k("a"), "v", "EX", "-1"));
        assertEquals(invalid, raw.call("SET", k("a"), "v", "PX", "0"));
        assertEquals(invalid, raw.call("SET", k("a"), "v", "EXAT", "0"));
        assertEquals(invalid, raw.call("SET", k("a"), "v", "PXAT", "-5"));
        assertEquals(invalid, raw.call("SET", k("a"), "v", "EX", "9223372036854775807"), "seconds overflow as ms");
        assertEquals(invalid, raw.call("SET", k("a"), "v", "EX", "9223372036854775"), "overflow adding the clock");
        assertEquals(invalid, raw.call("SET", k("a"), "v", "PX", "9223372036854775807"));
        assertEquals(err("ERR value is not an integer or out of range"), raw.call("SET", k("a"), "v", "EX", "1.5"));
        assertEquals(err("ERR value is not an integer or out of range"), raw.call("SET", k("a"), "v", "PX", "abc"));
        // The expire check comes before GET's answer; nothing was written by any of the above.
        assertEquals(invalid, raw.call("SET", k("a"), "v", "EX", "0", "GET"));
        assertEquals(NIL, raw.call("GET", k("a")));
        // Repeating the same option is accepted (the last value counts).
        assertEquals(OK, raw.call("SET", k("a"), "v", "EX", "1", "EX", "100"));
        assertEquals(OK, raw.call("SET", k("a"), "w", "KEEPTTL", "KEEPTTL", "XX", "XX"));
        assertEquals(bulk("w"), raw.call("GET", k("a")));
    }

    @Test
    void setExpiryOptions() throws Exception {
        long before = System.currentTimeMillis();
        assertEquals(OK, raw.call("SET", k("ex"), "v", "EX", "100"));
        long at = expireAt(k("ex"));
        assertTrue(at >= before + 100_000 && at <= System.currentTimeMillis() + 100_000, "EX is relative seconds");
        assertEquals(OK, raw.call("SET", k("px"), "v", "PX", "100000"));
        at = expireAt(k("px"));
        assertTrue(at >= before + 100_000 && at <= System.currentTimeMillis() + 100_000);
        long future = System.currentTimeMillis() + 500_000;
        assertEquals(OK, raw.call("SET", k("pxat"), "v", "PXAT", Long.toString(future)));
        assertEquals(future, expireAt(k("pxat")));
        assertEquals(OK, raw.call("SET", k("exat"), "v", "EXAT", Long.toString(future / 1000)));
        assertEquals(future / 1000 * 1000, expireAt(k("exat")));
        // KEEPTTL keeps it, a plain SET drops it.
        assertEquals(OK, raw.call("SET", k("pxat"), "w", "KEEPTTL"));
        assertEquals(future, expireAt(k("pxat")));
        assertEquals(OK, raw.call("SET", k("pxat"), "x"));
        assertEquals(0, expireAt(k("pxat")));
        // A time in the past: OK, and the key is gone.
        assertEquals(OK, raw.call("SET", k("past"), "v", "PXAT", "1"));
        assertEquals(NIL, raw.call("GET", k("past")));
        assertEquals(OK, raw.call("SET", k("past"), "v"));
        assertEquals(bulk("v"), raw.call("SET", k("past"), "w", "EXAT", "1", "GET"));
        assertEquals(NIL, raw.call("GET", k("past")));
    }

    @Test
    void keysExpireLazily() throws Exception {
        assertEquals(OK, raw.call("SET", k("short"), "v", "PX", "100"));
        assertEquals(bulk("v"), raw.call("GET", k("short")));
        assertEquals(OK, raw.call("PSETEX", k("short2"), "100", "v"));
        Thread.sleep(200);
        assertEquals(NIL, raw.call("GET", k("short")));
        assertEquals(NIL, raw.call("GET", k("short2")));
        assertEquals(":0\r\n", raw.call("STRLEN", k("short")));
        assertEquals(":1\r\n", raw.call("SETNX", k("short"), "again"), "an expired key counts as absent");
        assertEquals(bulk("again"), raw.call("GET", k("short")));
    }

    @Test
    void setnxSetexPsetex() throws Exception {
        assertEquals(":1\r\n", raw.call("SETNX", k("a"), "1"));
        assertEquals(":0\r\n", raw.call("SETNX", k("a"), "2"));
        assertEquals(bulk("1"), raw.call("GET", k("a")));
        assertEquals(OK, raw.call("SETEX", k("a"), "100", "v"));
        assertTrue(expireAt(k("a")) > System.currentTimeMillis() + 90_000);
        assertEquals(OK, raw.call("PSETEX", k("a"), "100000", "w"));
        assertTrue(expireAt(k("a")) > System.currentTimeMillis() + 90_000);
        assertEquals(bulk("w"), raw.call("GET", k("a")));
        assertEquals(err("ERR invalid expire time in 'setex' command"), raw.call("SETEX", k("a"), "0", "v"));
        assertEquals(err("ERR invalid expire time in 'setex' command"), raw.call("SETEX", k("a"), "-1", "v"));
        assertEquals(err("ERR invalid expire time in 'setex' command"), raw.call("SETEX", k("a"), "9223372036854775807", "v"));
        assertEquals(err("ERR invalid expire time in 'psetex' command"), raw.call("PSETEX", k("a"), "0", "v"));
        assertEquals(err("ERR value is not an integer or out of range"), raw.call("SETEX", k("a"), "x", "v"));
        assertEquals(err("ERR wrong number of arguments for 'setex' command"), raw.call("SETEX", k("a"), "1"));
        assertEquals(bulk("w"), raw.call("GET", k("a")));
    }

    @Test
    void mgetMsetMsetnx() {
        assertEquals(OK, raw.call("MSET", k("a"), "1", k("b"), "2", k("a"), "3"));
        assertEquals("*3\r\n" + bulk("3") + bulk("2") + NIL, raw.call("MGET", k("a"), k("b"), k("c")));
        assertEquals(":0\r\n", raw.call("MSETNX", k("c"), "1", k("a"), "x"));
        assertEquals(NIL, raw.call("GET", k("c")));
        assertEquals(":1\r\n", raw.call("MSETNX", k("c"), "1", k("d"), "2", k("c"), "5"));
        assertEquals(List.of("5", "2"), jedis.mget(k("c"), k("d")));
        assertEquals(err("ERR wrong number of arguments for 'mset' command"), raw.call("MSET", k("a"), "1", k("b")));
        assertEquals(err("ERR wrong number of arguments for 'msetnx' command"), raw.call("MSETNX", k("a"), "1", k("b")));
        assertEquals(err("ERR wrong number of arguments for 'mget' command"), raw.call("MGET"));
        assertEquals(err("ERR wrong number of arguments for 'mset' command"), raw.call("MSET", k("a")));
    }

    @Test
    void getsetGetdel() throws Exception {
        assertEquals(NIL, raw.call("GETSET", k("a"), "1"));
        assertEquals(OK, raw.call("SET", k("a"), "2", "PX", "100000"));
        assertEquals(bulk("2"), raw.call("GETSET", k("a"), "3"));
        assertEquals(0, expireAt(k("a")), "GETSET drops the TTL");
        assertEquals(bulk("3"), raw.call("GETDEL", k("a")));
        assertEquals(NIL, raw.call("GETDEL", k("a")));
        assertEquals(NIL, raw.call("GET", k("a")));
    }

    @Test
    void getex() throws Exception {
        assertEquals(NIL, raw.call("GETEX", k("none")));
        assertEquals(NIL, raw.call("GETEX", k("none"), "EX", "0"), "missing key: nil before the expire check");
        assertEquals(err("ERR syntax error"), raw.call("GETEX", k("none"), "FOO"));
        assertEquals(OK, raw.call("SET", k("a"), "v"));
        assertEquals(bulk("v"), raw.call("GETEX", k("a")));
        assertEquals(0, expireAt(k("a")));
        assertEquals(bulk("v"), raw.call("GETEX", k("a"), "EX", "100"));
        assertTrue(expireAt(k("a")) > System.currentTimeMillis() + 90_000);
        assertEquals(bulk("v"), raw.call("GETEX", k("a"), "PERSIST"));
        assertEquals(0, expireAt(k("a")));
        assertEquals(bulk("v"), raw.call("GETEX", k("a"), "PX", "100000"));
        assertTrue(expireAt(k("a")) > System.currentTimeMillis() + 90_000);
        long future = System.currentTimeMillis() + 300_000;
        assertEquals(bulk("v"), raw.call("GETEX", k("a"), "PXAT", Long.toString(future)));
        assertEquals(future, expireAt(k("a")));
        assertEquals(bulk("v"), raw.call("GETEX", k("a"), "EXAT", Long.toString(future / 1000)));
        assertEquals(future / 1000 * 1000, expireAt(k("a")));
        assertEquals(err("ERR invalid expire time in 'getex' command"), raw.call("GETEX", k("a"), "EX", "0"));
        assertEquals(err("ERR invalid expire time in 'getex' command"), raw.call("GETEX", k("a"), "PX", "-5"));
        assertEquals(err("ERR invalid expire time in 'getex' command"), raw.call("GETEX", k("a"), "EX", "9223372036854775"));
        assertEquals(err("ERR value is not an integer or out of range"), raw.call("GETEX", k("a"), "PX", "x"));
        for (String[] opts : new String[][] {{"PERSIST", "EX", "1"}, {"EX", "1", "PERSIST"}, {"KEEPTTL"}, {"NX"},
                {"GET"}, {"EX", "1", "PX", "1"}, {"EX"}}) {
            String[] args = new String[2 + opts.length];
            args[0] = "GETEX";
            args[1] = k("a");
            System.arraycopy(opts, 0, args, 2, opts.length);
            assertEquals(err("ERR syntax error"), raw.call(args), String.join(" ", opts));
        }
        assertEquals(bulk("v"), raw.call("GETEX", k("a"), "PERSIST", "PERSIST"));
        // An absolute time in the past deletes the key after answering.
        assertEquals(bulk("v"), raw.call("GETEX", k("a"), "PXAT", "1"));
        assertEquals(NIL, raw.call("GET", k("a")));
        // Jedis's GETEX.
        jedis.set(k("j"), "x");
        assertEquals("x", jedis.getEx(k("j"), GetExParams.getExParams().px(100)));
        Thread.sleep(200);
        assertNull(jedis.get(k("j")));
    }

    @Test
    void appendAndStrlen() throws Exception {
        assertEquals(":0\r\n", raw.call("STRLEN", k("a")));
        assertEquals(":3\r\n", raw.call("APPEND", k("a"), "abc"));
        assertEquals(":6\r\n", raw.call("APPEND", k("a"), "def"));
        assertEquals(":6\r\n", raw.call("APPEND", k("a"), ""));
        assertEquals(":6\r\n", raw.call("STRLEN", k("a")));
        assertEquals(bulk("abcdef"), raw.call("GET", k("a")));
        assertEquals(OK, raw.call("SET", k("t"), "v", "PX", "100000"));
        assertEquals(":2\r\n", raw.call("APPEND", k("t"), "w"));
        assertTrue(expireAt(k("t")) > 0, "APPEND keeps the TTL");
        // proto-max-bulk-len is 1 MiB on this server.
        assertEquals(":1048576\r\n", raw.call("SETRANGE", k("big"), "1048575", "x"));
        assertEquals(err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"), raw.call("APPEND", k("big"), "y"));
        assertEquals(":1048576\r\n", raw.call("STRLEN", k("big")));
    }

    @Test
    void incrDecr() throws Exception {
        assertEquals(":1\r\n", raw.call("INCR", k("n")));
        assertEquals(":0\r\n", raw.call("DECR", k("n")));
        assertEquals(":-1\r\n", raw.call("DECR", k("n")));
        assertEquals(":9\r\n", raw.call("INCRBY", k("n"), "10"));
        assertEquals(":-11\r\n", raw.call("DECRBY", k("n"), "20"));
        assertEquals(bulk("-11"), raw.call("GET", k("n")));
        assertEquals(OK, raw.call("SET", k("max"), "9223372036854775807"));
        assertEquals(err("ERR increment or decrement would overflow"), raw.call("INCR", k("max")));
        assertEquals(OK, raw.call("SET", k("min"), "-9223372036854775808"));
        assertEquals(err("ERR increment or decrement would overflow"), raw.call("DECR", k("min")));
        assertEquals(err("ERR increment or decrement would overflow"), raw.call("INCRBY", k("min"), "-1"));
        assertEquals(err("ERR decrement would overflow"), raw.call("DECRBY", k("n"), "-9223372036854775808"));
        assertEquals(":-1\r\n", raw.call("INCRBY", k("max"), "-9223372036854775808"));
        for (String bad : new String[] {" 1", "+1", "01", "-0", "1 ", "", "1.0", "abc", "9223372036854775808"}) {
            assertEquals(OK, raw.call("SET", k("bad"), bad));
            assertEquals(err("ERR value is not an integer or out of range"), raw.call("INCR", k("bad")), "'" + bad + "'");
            assertEquals(err("ERR value is not an integer or out of range"), raw.call("INCRBY", k("n"), bad));
            assertEquals(err("ERR value is not an integer or out of range"), raw.call("DECRBY", k("n"), bad));
        }
        assertEquals(OK, raw.call("SET", k("ttl"), "5", "PX", "100000"));
        assertEquals(":6\r\n", raw.call("INCR", k("ttl")));
        assertTrue(expireAt(k("ttl")) > 0, "INCR keeps the TTL");
        assertEquals(err("ERR wrong number of arguments for 'incr' command"), raw.call("INCR", k("n"), "1"));
    }

    @Test
    void incrbyfloat() throws Exception {
        assertEquals(OK, raw.call("SET", k("f"), "10.50"));
        assertEquals(bulk("10.6"), raw.call("INCRBYFLOAT", k("f"), "0.1"));
        assertEquals(bulk("5.6"), raw.call("INCRBYFLOAT", k("f"), "-5"));
        assertEquals(OK, raw.call("SET", k("f"), "5.0e3"));
        assertEquals(bulk("5200"), raw.call("INCRBYFLOAT", k("f"), "2.0e2"));
        assertEquals(bulk("1.5"), raw.call("INCRBYFLOAT", k("new"), "1.5"));
        assertEquals(bulk("3"), raw.call("INCRBYFLOAT", k("new"), "0x1.8p0"));
        assertEquals(err("ERR increment would produce NaN or Infinity"), raw.call("INCRBYFLOAT", k("new"), "inf"));
        assertEquals(err("ERR value is not a valid float"), raw.call("INCRBYFLOAT", k("new"), "nan"));
        assertEquals(err("ERR value is not a valid float"), raw.call("INCRBYFLOAT", k("new"), " 1"));
        assertEquals(err("ERR value is not a valid float"), raw.call("INCRBYFLOAT", k("new"), "1e5000"));
        assertEquals(OK, raw.call("SET", k("s"), "abc"));
        assertEquals(err("ERR value is not a valid float"), raw.call("INCRBYFLOAT", k("s"), "1"));
        assertEquals(OK, raw.call("SET", k("ttl"), "1", "PX", "100000"));
        assertEquals(bulk("1.25"), raw.call("INCRBYFLOAT", k("ttl"), "0.25"));
        assertTrue(expireAt(k("ttl")) > 0, "INCRBYFLOAT keeps the TTL");
        assertEquals(3.5, jedis.incrByFloat(k("ttl"), 2.25));
    }

    @Test
    void getrangeSubstr() {
        assertEquals("$0\r\n\r\n", raw.call("GETRANGE", k("none"), "0", "-1"));
        assertEquals(OK, raw.call("SET", k("s"), "Hello World"));
        assertEquals(bulk("Hell"), raw.call("GETRANGE", k("s"), "0", "3"));
        assertEquals(bulk("orld"), raw.call("GETRANGE", k("s"), "-4", "-1"));
        assertEquals(bulk("lo World"), raw.call("GETRANGE", k("s"), "3", "100"));
        assertEquals("$0\r\n\r\n", raw.call("GETRANGE", k("s"), "3", "1"));
        assertEquals("$0\r\n\r\n", raw.call("GETRANGE", k("s"), "-2", "-5"));
        assertEquals("$0\r\n\r\n", raw.call("GETRANGE", k("s"), "11", "11"));
        assertEquals(bulk("Hello World"), raw.call("GETRANGE", k("s"), "-9223372036854775808", "9223372036854775807"));
        assertEquals(bulk("He"), raw.call("SUBSTR", k("s"), "0", "1"));
        assertEquals(err("ERR value is not an integer or out of range"), raw.call("GETRANGE", k("s"), "a", "1"));
        assertEquals(err("ERR value is not an integer or out of range"), raw.call("GETRANGE", k("s"), "0", "9223372036854775808"));
        assertEquals("ll", jedis.getrange(k("s"), 2, 3));
        assertEquals("World", jedis.substr(k("s"), 6, 100));
    }

    @Test
    void setrange() {
        assertEquals(":0\r\n", raw.call("SETRANGE", k("a"), "5", ""));
        assertEquals(NIL, raw.call("GET", k("a")), "an empty write creates nothing");
        assertEquals(":5\r\n", raw.call("SETRANGE", k("a"), "3", "ab"));
        assertEquals("$5\r\n\0\0\0ab\r\n", raw.call("GET", k("a")));
        assertEquals(":5\r\n", raw.call("SETRANGE", k("a"), "0", "xy"));
        assertEquals(":5\r\n", raw.call("SETRANGE", k("a"), "100", ""));
        assertEquals("$5\r\nxy\0ab\r\n", raw.call("GET", k("a")));
        assertEquals(err("ERR offset is out of range"), raw.call("SETRANGE", k("a"), "-1", "x"));
        assertEquals(err("ERR value is not an integer or out of range"), raw.call("SETRANGE", k("a"), "x", "x"));
        assertEquals(err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
                raw.call("SETRANGE", k("a"), "1048576", "x"));
        assertEquals(err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
                raw.call("SETRANGE", k("a"), "9223372036854775807", "x"));
        assertEquals(11L, jedis.setrange(k("j"), 6, "World"));
    }

    @Test
    void lcs() {
        assertEquals(OK, raw.call("MSET", k("a"), "ohmytext", k("b"), "mynewtext"));
        assertEquals(bulk("mytext"), raw.call("LCS", k("a"), k("b")));
        assertEquals(":6\r\n", raw.call("LCS", k("a"), k("b"), "LEN"));
        String idx = "*4\r\n" + bulk("matches") + "*2\r\n"
                + "*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
                + "*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n"
                + bulk("len") + ":6\r\n";
        assertEquals(idx, raw.call("LCS", k("a"), k("b"), "IDX"));
        assertEquals("*4\r\n" + bulk("matches") + "*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n" + bulk("len") + ":6\r\n",
                raw.call("LCS", k("a"), k("b"), "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
        assertEquals(idx, raw.call("LCS", k("a"), k("b"), "MINMATCHLEN", "-5", "IDX"));
        assertEquals("*4\r\n" + bulk("matches") + "*0\r\n" + bulk("len") + ":0\r\n", raw.call("LCS", k("x"), k("y"), "IDX"));
        assertEquals("$0\r\n\r\n", raw.call("LCS", k("a"), k("missing")));
        assertEquals(err("ERR If you want both the length and indexes, please just use IDX."),
                raw.call("LCS", k("a"), k("b"), "IDX", "LEN"));
        assertEquals(err("ERR syntax error"), raw.call("LCS", k("a"), k("b"), "MINMATCHLEN"));
        assertEquals(err("ERR syntax error"), raw.call("LCS", k("a"), k("b"), "FOO"));
        assertEquals(err("ERR value is not an integer or out of range"), raw.call("LCS", k("a"), k("b"), "MINMATCHLEN", "x"));
        // The table for two 600-byte strings (1.4 MB) exceeds proto-max-bulk-len (1 MiB here).
        assertEquals(OK, raw.call("MSET", k("l1"), "a".repeat(600), k("l2"), "a".repeat(600)));
        assertEquals(err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"),
                raw.call("LCS", k("l1"), k("l2")));
        // RESP3: a map.
        raw.call("HELLO", "3");
        assertEquals("%2\r\n" + bulk("matches") + "*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n" + bulk("len") + ":6\r\n",
                raw.call("LCS", k("a"), k("b"), "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
        assertEquals("_\r\n", raw.call("GET", k("missing")));
        LCSMatchResult r = jedis.lcs(k("a"), k("b"), LCSParams.LCSParams().idx().withMatchLen());
        assertEquals(6, r.getLen());
        assertEquals(2, r.getMatches().size());
        assertEquals(4, r.getMatches().get(0).getMatchLen());
    }

    @Test
    void casAndCad() throws Exception {
        assertEquals(":-1\r\n", raw.call("CAS", k("a"), "old", "new"));
        assertEquals(NIL, raw.call("GET", k("a")));
        assertEquals(OK, raw.call("SET", k("a"), "old", "PX", "100000"));
        assertEquals(":0\r\n", raw.call("CAS", k("a"), "other", "new"));
        assertEquals(bulk("old"), raw.call("GET", k("a")));
        assertEquals(":1\r\n", raw.call("CAS", k("a"), "old", "new"));
        assertEquals(bulk("new"), raw.call("GET", k("a")));
        assertEquals(0, expireAt(k("a")), "without EX/PX the swapped value has no TTL");
        assertEquals(":1\r\n", raw.call("CAS", k("a"), "new", "newer", "EX", "100"));
        assertTrue(expireAt(k("a")) > System.currentTimeMillis() + 90_000);
        assertEquals(":1\r\n", raw.call("CAS", k("a"), "newer", "x", "PX", "1000", "PX", "100000"));
        assertTrue(expireAt(k("a")) > System.currentTimeMillis() + 90_000, "the last repeated option counts");
        long at = System.currentTimeMillis() + 200_000;
        assertEquals(":1\r\n", raw.call("CAS", k("a"), "x", "y", "PXAT", Long.toString(at)));
        assertEquals(at, expireAt(k("a")));
        assertEquals(":1\r\n", raw.call("CAS", k("a"), "y", "z", "PX", "100"));
        Thread.sleep(200);
        assertEquals(":-1\r\n", raw.call("CAS", k("a"), "z", "w"), "expired");
        assertEquals(err("ERR syntax error"), raw.call("CAS", k("a"), "1", "2", "EX", "1", "PX", "1000"));
        assertEquals(err("ERR syntax error"), raw.call("CAS", k("a"), "1", "2", "EX"));
        assertEquals(err("ERR syntax error"), raw.call("CAS", k("a"), "1", "2", "KEEPTTL"));
        assertEquals(err("ERR invalid expire time in 'cas' command"), raw.call("CAS", k("a"), "1", "2", "EX", "0"));
        assertEquals(err("ERR value is not an integer or out of range"), raw.call("CAS", k("a"), "1", "2", "EX", "x"));
        assertEquals(err("ERR wrong number of arguments for 'cas' command"), raw.call("CAS", k("a"), "1"));

        assertEquals(":-1\r\n", raw.call("CAD", k("d"), "v"));
        assertEquals(OK, raw.call("SET", k("d"), "v"));
        assertEquals(":0\r\n", raw.call("CAD", k("d"), "w"));
        assertEquals(":1\r\n", raw.call("CAD", k("d"), "v"));
        assertEquals(NIL, raw.call("GET", k("d")));
        assertEquals(err("ERR wrong number of arguments for 'cad' command"), raw.call("CAD", k("d"), "v", "w"));
    }

    @Test
    void jedisSetParams() throws Exception {
        assertEquals("OK", jedis.set(k("a"), "1", SetParams.setParams().nx().px(100_000)));
        assertNull(jedis.set(k("a"), "2", SetParams.setParams().nx()));
        assertEquals("1", jedis.setGet(k("a"), "3"));
        assertEquals("3", jedis.get(k("a")));
        assertEquals(1L, jedis.msetnx(k("b"), "1", k("c"), "2"));
        assertEquals("2", jedis.getDel(k("c")));
        assertEquals(11L, jedis.incrBy(k("b"), 10));
        assertEquals(1L, jedis.decrBy(k("b"), 10));
        assertEquals(4L, jedis.append(k("b"), "abc"));
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.incr(k("b")));
        assertEquals("ERR value is not an integer or out of range", e.getMessage());
    }

    @Test
    void stringsInsideMultiExec() {
        assertEquals(OK, raw.call("MULTI"));
        assertEquals("+QUEUED\r\n", raw.call("SET", k("m"), "1"));
        assertEquals("+QUEUED\r\n", raw.call("INCR", k("m")));
        assertEquals("+QUEUED\r\n", raw.call("APPEND", k("m"), "x"));
        assertEquals("+QUEUED\r\n", raw.call("INCR", k("m")));
        assertEquals("+QUEUED\r\n", raw.call("GET", k("m")));
        assertEquals("*5\r\n" + OK + ":2\r\n:2\r\n" + err("ERR value is not an integer or out of range") + bulk("2x"),
                raw.call("EXEC"));
        assertEquals(bulk("2x"), raw.call("GET", k("m")));
    }

    @Test
    void writesBreakWatchButReadsAndNoOpsDoNot() {
        assertEquals(OK, raw.call("SET", k("w"), "1"));
        try (RawClient other = server.raw()) {
            // Reads and writes that change nothing leave the watch intact.
            assertEquals(OK, raw.call("WATCH", k("w")));
            assertEquals(bulk("1"), other.call("GET", k("w")));
            assertEquals(NIL, other.call("SET", k("w"), "2", "NX"));
            assertEquals(bulk("1"), other.call("GETEX", k("w")));
            assertEquals(OK, raw.call("MULTI"));
            assertEquals("+QUEUED\r\n", raw.call("INCR", k("w")));
            assertEquals("*1\r\n:2\r\n", raw.call("EXEC"));
            // Each kind of write by another client aborts the transaction.
            String[][] writes = {{"INCR", k("w")}, {"APPEND", k("w"), "0"}, {"SETRANGE", k("w"), "0", "5"},
                    {"MSET", k("x"), "1", k("w"), "7"}, {"GETEX", k("w"), "PX", "100000"}, {"CAS", k("w"), "7", "8"},
                    {"GETDEL", k("w")}};
            for (String[] write : writes) {
                assertEquals(OK, raw.call("SET", k("w"), "7"));
                assertEquals(OK, raw.call("WATCH", k("w")));
                other.call(write);
                assertEquals(OK, raw.call("MULTI"));
                assertEquals("+QUEUED\r\n", raw.call("GET", k("w")));
                assertEquals("*-1\r\n", raw.call("EXEC"), String.join(" ", write));
            }
        }
    }
}
