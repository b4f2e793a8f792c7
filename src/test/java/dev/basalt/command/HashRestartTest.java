package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.KeyCodec;
import dev.basalt.types.Keyspace;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.TestServer;
import dev.basalt.types.HashType;
import dev.basalt.util.Bytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/** Hashes, their sizes and their expiry survive a stop and a start on the same data directory. */
class HashRestartTest {
    private static final int HASHES = 500;
    private static final int FIELDS = 20;
    private static final long TTL_MS = 3_600_000;

    private static String key(int i) {
        return "hash:" + i;
    }

    private static Map<String, String> contents(int i) {
        Map<String, String> m = new HashMap<>();
        for (int f = 0; f < FIELDS; f++) {
            m.put("f" + f, "v" + i + ":" + f);
        }
        return m;
    }

    private static boolean hasTtl(int i) {
        return i % 3 == 0;
    }

    @Test
    void hashesAndTheirTtlsSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("basalt-hash-restart");
        try {
            long writtenAt = System.currentTimeMillis();
            try (TestServer first = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", first.port())) {
                Pipeline p = jedis.pipelined();
                for (int i = 0; i < HASHES; i++) {
                    p.hset(key(i), contents(i));
                    p.hdel(key(i), "f0"); // sizes must survive as they are after deletes too
                }
                p.sync();
                // TTLs through the type layer (EXPIRE belongs to another command group).
                Storage st = first.server().storage();
                try (Txn txn = st.begin(KeyCodec.DEFAULT_NAMESPACE)) {
                    HashType hashes = new HashType(txn);
                    Keyspace keyspace = new Keyspace(txn);
                    for (int i = 0; i < HASHES; i += 3) {
                        byte[] key = Bytes.of(key(i));
                        keyspace.putMetadata(key, hashes.metadata(key).withExpireAtMs(writtenAt + TTL_MS));
                    }
                    st.commit(txn);
                }
            }
            try (TestServer second = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", second.port())) {
                for (int i = 0; i < HASHES; i++) {
                    Map<String, String> expected = contents(i);
                    expected.remove("f0");
                    assertEquals(expected, jedis.hgetAll(key(i)), key(i));
                    assertEquals(FIELDS - 1, jedis.hlen(key(i)));
                }
                long now = System.currentTimeMillis();
                try (Txn txn = second.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
                    Keyspace keyspace = new Keyspace(txn);
                    for (int i = 0; i < HASHES; i++) {
                        long at = keyspace.expireAtMs(Bytes.of(key(i)));
                        if (hasTtl(i)) {
                            assertEquals(writtenAt + TTL_MS, at, key(i));
                            assertTrue(at > now, key(i) + " still alive");
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
