package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.SharedServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Jedis's pub/sub loop (RESP2) against Basalt: subscribe, messages, pattern messages, unsubscribe. */
@Timeout(60)
class PubSubJedisTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void jedisSubscriberGetsEveryMessageInOrder() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                got.add(channel + "=" + message);
                if (message.equals("last")) {
                    unsubscribe();
                }
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                got.add(pattern + ":" + channel + "=" + message);
                if (message.equals("bye")) {
                    punsubscribe();
                }
            }
        };
        Thread subscriber = Thread.ofVirtual().start(() -> {
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                j.subscribe(listener, "jd:news");
            }
        });
        try (Jedis pub = new Jedis("127.0.0.1", server.port())) {
            Await.until("subscribed", () -> pub.pubsubNumSub("jd:news").get("jd:news") == 1L);
            for (int i = 0; i < 100; i++) {
                assertEquals(1L, pub.publish("jd:news", "m" + i));
            }
            listener.psubscribe("jd:*");
            Await.until("psubscribed", () -> pub.pubsubNumPat() == 1L);
            assertEquals(2L, pub.publish("jd:news", "last"));
            Await.until("unsubscribed from the channel", () -> pub.pubsubNumSub("jd:news").get("jd:news") == 0L);
            assertEquals(1L, pub.publish("jd:other", "bye"));
            subscriber.join();
            assertEquals(0L, pub.pubsubNumPat());
        }
        assertEquals(103, got.size(), got.toString());
        for (int i = 0; i < 100; i++) {
            assertEquals("jd:news=m" + i, got.get(i));
        }
        assertTrue(got.contains("jd:news=last") && got.contains("jd:*:jd:news=last") && got.contains("jd:*:jd:other=bye"),
                got.toString());
    }
}
