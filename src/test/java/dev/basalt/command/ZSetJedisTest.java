package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.BlockedClients;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.params.ZRangeParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

/** Sorted sets through a real client library, in RESP2 and RESP3 (where WITHSCORES replies are pairs). */
class ZSetJedisTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static Jedis jedis(RedisProtocol protocol) {
        return new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().protocol(protocol).socketTimeoutMillis(10_000).build());
    }

    private static String key(RedisProtocol p, String name) {
        return p.name() + ":" + name;
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void scoresAndRanges(RedisProtocol p) {
        try (Jedis j = jedis(p)) {
            String k = key(p, "leaders");
            Map<String, Double> scores = new LinkedHashMap<>();
            scores.put("alice", 10.5);
            scores.put("bob", 7.0);
            scores.put("carol", Double.POSITIVE_INFINITY);
            scores.put("dave", -3.25);
            assertEquals(4, j.zadd(k, scores));
            assertEquals(12.0, j.zincrby(k, 5, "bob"));
            assertEquals(0, j.zadd(k, 1, "alice", ZAddParams.zAddParams().gt()));
            assertEquals(10.5, j.zscore(k, "alice"));
            assertEquals(List.of(new Tuple("dave", -3.25), new Tuple("alice", 10.5), new Tuple("bob", 12.0),
                    new Tuple("carol", Double.POSITIVE_INFINITY)), j.zrangeWithScores(k, 0, -1));
            assertEquals(List.of("bob", "alice"), j.zrange(k, ZRangeParams.zrangeByScoreParams(12, 0).rev()));
            assertEquals(List.of(new Tuple("alice", 10.5)), j.zrangeByScoreWithScores(k, 0, 11));
            assertEquals(KeyValue.of(1L, 10.5), j.zrankWithScore(k, "alice"));
            assertEquals(KeyValue.of(0L, Double.POSITIVE_INFINITY), j.zrevrankWithScore(k, "carol"));
            assertNull(j.zrankWithScore(k, "nobody"));
            assertEquals(Long.valueOf(2), j.zrank(k, "bob"));
            assertEquals(java.util.Arrays.asList(12.0, null), j.zmscore(k, "bob", "nobody"));
            assertEquals(2, j.zcount(k, "(0", "12"));
            assertEquals(4, j.zcard(k));
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.zincrby(k, Double.NEGATIVE_INFINITY, "carol"));
            assertEquals("ERR resulting score is not a number (NaN)", e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void setOperationsAndStores(RedisProtocol p) {
        try (Jedis j = jedis(p)) {
            String a = key(p, "{ops}a");
            String b = key(p, "{ops}b");
            j.zadd(a, Map.of("x", 1.0, "y", 2.0));
            j.zadd(b, Map.of("y", 10.0, "z", 20.0));
            assertEquals(List.of(new Tuple("x", 1.0), new Tuple("y", 12.0), new Tuple("z", 20.0)),
                    j.zunionWithScores(new ZParams(), a, b));
            assertEquals(List.of(new Tuple("y", 10.0)),
                    j.zinterWithScores(new ZParams().aggregate(ZParams.Aggregate.MAX), a, b));
            assertEquals(List.of(new Tuple("x", 1.0)), j.zdiffWithScores(a, b));
            String dst = key(p, "{ops}dst");
            assertEquals(1, j.zinterstore(dst, new ZParams().weights(2, 3), a, b));
            assertEquals(List.of(new Tuple("y", 34.0)), j.zrangeWithScores(dst, 0, -1));
            assertEquals(1, j.zintercard(a, b));
            assertEquals(2, j.zrangestore(dst, b, ZRangeParams.zrangeParams(0, -1)));
            assertEquals(List.of("y", "z"), j.zrange(dst, 0, -1));
        }
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void popsAndRandomMembers(RedisProtocol p) {
        try (Jedis j = jedis(p)) {
            String k = key(p, "pops");
            j.zadd(k, Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0, "e", 5.0));
            assertEquals(new Tuple("a", 1.0), j.zpopmin(k));
            assertEquals(List.of(new Tuple("e", 5.0), new Tuple("d", 4.0)), j.zpopmax(k, 2));
            List<Tuple> random = j.zrandmemberWithScores(k, 5);
            assertEquals(2, random.size());
            Set<String> members = new HashSet<>();
            for (Tuple t : random) {
                members.add(t.getElement());
                assertEquals(t.getElement().equals("b") ? 2.0 : 3.0, t.getScore());
            }
            assertEquals(Set.of("b", "c"), members);
            KeyValue<String, List<Tuple>> popped = j.zmpop(SortedSetOption.MAX, 5, key(p, "none"), k);
            assertEquals(k, popped.getKey());
            assertEquals(List.of(new Tuple("c", 3.0), new Tuple("b", 2.0)), popped.getValue());
            assertNull(j.zmpop(SortedSetOption.MIN, k));
            assertEquals(0, j.zcard(k));
        }
    }

    @Test
    void bzpopminIsWokenByAnotherClient() throws Exception {
        try (Jedis waiter = jedis(RedisProtocol.RESP3); Jedis writer = jedis(RedisProtocol.RESP2)) {
            CompletableFuture<KeyValue<String, Tuple>> got = CompletableFuture.supplyAsync(() -> waiter.bzpopmin(0, "jq1", "jq2"));
            try (RawClient observer = server.raw()) {
                BlockedClients.await(observer, 1);
            }
            writer.zadd("jq2", 4.5, "job");
            KeyValue<String, Tuple> r = got.get(10, TimeUnit.SECONDS);
            assertEquals("jq2", r.getKey());
            assertEquals(new Tuple("job", 4.5), r.getValue());
            assertNull(waiter.bzpopmax(0.05, "jq1"));
            assertNull(waiter.bzmpop(0.05, SortedSetOption.MIN, "jq1"));
        }
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void scanVisitsEveryMemberOnce(RedisProtocol p) {
        try (Jedis j = jedis(p)) {
            String k = key(p, "scan");
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int i = 0; i < 95; i++) {
                scores.put("member:" + i, i * 0.5);
            }
            j.zadd(k, scores);
            List<Tuple> all = new ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<Tuple> page = j.zscan(k, cursor, new ScanParams().count(20));
                all.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertEquals(95, all.size());
            Set<String> seen = new HashSet<>();
            for (Tuple t : all) {
                assertTrue(seen.add(t.getElement()));
                assertEquals(scores.get(t.getElement()), t.getScore());
            }
        }
    }
}
