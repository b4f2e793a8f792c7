package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.TestServer;
import dev.basalt.types.Keyspace;
import dev.basalt.types.ListType;
import dev.basalt.util.Bytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.args.ListPosition;

/** Lists (contents, order, head/tail, expiry) survive a stop and a start on the same data directory. */
class ListRestartTest {
    private static final int LISTS = 200;
    private static final long TTL_MS = 3_600_000;

    @Test
    void listsAndTheirTtlsSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("basalt-lists-restart");
        List<List<String>> expected = new ArrayList<>();
        try {
            long writtenAt = System.currentTimeMillis();
            try (TestServer first = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", first.port())) {
                Pipeline p = jedis.pipelined();
                for (int i = 0; i < LISTS; i++) {
                    List<String> model = new ArrayList<>();
                    for (int j = 0; j < 20; j++) {
                        String v = "v" + i + "-" + j;
                        if (j % 2 == 0) {
                            p.rpush("list:" + i, v);
                            model.add(v);
                        } else {
                            p.lpush("list:" + i, v);
                            model.add(0, v);
                        }
                    }
                    p.linsert("list:" + i, ListPosition.AFTER, model.get(5), "mid");
                    model.add(6, "mid");
                    p.lrem("list:" + i, 1, model.get(2));
                    model.remove(2);
                    expected.add(model);
                }
                p.sync();
                // TTLs set through the storage (the expiry commands belong to another group).
                try (Txn txn = first.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
                    for (int i = 0; i < LISTS; i += 2) {
                        byte[] key = Bytes.of("list:" + i);
                        new Keyspace(txn).putMetadata(key, new ListType(txn).metadata(key).withExpireAtMs(writtenAt + TTL_MS));
                    }
                    first.server().storage().commit(txn);
                }
            }
            try (TestServer second = TestServer.start(Map.of("dir", dir.toString()));
                    Jedis jedis = new Jedis("127.0.0.1", second.port())) {
                for (int i = 0; i < LISTS; i++) {
                    assertEquals(expected.get(i), jedis.lrange("list:" + i, 0, -1), "list:" + i);
                    assertEquals(expected.get(i).get(0), jedis.lindex("list:" + i, 0));
                    assertEquals(expected.get(i).get(expected.get(i).size() - 1), jedis.lindex("list:" + i, -1));
                }
                try (Txn txn = second.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
                    Keyspace keyspace = new Keyspace(txn);
                    for (int i = 0; i < LISTS; i++) {
                        long at = keyspace.expireAtMs(Bytes.of("list:" + i));
                        if (i % 2 == 0) {
                            assertEquals(writtenAt + TTL_MS, at, "list:" + i + " expiry");
                            assertTrue(at > System.currentTimeMillis());
                        } else {
                            assertEquals(0, at, "list:" + i + " has no expiry");
                        }
                    }
                }
                // Still a working list after the restart: both ends keep growing from where they were.
                assertEquals(21, jedis.lpush("list:1", "front"));
                assertEquals(22, jedis.rpush("list:1", "back"));
                assertEquals("front", jedis.lpop("list:1"));
                assertEquals("back", jedis.rpop("list:1"));
                assertEquals(expected.get(1), jedis.lrange("list:1", 0, -1));
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }
}
