package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Metadata;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.TestServer;
import dev.basalt.types.Keyspace;
import dev.basalt.util.Bytes;
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

    /** Sets an absolute expiry straight through the Keyspace (EXPIRE belongs to the keys commands). */
    private static void expireAt(TestServer server, String key, long atMs) throws Exception {
        try (Txn txn = server.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
            Keyspace ks = new Keyspace(txn);
            Metadata m = ks.metadata(Bytes.of(key));
            m.setExpireAtMs(atMs);
            ks.putMetadata(Bytes.of(key), m);
            server.server().storage().commit(txn);
        }
    }

    private static long expireAtMs(TestServer server, String key) throws Exception {
        try (Txn txn = server.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
            return new Keyspace(txn).expireAtMs(Bytes.of(key));
        }
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
                    expireAt(first, "set:" + i, at);
                }
                expireAt(first, "set:union", System.currentTimeMillis() - 1); // expired before the restart
            }
            try (TestServer second = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", second.port())) {
                assertEquals(0, jedis.scard("set:0"));
                assertEquals(0, jedis.scard("set:union"));
                for (int i = 1; i < SETS; i++) {
                    assertEquals(expected(i), jedis.smembers("set:" + i), "set:" + i);
                    assertEquals(expected(i).size(), jedis.scard("set:" + i));
                    assertEquals(i % 3 == 0 ? at : 0, expireAtMs(second, "set:" + i), "ttl of set:" + i);
                }
                assertNull(jedis.spop("set:0"));
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }
}
