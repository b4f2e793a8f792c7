package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Conformance;
import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tracking-table-max-keys}: past the limit, keys picked at random are forgotten and their
 * readers get an invalidation as if the keys were written; INFO's tracking_total_keys stays at the
 * limit. Which keys go is random; how many are kept, and how fast a lowered limit is reached, are
 * compared with a real redis-server.
 */
@Timeout(60)
class TrackingTableLimitTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    private static final Pattern TOTAL_KEYS = Pattern.compile("tracking_total_keys:(\\d+)");
    private static final Pattern INVALIDATED_KEY = Pattern.compile("^>2\r\n\\$10\r\ninvalidate\r\n\\*1\r\n\\$\\d+\r\n(.*)\r\n$");

    /** A RESP3 tracking connection that sets aside the invalidation pushes arriving between replies. */
    private static final class Tracker implements AutoCloseable {
        final RawClient client;
        final List<String> invalidated = new ArrayList<>();

        Tracker(RawClient client) {
            this.client = client;
            client.call("HELLO", "3");
            assertEquals("+OK\r\n", call("CLIENT", "TRACKING", "ON"));
        }

        String call(String... cmd) {
            client.send(RawClient.encode(cmd));
            while (true) {
                String frame = client.readReply();
                if (!frame.startsWith(">")) {
                    return frame;
                }
                Matcher m = INVALIDATED_KEY.matcher(frame);
                assertTrue(m.matches(), frame);
                invalidated.add(m.group(1));
            }
        }

        long totalKeys() {
            Matcher m = TOTAL_KEYS.matcher(call("INFO", "stats"));
            assertTrue(m.find());
            return Long.parseLong(m.group(1));
        }

        /** Reads (PING by PING) until this many invalidations arrived; fails at the deadline. */
        void awaitInvalidations(int n) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (invalidated.size() < n && System.nanoTime() < deadline) {
                call("PING");
            }
            assertEquals(n, invalidated.size(), "invalidations " + invalidated);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** What one server did; the same steps on both. */
    private record Outcome(List<Long> totals, int evicted, int invalidatedByWrites, List<Long> shrinking,
            String configGet) {
    }

    @Test
    void evictedKeysAreInvalidatedAndTheTableStaysWithinTheLimit() {
        Outcome redis = run(servers::redis);
        Outcome basalt = run(servers::basalt);
        assertEquals(redis, basalt);
        assertTrue(basalt.totals().stream().allMatch(n -> n <= 10), basalt.totals().toString());
        assertEquals(40, basalt.evicted());
        assertEquals(10, basalt.invalidatedByWrites());
        assertEquals(List.of(400L, 200L, 10L), basalt.shrinking());
    }

    private static Outcome run(Supplier<RawClient> connect) {
        try (RawClient admin = connect.get()) {
            admin.call("FLUSHALL"); // before tracking starts: FLUSHALL invalidates everything
        }
        try (RawClient admin = connect.get(); Tracker t = new Tracker(connect.get())) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "tracking-table-max-keys", "10"));
            try {
                String configGet = admin.call("CONFIG", "GET", "tracking-table-max-keys");
                // 50 keys read, one at a time; INFO after each (eviction happens before each command).
                List<Long> totals = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    t.call("GET", "ttl:" + i);
                    totals.add(t.totalKeys());
                }
                t.awaitInvalidations(40);
                Set<String> evicted = new HashSet<>(t.invalidated);
                assertEquals(40, evicted.size(), "each evicted key is invalidated once: " + t.invalidated);
                // Writes to all 50: only the 10 still remembered are invalidated again.
                t.invalidated.clear();
                for (int i = 0; i < 50; i++) {
                    admin.call("SET", "ttl:" + i, "v");
                }
                t.awaitInvalidations(10);
                for (String k : t.invalidated) {
                    assertTrue(k.startsWith("ttl:") && !evicted.contains(k), k + " was evicted, then invalidated again");
                }
                // No limit: 500 keys stay; a lowered limit is reached over a few commands, evicting more each time.
                t.invalidated.clear();
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "tracking-table-max-keys", "0"));
                String[] mget = new String[501];
                mget[0] = "MGET";
                for (int i = 1; i <= 500; i++) {
                    mget[i] = "ttl:m" + i;
                }
                t.call(mget);
                assertEquals(500, t.totalKeys());
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "tracking-table-max-keys", "10"));
                List<Long> shrinking = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    shrinking.add(t.totalKeys());
                }
                t.awaitInvalidations(490);
                return new Outcome(totals, evicted.size(), 10, shrinking, configGet);
            } finally {
                admin.call("CONFIG", "SET", "tracking-table-max-keys", "1000000");
            }
        }
    }
}
