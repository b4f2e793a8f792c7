package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.SharedServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lettuce's client-side cache (RESP3, CLIENT TRACKING) against Basalt: reads cached, invalidated by other clients' writes. */
@Timeout(60)
class ClientTrackingLettuceTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void lettuceCacheIsInvalidatedByAnotherClientsWrite() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> tracked = client.connect();
                StatefulRedisConnection<String, String> writer = client.connect()) {
            Map<String, String> local = new ConcurrentHashMap<>();
            CacheFrontend<String, String> cache = ClientSideCaching.enable(CacheAccessor.forMap(local), tracked,
                    TrackingArgs.Builder.enabled());
            writer.sync().set("lettuce:k", "one");
            assertEquals("one", cache.get("lettuce:k"));
            assertEquals("one", local.get("lettuce:k"));
            assertTrue(writer.sync().clientList().contains("flags=t"));
            writer.sync().set("lettuce:k", "two");
            Await.until("the invalidation drops the cached value", () -> !local.containsKey("lettuce:k"));
            assertEquals("two", cache.get("lettuce:k"));
            assertEquals("two", local.get("lettuce:k"));
            // FLUSHALL's null invalidation is checked byte for byte against Redis in ClientTrackingTest; Lettuce
            // 6.5's cache frontend does not evict on it, so it is not checked here.
            cache.close();
        } finally {
            client.shutdown();
        }
    }
}
