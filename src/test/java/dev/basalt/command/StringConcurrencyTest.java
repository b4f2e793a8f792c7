package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Read-modify-write string commands stay atomic under concurrent clients (the dispatcher's key locks). */
class StringConcurrencyTest {
    private static final int CLIENTS = 50;
    private static final int INCREMENTS = 1_000;

    @Test
    void fiftyClientsIncrementingOneKeyLoseNothing() throws Exception {
        try (TestServer server = TestServer.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            CountDownLatch ready = new CountDownLatch(CLIENTS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> results = new ArrayList<>();
            try {
                for (int c = 0; c < CLIENTS; c++) {
                    results.add(pool.submit(() -> {
                        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                            jedis.ping();
                            ready.countDown();
                            go.await();
                            long last = 0;
                            for (int i = 0; i < INCREMENTS; i++) {
                                long v = jedis.incr("counter");
                                if (v <= last) {
                                    throw new AssertionError("INCR went backwards: " + last + " then " + v);
                                }
                                last = v;
                            }
                            return last;
                        }
                    }));
                }
                ready.await();
                go.countDown();
                long highest = 0;
                for (Future<Long> f : results) {
                    highest = Math.max(highest, f.get());
                }
                assertEquals((long) CLIENTS * INCREMENTS, highest, "the last INCR answered the total");
            } finally {
                pool.shutdownNow();
            }
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                assertEquals(Long.toString((long) CLIENTS * INCREMENTS), jedis.get("counter"));
            }
        }
    }

    @Test
    void concurrentAppendsAndIncrByFloatsAreAllApplied() throws Exception {
        try (TestServer server = TestServer.start()) {
            int clients = 10;
            int ops = 200;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> done = new ArrayList<>();
            try {
                for (int c = 0; c < clients; c++) {
                    done.add(pool.submit(() -> {
                        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                            for (int i = 0; i < ops; i++) {
                                jedis.append("log", "x");
                                jedis.incrByFloat("sum", 0.5);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                assertEquals((long) clients * ops, jedis.strlen("log"));
                assertEquals(Integer.toString(clients * ops / 2), jedis.get("sum"));
            }
        }
    }
}
