package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.resps.Tuple;

/** Sorted sets, their score index and their expiry survive a stop and a start on the same data directory. */
class ZSetRestartTest {
    private static final int SETS = 50;
    private static final int MEMBERS = 200;

    private static double score(int set, int member) {
        return (member * 7919 % MEMBERS) - 100 + set / 4.0;
    }

    @Test
    void setsScoresAndTtlsSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("basalt-zset-restart");
        long expireAt = System.currentTimeMillis() + 3_600_000;
        try {
            try (TestServer first = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", first.port())) {
                Pipeline p = jedis.pipelined();
                for (int s = 0; s < SETS; s++) {
                    Map<String, Double> members = new HashMap<>();
                    for (int m = 0; m < MEMBERS; m++) {
                        members.put("m" + m, score(s, m));
                    }
                    p.zadd("z" + s, members);
                }
                p.sync();
                assertEquals(1, jedis.pexpireAt("z0", expireAt));
            }
            try (TestServer second = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", second.port())) {
                for (int s = 0; s < SETS; s++) {
                    String key = "z" + s;
                    assertEquals(MEMBERS, jedis.zcard(key));
                    List<Tuple> all = jedis.zrangeWithScores(key, 0, -1);
                    for (int i = 1; i < all.size(); i++) {
                        Tuple before = all.get(i - 1);
                        Tuple after = all.get(i);
                        boolean ordered = before.getScore() < after.getScore() || (before.getScore() == after.getScore()
                                && before.getElement().compareTo(after.getElement()) < 0);
                        assertTrue(ordered, key + " out of order at " + i);
                    }
                    for (int m = 0; m < MEMBERS; m += 37) {
                        assertEquals(score(s, m), jedis.zscore(key, "m" + m));
                    }
                }
                assertEquals(List.of("m0"), jedis.zrange("z3", 0, 0));
                assertEquals(expireAt, jedis.pexpireTime("z0"));
                assertEquals(-1, jedis.pttl("z1"));
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }
}
