package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.BlockedClients;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RealRedis;
import dev.basalt.testutil.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * RDB LOAD of a dump.rdb that redis-server 7.0 wrote (SAVE) with 100,000 keys of every type, in the
 * encodings Redis picks for small and large values, a tenth of them with a TTL, some in database 1, and a
 * function library: every key reads back equal on both servers, with the same absolute expiry. Other
 * clients are served while a load runs.
 */
@Timeout(600)
class RdbLoadConformanceTest {
    private static final int KEYS = 100_000;
    private static RealRedis redis;
    private static TestServer basalt;
    private static Path dump;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("basalt-rdb");
        redis = RealRedis.start("--dir", dir.toString(), "--dbfilename", "dump.rdb");
        basalt = TestServer.start();
        try (Jedis r = new Jedis("127.0.0.1", redis.port())) {
            populate(r);
            assertEquals("OK", r.save());
        }
        dump = dir.resolve("dump.rdb");
        assertTrue(Files.size(dump) > 0);
    }

    @AfterAll
    static void stop() {
        if (basalt != null) {
            basalt.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (dir != null) {
            TestServer.deleteTree(dir);
        }
    }

    private static String key(int i) {
        return "k:" + i;
    }

    /** Key i's type: one of seven, so every type is there about 14,000 times. */
    private static int kind(int i) {
        return i % 7;
    }

    private static void populate(Jedis r) {
        long expireBase = System.currentTimeMillis() + 3_600_000;
        Pipeline p = r.pipelined();
        for (int i = 0; i < KEYS; i++) {
            String k = key(i);
            boolean large = i % 997 == 0;
            switch (kind(i)) {
                case 0 -> p.set(k, i % 2 == 0 ? Integer.toString(i) : "value-" + i + (large ? "x".repeat(5000) : ""));
                case 1 -> {
                    int n = large ? 700 : 1 + i % 5;
                    String[] e = new String[n];
                    for (int j = 0; j < n; j++) {
                        e[j] = j % 2 == 0 ? Integer.toString(i + j) : "e" + j;
                    }
                    p.rpush(k, e);
                }
                case 2 -> {
                    int n = large ? 600 : 1 + i % 6;
                    Map<String, String> h = new HashMap<>();
                    for (int j = 0; j < n; j++) {
                        h.put("f" + j, j % 3 == 0 ? Integer.toString(j * i) : "v" + j);
                    }
                    p.hset(k, h);
                }
                case 3 -> {
                    int n = large ? 800 : 1 + i % 4;
                    String[] m = new String[n];
                    for (int j = 0; j < n; j++) {
                        m[j] = i % 2 == 0 ? Integer.toString(j * 31 - 7) : "m" + j; // intsets and hashtables
                    }
                    p.sadd(k, m);
                }
                case 4 -> {
                    int n = large ? 300 : 1 + i % 5;
                    Map<String, Double> z = new HashMap<>();
                    for (int j = 0; j < n; j++) {
                        z.put("m" + j, j * 1.5 - i % 10);
                    }
                    p.zadd(k, z);
                }
                case 5 -> {
                    int n = large ? 250 : 1 + i % 3;
                    for (int j = 1; j <= n; j++) {
                        p.sendCommand(Protocol.Command.XADD, k, j + "-" + (i % 4), "f", "v" + j, "i", Integer.toString(i));
                    }
                    if (i % 35 == 5) {
                        p.sendCommand(Protocol.Command.XGROUP, "CREATE", k, "g", "0");
                        p.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "g", "c1", "COUNT", "1", "STREAMS", k, ">");
                    }
                }
                default -> {
                    if (i % 2 == 0) {
                        p.setbit(k, i % 5000, true);
                    } else {
                        p.pfadd(k, "a" + i, "b", "c" + (i % 100));
                    }
                }
            }
            if (i % 10 == 3) {
                p.pexpireAt(k, expireBase + i);
            }
            if (i % 1000 == 999) {
                p.sync();
            }
        }
        p.sync();
        r.select(1);
        r.set("db1:only", "x");
        r.select(0);
        r.sendCommand(Protocol.Command.FUNCTION, "LOAD",
                "#!lua name=rdbtest\nredis.register_function('one', function() return 1 end)");
    }

    /** Reads every key on one server with pipelining, in a form independent of hash order. */
    private static List<String> read(Jedis j) {
        List<String> out = new ArrayList<>(KEYS);
        for (int from = 0; from < KEYS; from += 1000) {
            Pipeline p = j.pipelined();
            List<Response<Object>> replies = new ArrayList<>();
            List<Response<Object>> ttls = new ArrayList<>();
            for (int i = from; i < Math.min(KEYS, from + 1000); i++) {
                String k = key(i);
                Response<Object> reply = switch (kind(i)) {
                    case 0 -> p.sendCommand(Protocol.Command.GET, k);
                    case 1 -> p.sendCommand(Protocol.Command.LRANGE, k, "0", "-1");
                    case 2 -> p.sendCommand(Protocol.Command.HGETALL, k);
                    case 3 -> p.sendCommand(Protocol.Command.SMEMBERS, k);
                    case 4 -> p.sendCommand(Protocol.Command.ZRANGE, k, "0", "-1", "WITHSCORES");
                    case 5 -> p.sendCommand(Protocol.Command.XINFO, "STREAM", k, "FULL");
                    default -> p.sendCommand(i % 2 == 0 ? Protocol.Command.GET : Protocol.Command.PFCOUNT, k);
                };
                replies.add(reply);
                ttls.add(p.sendCommand(Protocol.Command.PEXPIRETIME, k));
            }
            p.sync();
            for (int n = 0; n < replies.size(); n++) {
                int i = from + n;
                out.add(key(i) + " " + canonical(kind(i), replies.get(n).get()) + " ttl=" + ttls.get(n).get());
            }
        }
        return out;
    }

    private static String canonical(int kind, Object reply) {
        if (kind == 2 || kind == 3) {
            List<String> items = new ArrayList<>();
            List<?> list = (List<?>) reply;
            int step = kind == 2 ? 2 : 1;
            for (int i = 0; i < list.size(); i += step) {
                String item = SafeEncoder.encode((byte[]) list.get(i));
                if (step == 2) {
                    item += "=" + SafeEncoder.encode((byte[]) list.get(i + 1));
                }
                items.add(item);
            }
            items.sort(null);
            return items.toString();
        }
        if (kind == 5) {
            // radix-tree sizes depend on how each server cut the stream into nodes
            List<?> full = (List<?>) reply;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < full.size(); i += 2) {
                String field = SafeEncoder.encode((byte[]) full.get(i));
                if (!field.startsWith("radix-tree")) {
                    sb.append(field).append('=').append(render(full.get(i + 1))).append(' ');
                }
            }
            return sb.toString();
        }
        return render(reply);
    }

    private static String render(Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
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
    void everyKeyAndTtlImportsEqual() throws Exception {
        try (Jedis r = new Jedis("127.0.0.1", redis.port()); Jedis b = new Jedis("127.0.0.1", basalt.port(), 600_000)) {
            long started = System.nanoTime();
            assertEquals("OK", b.sendCommand(() -> SafeEncoder.encode("RDB"), SafeEncoder.encode("LOAD"),
                    SafeEncoder.encode(dump.toString())) instanceof byte[] ok ? SafeEncoder.encode(ok) : "?");
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("RDB LOAD of %d keys (%d bytes): %.2f s, %.0f keys/s%n", KEYS, Files.size(dump), seconds,
                    KEYS / seconds);
            assertEquals((long) KEYS, b.dbSize());
            List<String> expected = read(r);
            List<String> actual = read(b);
            for (int i = 0; i < KEYS; i++) {
                assertEquals(expected.get(i), actual.get(i));
            }
            assertFalse(b.exists("db1:only"), "database 1 is not loaded by default");
            try (Jedis admin = new Jedis("127.0.0.1", basalt.port())) {
                JedisDataException e = org.junit.jupiter.api.Assertions.assertThrows(JedisDataException.class,
                        () -> admin.sendCommand(() -> SafeEncoder.encode("RDB"), "LOAD", "/no/such/file.rdb"));
                assertEquals("ERR failed to open rdb file: '/no/such/file.rdb': No such file or directory",
                        e.getMessage());
                assertEquals("OK", SafeEncoder.encode((byte[]) admin.sendCommand(() -> SafeEncoder.encode("RDB"),
                        "LOAD", dump.toString(), "NX", "DB", "1")));
                assertEquals("x", admin.get("db1:only"));
            }
        }
    }

    @Test
    void otherClientsAreServedDuringALoad() throws Exception {
        try (TestServer other = TestServer.start(); Jedis loader = new Jedis("127.0.0.1", other.port(), 600_000);
                Jedis client = new Jedis("127.0.0.1", other.port()); RawClient blocked = other.raw();
                RawClient observer = other.raw()) {
            // A client blocked on a list the file holds is served by the load, as by any write.
            BlockedClients.sendAndAwait(blocked, observer, "BLPOP", key(1), "0");
            CompletableFuture<Object> load = CompletableFuture.supplyAsync(() -> loader.sendCommand(
                    () -> SafeEncoder.encode("RDB"), SafeEncoder.encode("LOAD"), SafeEncoder.encode(dump.toString())));
            // Wait until the load has committed something, then show it is still going while this client is served.
            long seenPartial = -1;
            while (!load.isDone()) {
                long n = client.dbSize();
                client.set("probe", "1");
                if (n > 0 && !load.isDone()) {
                    seenPartial = n;
                    break;
                }
            }
            Object reply = load.get(600, TimeUnit.SECONDS);
            assertEquals("OK", SafeEncoder.encode((byte[]) reply));
            assertTrue(seenPartial > 0 && seenPartial < KEYS + 1,
                    "a client was served while the load was under way (saw " + seenPartial + " keys)");
            assertEquals("*2\r\n$3\r\nk:1\r\n$1\r\n1\r\n", blocked.readReply());
        }
    }
}
