package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RealRedis;
import dev.basalt.testutil.TestServer;
import dev.basalt.util.Crc64;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.RestoreParams;
import redis.clients.jedis.util.SafeEncoder;

/**
 * DUMP and RESTORE against a real redis-server 7.0: every type, in every encoding Redis 7.0 picks for
 * it, is dumped by Redis, restored into Basalt and read back identically on both; then Basalt's own
 * DUMP of it is restored into Redis (and into Basalt) and read back identically again. Errors and
 * options are compared with Redis's exact replies.
 */
@Timeout(120)
class DumpRestoreConformanceTest {
    private static RealRedis redis;
    private static TestServer basalt;

    @BeforeAll
    static void start() {
        // Redis checks every payload it restores in depth (listpacks, stream nodes, consumer groups).
        redis = RealRedis.start("--enable-debug-command", "yes", "--sanitize-dump-payload", "yes");
        basalt = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (basalt != null) {
            basalt.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static Jedis redisClient() {
        return new Jedis("127.0.0.1", redis.port());
    }

    private static Jedis basaltClient() {
        return new Jedis("127.0.0.1", basalt.port());
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Fills Redis with keys of every type in each of the encodings Redis 7.0 gives them; returns their names. */
    private static List<String> populate(Jedis r, String p) {
        List<String> keys = new ArrayList<>();
        Random rnd = new Random(14);
        // strings: raw, integer-encoded, LZF-compressed, binary, empty; a bitmap; HyperLogLogs sparse and dense
        r.set(p + "s:raw", "hello world");
        r.set(p + "s:int", "1234567");
        r.set(p + "s:neg", "-42");
        r.set(p + "s:lzf", "abcabcabc".repeat(200));
        byte[] bin = new byte[3000];
        rnd.nextBytes(bin);
        r.set(b(p + "s:bin"), bin);
        r.set(p + "s:empty", "");
        r.setbit(p + "s:bits", 10_000, true);
        r.setbit(p + "s:bits", 3, true);
        r.pfadd(p + "hll:sparse", "a", "b", "c", "d");
        String[] many = new String[20_000];
        for (int i = 0; i < many.length; i++) {
            many[i] = "e" + i;
        }
        r.pfadd(p + "hll:dense", many);
        keys.addAll(List.of(p + "s:raw", p + "s:int", p + "s:neg", p + "s:lzf", p + "s:bin", p + "s:empty",
                p + "s:bits", p + "hll:sparse", p + "hll:dense"));
        // lists: one listpack node, many nodes with integers and long elements
        r.rpush(p + "l:small", "a", "1", "-1", "b", "");
        for (int i = 0; i < 1000; i++) {
            r.rpush(p + "l:big", i % 3 == 0 ? Integer.toString(i * 1000) : "x".repeat(i % 90) + i);
        }
        r.rpush(p + "l:huge-element", "y".repeat(70_000), "z");
        // inner quicklist nodes LZF-compressed (list-compress-depth), and plain nodes for large elements
        r.configSet("list-compress-depth", "1");
        for (int i = 0; i < 3000; i++) {
            r.rpush(p + "l:compressed", "compressible-element-" + (i % 10));
        }
        r.configSet("list-compress-depth", "0");
        r.sendCommand(() -> b("DEBUG"), b("QUICKLIST-PACKED-THRESHOLD"), b("100"));
        r.rpush(p + "l:plain-nodes", "small", "p".repeat(500), "tiny", "q".repeat(300));
        r.sendCommand(() -> b("DEBUG"), b("QUICKLIST-PACKED-THRESHOLD"), b("1073741824"));
        keys.addAll(List.of(p + "l:small", p + "l:big", p + "l:huge-element", p + "l:compressed", p + "l:plain-nodes"));
        // sets: intset, hashtable (small and large), wide integers
        r.sadd(p + "set:intset", "1", "2", "3", "-5", "70000", "5000000000");
        r.sadd(p + "set:small", "a", "b", "1");
        for (int i = 0; i < 700; i++) {
            r.sadd(p + "set:big", "member-" + i);
        }
        keys.addAll(List.of(p + "set:intset", p + "set:small", p + "set:big"));
        // hashes: listpack and hashtable
        r.hset(p + "h:small", Map.of("f1", "v1", "n", "12", "neg", "-3", "empty", ""));
        Map<String, String> big = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            big.put("field" + i, i % 2 == 0 ? Integer.toString(i) : "value-" + "v".repeat(i % 70));
        }
        r.hset(p + "h:big", big);
        r.hset(p + "h:long-value", "f", "w".repeat(200));
        keys.addAll(List.of(p + "h:small", p + "h:big", p + "h:long-value"));
        // sorted sets: listpack and skiplist, odd scores
        r.zadd(p + "z:small", Map.of("a", 1.0, "b", 2.5, "c", -3.25, "inf", Double.POSITIVE_INFINITY,
                "ninf", Double.NEGATIVE_INFINITY, "int", 42.0));
        for (int i = 0; i < 300; i++) {
            r.zadd(p + "z:big", i / 7.0 - 20, "m" + i);
        }
        keys.addAll(List.of(p + "z:small", p + "z:big"));
        // streams: one node; many nodes with field changes and deletions; groups, consumers, pending; empty
        r.sendCommand(Protocol.Command.XADD, p + "x:small", "1-1", "f", "v", "g", "w");
        r.sendCommand(Protocol.Command.XADD, p + "x:small", "1-2", "f", "v2", "g", "w2");
        String big2 = p + "x:big";
        for (int i = 1; i <= 350; i++) {
            if (i % 50 == 0) {
                r.sendCommand(Protocol.Command.XADD, big2, i + "-0", "other", "field", "x", Integer.toString(i));
            } else {
                r.sendCommand(Protocol.Command.XADD, big2, i + "-" + (i % 3), "f", "v" + i, "n", Integer.toString(i * 7));
            }
        }
        r.sendCommand(Protocol.Command.XDEL, big2, "10-1", "11-2", "350-2");
        r.sendCommand(Protocol.Command.XGROUP, "CREATE", big2, "g1", "0");
        r.sendCommand(Protocol.Command.XGROUP, "CREATE", big2, "g2", "$");
        r.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", big2, ">");
        r.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", big2, ">");
        r.sendCommand(Protocol.Command.XACK, big2, "g1", "2-2");
        r.sendCommand(Protocol.Command.XGROUP, "CREATECONSUMER", big2, "g1", "carol");
        r.sendCommand(Protocol.Command.XDEL, big2, "1-1");
        r.sendCommand(Protocol.Command.XGROUP, "CREATE", p + "x:empty", "g", "$", "MKSTREAM");
        r.sendCommand(Protocol.Command.XADD, p + "x:gone", "5-5", "a", "b");
        r.sendCommand(Protocol.Command.XDEL, p + "x:gone", "5-5");
        keys.addAll(List.of(p + "x:small", big2, p + "x:empty", p + "x:gone"));
        return keys;
    }

    /** What a key reads as, in a form independent of hash order: every reply that shows its value. */
    private static List<Object> view(Jedis j, String key) {
        List<Object> out = new ArrayList<>();
        byte[] k = b(key);
        String type = j.type(key);
        out.add(type);
        out.add(render(j.sendCommand(Protocol.Command.OBJECT, b("ENCODING"), k)));
        switch (type) {
            case "string" -> {
                // A HyperLogLog is a string to Redis; Basalt keeps it as Kvrocks's own type (no GET):
                // both must count the same. Any other string must read the same.
                Object count;
                try {
                    count = j.sendCommand(Protocol.Command.PFCOUNT, k);
                } catch (JedisDataException e) {
                    count = e.getMessage();
                }
                out.add(count);
                if (!(count instanceof Long)) {
                    out.add(Arrays.toString(j.get(k)));
                }
            }
            case "list" -> j.lrange(k, 0, -1).forEach(e -> out.add(Arrays.toString(e)));
            case "set" -> j.smembers(key).stream().sorted().forEach(out::add);
            case "hash" -> j.hgetAll(key).entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> out.add(e.getKey() + "=" + e.getValue()));
            case "zset" -> j.zrangeWithScores(key, 0, -1).forEach(t -> out.add(t.getElement() + "=" + t.getScore()));
            case "stream" -> {
                out.add(render(j.sendCommand(Protocol.Command.XRANGE, key, "-", "+")));
                out.add(render(j.sendCommand(Protocol.Command.XINFO, "GROUPS", key)));
                List<?> full = (List<?>) j.sendCommand(Protocol.Command.XINFO, "STREAM", key, "FULL");
                // radix-tree sizes depend on how each server cut the stream into nodes
                for (int i = 0; i < full.size(); i += 2) {
                    String field = SafeEncoder.encode((byte[]) full.get(i));
                    if (!field.startsWith("radix-tree")) {
                        out.add(field + "=" + render(full.get(i + 1)));
                    }
                }
            }
            default -> throw new AssertionError("unexpected type " + type);
        }
        return out;
    }

    private static String render(Object reply) {
        if (reply instanceof byte[] bytes) {
            return SafeEncoder.encode(bytes);
        }
        if (reply instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : list) {
                sb.append(render(o)).append(',');
            }
            return sb.append(']').toString();
        }
        return String.valueOf(reply);
    }

    @Test
    void everyTypeRestoresFromRedisAndBack() {
        try (Jedis r = redisClient(); Jedis bs = basaltClient()) {
            List<String> keys = populate(r, "rt:");
            for (String key : keys) {
                byte[] payload = r.dump(key);
                assertNotNull(payload, key);
                assertEquals("OK", bs.restore(b(key), 0, payload), key);
                List<Object> expected = view(r, key);
                assertEquals(expected, view(bs, key), "restored into Basalt: " + key);

                byte[] ours = bs.dump(key);
                assertEquals("OK", r.restore(b("back:" + key), 0, ours), "Redis restores Basalt's DUMP of " + key);
                assertEquals(expected, view(r, "back:" + key), "Basalt's DUMP restored into Redis: " + key);
                assertEquals("OK", bs.restore(b("again:" + key), 0, ours), key);
                assertEquals(expected, view(bs, "again:" + key), "Basalt's DUMP restored into Basalt: " + key);
            }
        }
    }

    @Test
    void ttlAndOptions() {
        try (Jedis r = redisClient(); Jedis bs = basaltClient()) {
            r.set("opt:src", "v");
            byte[] payload = r.dump("opt:src");
            assertEquals("OK", bs.restore(b("opt:ttl"), 100_000, payload));
            long pttl = bs.pttl("opt:ttl");
            assertTrue(pttl > 90_000 && pttl <= 100_000, "pttl " + pttl);
            long at = System.currentTimeMillis() + 500_000;
            assertEquals("OK", bs.restore(b("opt:abs"), at, payload, RestoreParams.restoreParams().absTtl()));
            assertEquals(at, bs.pexpireTime("opt:abs"));
            // an absolute time in the past: OK, and nothing is created (REPLACE deletes what was there)
            assertEquals("OK", bs.restore(b("opt:past"), 1000, payload, RestoreParams.restoreParams().absTtl()));
            assertEquals(0, bs.exists("opt:past") ? 1 : 0);
            bs.set("opt:past", "old");
            assertEquals("OK", bs.restore(b("opt:past"), 1000, payload,
                    RestoreParams.restoreParams().absTtl().replace()));
            assertEquals(false, bs.exists("opt:past"));
            assertEquals("OK", bs.restore(b("opt:idle"), 0, payload, RestoreParams.restoreParams().idleTime(50)));
            assertEquals("OK", bs.restore(b("opt:freq"), 0, payload, RestoreParams.restoreParams().frequency(5)));
            assertArrayEquals(b("v"), bs.get(b("opt:freq")));
            // a collection keeps its TTL too
            r.rpush("opt:list", "a", "b");
            r.pexpire("opt:list", 200_000);
            byte[] listPayload = r.dump("opt:list");
            assertEquals("OK", bs.restore(b("opt:list"), 200_000, listPayload));
            assertTrue(bs.pttl("opt:list") > 190_000);
            assertEquals(List.of("a", "b"), bs.lrange("opt:list", 0, -1));
            // REPLACE over another type
            bs.sadd("opt:replace", "x");
            assertEquals("OK", bs.restore(b("opt:replace"), 0, listPayload, RestoreParams.restoreParams().replace()));
            assertEquals(List.of("a", "b"), bs.lrange("opt:replace", 0, -1));
            assertNull(bs.dump("opt:none"));
        }
    }

    /** Sends the same command (binary arguments) to both servers and compares the replies or errors exactly. */
    private static void same(Jedis r, Jedis bs, Object... args) {
        byte[][] argv = new byte[args.length - 1][];
        for (int i = 1; i < args.length; i++) {
            argv[i - 1] = args[i] instanceof byte[] bytes ? bytes : b(args[i].toString());
        }
        Protocol.Command cmd = (Protocol.Command) args[0];
        assertEquals(outcome(r, cmd, argv), outcome(bs, cmd, argv), cmd + " " + Arrays.toString(args));
    }

    private static String outcome(Jedis j, Protocol.Command cmd, byte[][] argv) {
        try {
            return render(j.sendCommand(cmd, argv));
        } catch (JedisDataException e) {
            return "error: " + e.getMessage();
        }
    }

    @Test
    void errorsAreRedisErrors() {
        try (Jedis r = redisClient(); Jedis bs = basaltClient()) {
            r.set("err:src", "v");
            byte[] good = r.dump("err:src");
            byte[] badCrc = good.clone();
            badCrc[badCrc.length - 1] ^= 1;
            byte[] newer = good.clone();
            newer[newer.length - 10] = 11;
            byte[] badBody = Arrays.copyOf(new byte[] {(byte) 40, 1, 2}, 3);
            byte[] badBodyPayload = withFooter(badBody);
            byte[] emptyList = withFooter(new byte[] {1, 0});
            for (Jedis j : List.of(r, bs)) {
                j.set("err:busy", "x");
            }
            same(r, bs, Protocol.Command.RESTORE, "err:busy", "0", good);
            same(r, bs, Protocol.Command.RESTORE, "err:busy", "notanumber", good);
            same(r, bs, Protocol.Command.RESTORE, "err:new", "notanumber", good);
            same(r, bs, Protocol.Command.RESTORE, "err:new", "-1", good);
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", badCrc);
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", newer);
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", b("short"));
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", badBodyPayload);
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", emptyList);
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", withFooter(new byte[] {2, 2, 1, 'a', 1, 'a'}));
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0",
                    withFooter(new byte[] {4, 2, 1, 'f', 1, 'v', 1, 'f', 1, 'w'}));
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", withFooter(new byte[] {4, 2, 1, 'f', 1, 'v', 1, 'v', 1, 'f'}));
            same(r, bs, Protocol.Command.HGETALL, "err:new");
            same(r, bs, Protocol.Command.DEL, "err:new");
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", good, "IDLETIME", "-1");
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", good, "IDLETIME", "x");
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", good, "FREQ", "256");
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", good, "FREQ", "-1");
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", good, "FREQ", "1", "IDLETIME", "1");
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", good, "IDLETIME");
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", good, "BOGUS");
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0");
            same(r, bs, Protocol.Command.DUMP);
            same(r, bs, Protocol.Command.DUMP, "a", "b");
            same(r, bs, Protocol.Command.DUMP, "err:missing");
            same(r, bs, Protocol.Command.RESTORE, "err:new", "0", good, "REPLACE", "ABSTTL", "IDLETIME", "5");
            same(r, bs, Protocol.Command.GET, "err:new");
            same(r, bs, Protocol.Command.RESTORE, "err:busy", "0", good, "REPLACE");
            same(r, bs, Protocol.Command.GET, "err:busy");
        }
    }

    /** A body with the version-10 footer and its CRC, as DUMP writes them (computed here independently). */
    private static byte[] withFooter(byte[] body) {
        byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = 10;
        p[body.length + 1] = 0;
        long crc = crc64(p, body.length + 2);
        for (int i = 0; i < 8; i++) {
            p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    /** Bit-at-a-time CRC-64/Jones, reflected (Redis's crc64), independent of Basalt's table version. */
    private static long crc64(byte[] data, int len) {
        long poly = Long.reverse(0xad93d23594c935a9L);
        long crc = 0;
        for (int i = 0; i < len; i++) {
            crc ^= data[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
        }
        return crc;
    }

    @Test
    void keysRedisCannotHoldAreRefusedClearly() {
        try (Jedis bs = basaltClient()) {
            bs.sendCommand(() -> b("SIADD"), b("si:key"), b("1"), b("2"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> bs.dump("si:key"));
            assertEquals("ERR a key of type 'sortedint' has no form in Redis's serialization format", e.getMessage());
        }
    }

    @Test
    void crcCheckValue() {
        byte[] check = b("123456789");
        assertEquals(0xe9c6d914c4b8d9caL, crc64(check, check.length));
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of(check, 0, check.length));
    }

    @Test
    void binaryKeysAndFields() {
        try (Jedis r = redisClient(); Jedis bs = basaltClient()) {
            byte[] key = {0, (byte) 0xff, 'k'};
            r.hset(key, Map.of(new byte[] {1, 2}, new byte[] {(byte) 0x80}));
            byte[] payload = r.dump(key);
            assertEquals("OK", bs.restore(key, 0, payload));
            assertArrayEquals(new byte[] {(byte) 0x80}, bs.hget(key, new byte[] {1, 2}));
            List<byte[]> fields = new ArrayList<>(bs.hkeys(key));
            fields.sort(Comparator.comparingInt(f -> f.length));
            assertArrayEquals(new byte[] {1, 2}, fields.get(0));
        }
    }
}
