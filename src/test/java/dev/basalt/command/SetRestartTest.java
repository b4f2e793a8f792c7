package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/** Sets and their expiry survive a stop and a start on the same data directory. */
class SetRestartTest {
    private static final int SETS = 300;

    private static Set<String> expected(int i) {
        Set<String> s = new HashSet<>();
        for (int m = 0; m < 1 + i % 60; m++) {
            s.add("set" + i + "-member" + m);
        }
        return s;
    }

    @Test
    void setsAndTheirTtlsSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("basalt-sets-restart");
        long at = System.currentTimeMillis() + 3_600_000;
        try {
            try (TestServer first = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", first.port())) {
                Pipeline p = jedis.pipelined();
                for (int i = 0; i < SETS; i++) {
                    p.sadd("set:" + i, expected(i).toArray(new String[0]));
                }
                p.sync();
                jedis.srem("set:0", "set0-member0"); // the only member: the key is gone
                jedis.sunionstore("set:union", "set:1", "set:2");
                for (int i = 3; i < SETS; i += 3) {
                    assertEquals(1, jedis.pexpireAt("set:" + i, at));
                }
                assertEquals(1, jedis.pexpireAt("set:union", at));
                assertEquals(1, jedis.pexpireAt("set:1", System.currentTimeMillis() + 1)); // expired after the restart
            }
            try (TestServer second = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", second.port())) {
                assertEquals(0, jedis.scard("set:0"));
                assertEquals(0, jedis.scard("set:1"));
                assertFalse(jedis.exists("set:1"));
                Set<String> union = new HashSet<>(expected(1));
                union.addAll(expected(2));
                assertEquals(union, jedis.smembers("set:union"));
                assertEquals(at, jedis.pexpireTime("set:union"));
                for (int i = 2; i < SETS; i++) {
                    assertEquals(expected(i), jedis.smembers("set:" + i), "set:" + i);
                    assertEquals(expected(i).size(), jedis.scard("set:" + i));
                    assertEquals(i % 3 == 0 ? at : -1, jedis.pexpireTime("set:" + i), "expiry of set:" + i);
                }
                assertNull(jedis.spop("set:0"));
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }
}
