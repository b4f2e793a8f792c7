package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.SharedServer;
import dev.basalt.testutil.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SortingParams;

/** SORT and SORT_RO through a real client library: every option, binary data, pipelines, restart. */
class SortJedisTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port());
    }

    @Test
    void everyOption() {
        try (Jedis j = jedis()) {
            j.rpush("u:ids", "2", "3", "1");
            j.hset("u:user_1", Map.of("name", "ann", "age", "40"));
            j.hset("u:user_2", Map.of("name", "bob", "age", "25"));
            j.hset("u:user_3", Map.of("name", "cy", "age", "31"));
            j.mset("u:rank_1", "3", "u:rank_2", "1", "u:rank_3", "2");

            assertEquals(List.of("1", "2", "3"), j.sort("u:ids"));
            assertEquals(List.of("3", "2", "1"), j.sort("u:ids", new SortingParams().desc()));
            assertEquals(List.of("2", "3", "1"), j.sort("u:ids", new SortingParams().by("u:user_*->age")));
            assertEquals(List.of("bob", "cy", "ann"),
                    j.sort("u:ids", new SortingParams().by("u:rank_*").get("u:user_*->name")));
            assertEquals(List.of("1", "ann", "40"),
                    j.sort("u:ids", new SortingParams().by("u:user_*->name").alpha().limit(0, 1)
                            .get("#", "u:user_*->name", "u:user_*->age")));
            assertEquals(List.of("2", "3", "1"), j.sort("u:ids", new SortingParams().nosort()));
            assertEquals(List.of("1", "3"), j.sort("u:ids", new SortingParams().nosort().desc().limit(0, 2)));
            assertEquals(List.of("cy", "bob"),
                    j.sortReadonly("u:ids", new SortingParams().by("u:user_*->age").desc().limit(1, 2)
                            .get("u:user_*->name")));

            assertEquals(3, j.sort("u:ids", new SortingParams().by("u:user_*->age").get("u:user_*->name"), "u:names"));
            assertEquals(List.of("bob", "cy", "ann"), j.lrange("u:names", 0, -1));
            assertEquals(3, j.sort("u:ids", "u:sorted"));
            assertEquals(List.of("1", "2", "3"), j.lrange("u:sorted", 0, -1));
        }
    }

    @Test
    void errorsReachTheClient() {
        try (Jedis j = jedis()) {
            j.set("e:str", "x");
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.sort("e:str"));
            assertTrue(e.getMessage().startsWith("WRONGTYPE"), e.getMessage());
            j.rpush("e:words", "a", "b");
            e = assertThrows(JedisDataException.class, () -> j.sort("e:words"));
            assertEquals("ERR One or more scores can't be converted into double", e.getMessage());
            assertEquals(List.of("a", "b"), j.sort("e:words", new SortingParams().alpha()));
        }
    }

    @Test
    void binaryElementsAndPatterns() {
        try (Jedis j = jedis()) {
            byte[] key = bytes("b:l");
            byte[] hi = {(byte) 0xff, 0x01};
            byte[] lo = {0x00, (byte) 0x80};
            byte[] mid = {0x7f};
            j.rpush(key, hi, lo, mid);
            List<byte[]> sorted = j.sort(key, new SortingParams().alpha());
            assertArrayEquals(lo, sorted.get(0));
            assertArrayEquals(mid, sorted.get(1));
            assertArrayEquals(hi, sorted.get(2));
            // GET pattern whose key contains the binary element.
            byte[] valueKey = concat(bytes("b:v_"), hi);
            j.set(valueKey, bytes("found"));
            List<byte[]> got = j.sort(key, new SortingParams().alpha().get(bytes("b:v_*")));
            assertNull(got.get(0));
            assertNull(got.get(1));
            assertArrayEquals(bytes("found"), got.get(2));
        }
    }

    @Test
    void pipelinedAndInTransactions() {
        try (Jedis j = jedis()) {
            j.sadd("t:s", "5", "4", "6");
            Pipeline p = j.pipelined();
            Response<List<String>> a = p.sort("t:s");
            Response<Long> stored = p.sort("t:s", new SortingParams().desc(), "t:d");
            Response<List<String>> range = p.lrange("t:d", 0, -1);
            p.sync();
            assertEquals(List.of("4", "5", "6"), a.get());
            assertEquals(3L, stored.get());
            assertEquals(List.of("6", "5", "4"), range.get());

            var t = j.multi();
            t.sadd("t:s", "1");
            t.sort("t:s", new SortingParams().limit(0, 2));
            List<Object> results = t.exec();
            assertEquals(List.of(1L, List.of("1", "4")), results);
        }
    }

    @Test
    void storedResultSurvivesRestart() throws Exception {
        TestServer s = TestServer.start();
        java.nio.file.Path dir = s.dir();
        try {
            try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                j.zadd("r:z", Map.of("a", 2.0, "b", 1.0, "c", 3.0));
                assertEquals(3, j.sort("r:z", new SortingParams().nosort(), "r:d"));
            }
            s.stop();
            s = TestServer.start(Map.of("dir", dir.toString()));
            try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                assertEquals(List.of("b", "a", "c"), j.lrange("r:d", 0, -1));
                assertEquals(List.of("c", "b"), j.sort("r:d", new SortingParams().alpha().desc().limit(0, 2)));
            }
        } finally {
            s.close();
            TestServer.deleteTree(dir);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
