package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.SharedServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Hashes through a real client library: whole-hash round trips, scans, concurrency. */
class HashJedisTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port());
    }

    @Test
    void mapRoundTrip() {
        try (Jedis j = jedis()) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                m.put("field-" + i, "value-" + i + "-" + "x".repeat(i % 40));
            }
            assertEquals(300, j.hset("user:1", m));
            assertEquals(m, j.hgetAll("user:1"));
            assertEquals(300, j.hlen("user:1"));
            assertEquals(List.of("value-7-xxxxxxx", "value-0-"), j.hmget("user:1", "field-7", "field-0"));
            String[] even = new String[150];
            for (int i = 0; i < 150; i++) {
                even[i] = "field-" + (2 * i);
                m.remove(even[i]);
            }
            assertEquals(150, j.hdel("user:1", even));
            assertEquals(0, j.hdel("user:1", "nope", "field-0"));
            assertEquals(m, j.hgetAll("user:1"));
            assertEquals(150, j.hlen("user:1"));
        }
    }

    @Test
    void incrementsThroughTheClient() {
        try (Jedis j = jedis()) {
            assertEquals(10, j.hincrBy("counters", "a", 10));
            assertEquals(7, j.hincrBy("counters", "a", -3));
            assertEquals(2.5, j.hincrByFloat("counters", "f", 2.5));
            assertEquals(2.75, j.hincrByFloat("counters", "f", 0.25));
            j.hset("counters", "s", "abc");
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.hincrBy("counters", "s", 1));
            assertEquals("ERR hash value is not an integer", e.getMessage());
        }
    }

    @Test
    void scanWithParamsSeesEveryFieldOnce() {
        try (Jedis j = jedis()) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < 500; i++) {
                m.put("k" + i, "v" + i);
            }
            j.hset("scanned", m);
            Map<String, String> seen = new HashMap<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<Map.Entry<String, String>> page = j.hscan("scanned", cursor, new ScanParams().count(37));
                for (Map.Entry<String, String> e : page.getResult()) {
                    assertEquals(null, seen.put(e.getKey(), e.getValue()), "seen twice: " + e.getKey());
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertEquals(m, seen);

            Map<String, String> matched = new HashMap<>();
            cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<Map.Entry<String, String>> page = j.hscan("scanned", cursor, new ScanParams().match("k4?"));
                page.getResult().forEach(e -> matched.put(e.getKey(), e.getValue()));
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertEquals(10, matched.size());
        }
    }

    @Test
    void randomFieldsThroughTheClient() {
        try (Jedis j = jedis()) {
            j.hset("rnd", Map.of("a", "1", "b", "2", "c", "3", "d", "4"));
            assertTrue(List.of("a", "b", "c", "d").contains(j.hrandfield("rnd")));
            List<String> two = j.hrandfield("rnd", 2);
            assertEquals(2, two.size());
            assertTrue(!two.get(0).equals(two.get(1)));
            List<Map.Entry<String, String>> withValues = j.hrandfieldWithValues("rnd", -6);
            assertEquals(6, withValues.size());
            for (Map.Entry<String, String> e : withValues) {
                assertEquals(Integer.toString(e.getKey().charAt(0) - 'a' + 1), e.getValue());
            }
        }
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        int threads = 6;
        int perThread = 200;
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try (Jedis j = jedis()) {
                    Pipeline p = j.pipelined();
                    for (int i = 0; i < perThread; i++) {
                        p.hincrBy("shared", "counter", 1);
                        p.hset("shared", "t" + id + ":" + i, "x");
                        if (i % 2 == 0) {
                            p.hdel("shared", "t" + id + ":" + i);
                        }
                    }
                    p.sync();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        try (Jedis j = jedis()) {
            assertEquals(Integer.toString(threads * perThread), j.hget("shared", "counter"));
            // Every HSET/HDEL counted exactly once in the stored size: one counter + the odd fields.
            long expected = 1 + (long) threads * perThread / 2;
            assertEquals(expected, j.hlen("shared"));
            assertEquals(expected, j.hgetAll("shared").size());
        }
    }
}
