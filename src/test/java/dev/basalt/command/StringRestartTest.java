package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.TestServer;
import dev.basalt.types.StringType;
import dev.basalt.util.Bytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/** Strings and their expiry survive a stop and a start on the same data directory. */
class StringRestartTest {
    private static final int KEYS = 10_000;
    private static final long TTL_MS = 3_600_000;

    private static String key(int i) {
        return "key:" + i;
    }

    private static String value(int i) {
        return "value-" + i + "-" + "x".repeat(i % 50);
    }

    private static boolean hasTtl(int i) {
        return i % 3 == 0;
    }

    @Test
    void tenThousandKeysWithTheirTtlsSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("basalt-strings-restart");
        try {
            long writtenAt = System.currentTimeMillis();
            try (TestServer first = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", first.port())) {
                Pipeline p = jedis.pipelined();
                for (int i = 0; i < KEYS; i++) {
                    if (hasTtl(i)) {
                        p.set(key(i), value(i), SetParams.setParams().px(TTL_MS));
                    } else {
                        p.set(key(i), value(i));
                    }
                }
                p.sync();
                assertEquals(value(KEYS - 1), jedis.get(key(KEYS - 1)));
            }
            try (TestServer second = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", second.port())) {
                for (int from = 0; from < KEYS; from += 1000) {
                    String[] keys = new String[1000];
                    for (int i = 0; i < 1000; i++) {
                        keys[i] = key(from + i);
                    }
                    List<String> values = jedis.mget(keys);
                    for (int i = 0; i < 1000; i++) {
                        assertEquals(value(from + i), values.get(i), keys[i]);
                    }
                }
                // TTLs read through the storage of the running server (no PTTL command needed).
                long now = System.currentTimeMillis();
                try (Txn txn = second.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
                    StringType strings = new StringType(txn);
                    for (int i = 0; i < KEYS; i++) {
                        long at = strings.expireAtMs(Bytes.of(key(i)));
                        if (hasTtl(i)) {
                            assertTrue(at >= writtenAt + TTL_MS && at <= now + TTL_MS, key(i) + " expires at " + at);
                            assertTrue(at - now > 0, "PTTL > 0 for " + key(i));
                        } else {
                            assertEquals(0, at, key(i) + " has no expiry");
                        }
                    }
                }
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }
}
