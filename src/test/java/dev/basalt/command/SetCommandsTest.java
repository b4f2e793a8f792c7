package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RespValue;
import dev.basalt.testutil.SharedServer;
import dev.basalt.util.Bytes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The set commands over a real server: exact replies, errors, big sets, expiry, WATCH, concurrency. */
class SetCommandsTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port());
    }

    @Test
    void exactRepliesInResp2AndResp3() {
        try (RawClient c = server.raw()) {
            assertEquals(":3\r\n", c.call("SADD", "x:e", "b", "a", "c"));
            assertEquals(":0\r\n", c.call("SADD", "x:e", "a"));
            assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("SMEMBERS", "x:e"));
            assertEquals("*0\r\n", c.call("SMEMBERS", "x:none"));
            assertEquals("$-1\r\n", c.call("SRANDMEMBER", "x:none"));
            assertEquals("$-1\r\n", c.call("SPOP", "x:none"));
            assertEquals("*0\r\n", c.call("SPOP", "x:none", "3"));
            assertEquals("*2\r\n:1\r\n:0\r\n", c.call("SMISMEMBER", "x:e", "a", "z"));
            assertEquals("*2\r\n$1\r\n0\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("SSCAN", "x:e", "0"));
            assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", c.call("SSCAN", "x:none", "0", "COUNT", "0"));
            c.call("SADD", "x:e2", "b", "z");
            c.call("HELLO", "3");
            assertEquals("~3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("SMEMBERS", "x:e"));
            assertEquals("~0\r\n", c.call("SMEMBERS", "x:none"));
            assertEquals("~0\r\n", c.call("SINTER", "x:e", "x:e", "x:none2"));
            assertEquals("~1\r\n$1\r\nb\r\n", c.call("SINTER", "x:e", "x:e", "x:e2"));
            assertEquals("~2\r\n$1\r\na\r\n$1\r\nc\r\n", c.call("SDIFF", "x:e", "x:e2"));
            assertEquals("~3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("SUNION", "x:e", "x:none"));
            assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("SRANDMEMBER", "x:e", "10"));
            assertEquals("_\r\n", c.call("SRANDMEMBER", "x:none"));
            assertEquals("~0\r\n", c.call("SPOP", "x:none", "3"));
            assertEquals("~3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("SPOP", "x:e", "3"));
            assertEquals(":0\r\n", c.call("SCARD", "x:e"));
        }
    }

    @Test
    void errorTexts() {
        try (RawClient c = server.raw()) {
            c.call("SET", "x:str", "v");
            c.call("SADD", "x:err", "a");
            String wrongType = "-" + ErrorReply.WRONGTYPE + "\r\n";
            assertEquals(wrongType, c.call("SADD", "x:str", "a"));
            assertEquals(wrongType, c.call("SMEMBERS", "x:str"));
            assertEquals(wrongType, c.call("SINTER", "x:nokey", "x:str"));
            assertEquals(wrongType, c.call("SUNIONSTORE", "x:d", "x:err", "x:str"));
            assertEquals(":0\r\n", c.call("SMOVE", "x:nokey", "x:str", "a"));
            assertEquals(wrongType, c.call("SMOVE", "x:err", "x:str", "zz"));
            assertEquals("-ERR wrong number of arguments for 'sadd' command\r\n", c.call("SADD", "x:err"));
            assertEquals("-ERR syntax error\r\n", c.call("SPOP", "x:err", "1", "2"));
            assertEquals("-ERR value is out of range, must be positive\r\n", c.call("SPOP", "x:err", "-1"));
            assertEquals("-ERR value is out of range, must be positive\r\n", c.call("SPOP", "x:str", "x"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("SRANDMEMBER", "x:err", "1.5"));
            assertEquals("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
                    c.call("SRANDMEMBER", "x:err", "-9223372036854775808"));
            assertEquals("-ERR numkeys should be greater than 0\r\n", c.call("SINTERCARD", "0", "x:err"));
            assertEquals("-ERR Number of keys can't be greater than number of args\r\n",
                    c.call("SINTERCARD", "3", "x:err", "x:err"));
            assertEquals("-ERR LIMIT can't be negative\r\n", c.call("SINTERCARD", "1", "x:err", "LIMIT", "-3"));
            assertEquals("-ERR syntax error\r\n", c.call("SINTERCARD", "1", "x:err", "LIMIT"));
            assertEquals("-ERR invalid cursor\r\n", c.call("SSCAN", "x:err", "abc"));
            assertEquals("-ERR syntax error\r\n", c.call("SSCAN", "x:err", "0", "COUNT", "0"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("SSCAN", "x:err", "0", "COUNT", "z"));
        }
    }

    @Test
    void bigSetStreamsWholeAndScansInPages() {
        int n = 20_000;
        Set<String> expected = new HashSet<>();
        try (Jedis j = jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < n; i += 500) {
                String[] batch = new String[500];
                for (int k = 0; k < 500; k++) {
                    batch[k] = "member-" + (i + k);
                    expected.add(batch[k]);
                }
                p.sadd("x:big", batch);
            }
            p.sync();
            assertEquals(n, j.scard("x:big"));
            Set<String> all = j.smembers("x:big");
            assertEquals(expected, all);

            Set<String> scanned = new HashSet<>();
            List<String> scannedList = new ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int calls = 0;
            do {
                ScanResult<String> r = j.sscan("x:big", cursor, new ScanParams().count(1000));
                scannedList.addAll(r.getResult());
                scanned.addAll(r.getResult());
                cursor = r.getCursor();
                calls++;
            } while (!cursor.equals("0"));
            assertEquals(n, scannedList.size(), "each member once");
            assertEquals(expected, scanned);
            assertEquals(n / 1000, calls);

            List<String> matched = new ArrayList<>();
            cursor = "0";
            do {
                ScanResult<String> r = j.sscan("x:big", cursor, new ScanParams().match("member-1999*").count(3000));
                matched.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            assertEquals(new TreeSet<>(List.of("member-1999", "member-19990", "member-19991", "member-19992",
                    "member-19993", "member-19994", "member-19995", "member-19996", "member-19997", "member-19998",
                    "member-19999")), new TreeSet<>(matched));

            assertEquals(n, j.sunionstore("x:bigcopy", "x:big"));
            assertEquals(n, j.sintercard("x:big", "x:bigcopy"));
            assertEquals(100, j.sintercard(100, "x:big", "x:bigcopy"));
            assertEquals(0, j.sdiff("x:big", "x:bigcopy").size());
        }
    }

    @Test
    void spopUntilEmptyDeletesTheKey() throws Exception {
        try (Jedis j = jedis()) {
            j.sadd("x:pop", "a", "b", "c", "d", "e", "f", "g");
            Set<String> popped = new HashSet<>();
            popped.add(j.spop("x:pop"));
            popped.addAll(j.spop("x:pop", 2));
            assertEquals(4, j.scard("x:pop"));
            popped.addAll(j.spop("x:pop", 4));
            assertEquals(Set.of("a", "b", "c", "d", "e", "f", "g"), popped);
            assertEquals(0, j.scard("x:pop"));
            assertFalse(j.exists("x:pop"));
            assertNull(j.spop("x:pop"));
            j.sadd("x:pop2", "only");
            assertEquals("only", j.spop("x:pop2"));
            assertFalse(j.exists("x:pop2"));
            j.sadd("x:rem", "a", "b");
            assertEquals(2, j.srem("x:rem", "a", "b", "c"));
            assertFalse(j.exists("x:rem"));
            j.sadd("x:mv", "a");
            assertEquals(1, j.smove("x:mv", "x:mv2", "a"));
            assertFalse(j.exists("x:mv"));
        }
    }

    @Test
    void randomRepliesAreDrawnFromTheSet() {
        try (Jedis j = jedis()) {
            j.sadd("x:rand", "a", "b", "c", "d", "e");
            Set<String> members = Set.of("a", "b", "c", "d", "e");
            for (int i = 0; i < 20; i++) {
                assertTrue(members.contains(j.srandmember("x:rand")));
                List<String> three = j.srandmember("x:rand", 3);
                assertEquals(3, new HashSet<>(three).size());
                assertTrue(members.containsAll(three));
                List<String> eight = j.srandmember("x:rand", -8);
                assertEquals(8, eight.size());
                assertTrue(members.containsAll(eight));
            }
            assertEquals(5, j.scard("x:rand"));
        }
    }

    @Test
    void expiredSetReadsAsEmptyAndWritesKeepALiveTtl() throws Exception {
        try (Jedis j = jedis()) {
            j.sadd("x:ttl", "a", "b");
            long at = System.currentTimeMillis() + 3_600_000;
            j.pexpireAt("x:ttl", at);
            j.sadd("x:ttl", "c");
            j.srem("x:ttl", "a");
            assertEquals(at, j.pexpireTime("x:ttl"));
            // SMOVE into it and SPOP from it keep the TTL too; a STORE onto it drops it.
            j.sadd("x:ttlsrc", "z");
            j.smove("x:ttlsrc", "x:ttl", "z");
            assertEquals(at, j.pexpireTime("x:ttl"));
            j.spop("x:ttl");
            assertEquals(at, j.pexpireTime("x:ttl"));
            j.sunionstore("x:ttl", "x:ttl");
            assertEquals(-1, j.pexpireTime("x:ttl"));

            j.sadd("x:gone", "a", "b");
            j.pexpireAt("x:gone", 1); // in the past: the key is deleted at once
            assertEquals(0, j.scard("x:gone"));
            assertFalse(j.sismember("x:gone", "a"));
            assertEquals(Set.of(), j.smembers("x:gone"));
            assertEquals(0, j.sinter("x:gone", "x:ttl").size());
            assertEquals(1, j.sadd("x:gone", "a"));
            assertEquals(Set.of("a"), j.smembers("x:gone"));
            assertEquals(-1, j.pexpireTime("x:gone"));

            // Expired but not yet swept: read as missing, and SADD starts a fresh set without TTL.
            j.sadd("x:lazy", "old1", "old2");
            j.pexpire("x:lazy", 1);
            Thread.sleep(10);
            assertEquals(0, j.scard("x:lazy"));
            assertEquals(0, j.sunion("x:lazy").size());
            assertEquals(0, j.smove("x:lazy", "x:lazy2", "old1"));
            assertEquals(1, j.sadd("x:lazy", "old1"));
            assertEquals(Set.of("old1"), j.smembers("x:lazy"));
            assertEquals(-1, j.pexpireTime("x:lazy"));
        }
    }

    @Test
    void watchSeesSetWritesButNotNoOps() {
        try (Jedis a = jedis(); Jedis b = jedis(); RawClient c = server.raw()) {
            a.sadd("x:w", "a");
            // A no-op SADD does not count as a write, as in Redis.
            assertEquals("+OK\r\n", c.call("WATCH", "x:w"));
            b.sadd("x:w", "a");
            b.srem("x:w", "zz");
            c.call("MULTI");
            c.call("SCARD", "x:w");
            assertEquals("*1\r\n:1\r\n", c.call("EXEC"));
            // A real change aborts the transaction.
            assertEquals("+OK\r\n", c.call("WATCH", "x:w"));
            b.sadd("x:w", "b");
            c.call("MULTI");
            c.call("SCARD", "x:w");
            assertEquals("*-1\r\n", c.call("EXEC"));
            // So does a STORE onto the watched key.
            assertEquals("+OK\r\n", c.call("WATCH", "x:w"));
            b.sinterstore("x:w", "x:w");
            c.call("MULTI");
            c.call("SCARD", "x:w");
            assertEquals("*-1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void sintercardKeysComeFromNumkeys() throws Exception {
        CommandSpec spec = server.server().commands().get("sintercard");
        List<String> keys = new ArrayList<>();
        for (byte[] k : spec.keys(args("SINTERCARD", "2", "k1", "k2", "LIMIT", "5"))) {
            keys.add(Bytes.str(k));
        }
        assertEquals(List.of("k1", "k2"), keys);
        assertEquals(0, spec.keys(args("SINTERCARD", "0", "k1")).size());
        assertEquals(0, spec.keys(args("SINTERCARD", "x", "k1")).size());
        assertEquals(0, spec.keys(args("SINTERCARD", "3", "k1", "k2")).size());
        CommandSpec store = server.server().commands().get("sdiffstore");
        assertEquals(3, store.keys(args("SDIFFSTORE", "d", "s1", "s2")).size());
        assertEquals(2, server.server().commands().get("smove").keys(args("SMOVE", "a", "b", "m")).size());
        // A malformed SINTERCARD inside MULTI fails alone at EXEC.
        try (RawClient c = server.raw()) {
            c.call("SADD", "x:card", "a");
            c.call("MULTI");
            c.call("SINTERCARD", "5", "x:card");
            c.call("SINTERCARD", "1", "x:card");
            assertEquals("*2\r\n-ERR Number of keys can't be greater than number of args\r\n:1\r\n", c.call("EXEC"));
        }
    }

    private static byte[][] args(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = Bytes.of(s[i]);
        }
        return out;
    }

    @Test
    void concurrentMovesConserveMembers() throws Exception {
        int members = 200;
        try (Jedis j = jedis()) {
            String[] all = new String[members];
            for (int i = 0; i < members; i++) {
                all[i] = "m" + i;
            }
            j.sadd("x:left", all);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    try (Jedis j = jedis()) {
                        for (int i = 0; i < 300; i++) {
                            String m = "m" + ((i * 7 + id * 13) % members);
                            if ((i + id) % 2 == 0) {
                                j.smove("x:left", "x:right", m);
                            } else {
                                j.smove("x:right", "x:left", m);
                            }
                            if (i % 50 == 0) {
                                j.sunionstore("x:snapshot", "x:left", "x:right");
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Jedis j = jedis()) {
            assertEquals(members, j.scard("x:left") + j.scard("x:right"));
            assertEquals(0, j.sintercard("x:left", "x:right"));
            assertEquals(members, j.scard("x:snapshot"));
            Set<String> union = j.sunion("x:left", "x:right");
            assertEquals(members, union.size());
        }
    }

    @Test
    void resp3SmembersOfABigSetParses() {
        try (RawClient c = server.raw(); Jedis j = jedis()) {
            String[] ms = new String[3000];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = "v" + i;
            }
            j.sadd("x:r3", ms);
            c.call("HELLO", "3");
            RespValue v = RespValue.parse(c.call("SMEMBERS", "x:r3"));
            assertEquals('~', v.type());
            assertEquals(3000, v.elements().size());
        }
    }
}
